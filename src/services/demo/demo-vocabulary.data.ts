/**
 * Word lists of the demo data set: common surnames with their frequency, given-name
 * characters, regions with provinces and cities, products, service scripts. Pinyin is
 * kept beside each Chinese name so e-mail addresses look like real ones.
 */

/** [surname, pinyin, share in per mille of the population (2020 census, rounded)] */
export const SURNAMES: ReadonlyArray<readonly [string, string, number]> = [
  ['王', 'wang', 71],
  ['李', 'li', 70],
  ['张', 'zhang', 67],
  ['刘', 'liu', 54],
  ['陈', 'chen', 45],
  ['杨', 'yang', 31],
  ['黄', 'huang', 22],
  ['赵', 'zhao', 20],
  ['吴', 'wu', 20],
  ['周', 'zhou', 19],
  ['徐', 'xu', 13],
  ['孙', 'sun', 12],
  ['马', 'ma', 12],
  ['朱', 'zhu', 11],
  ['胡', 'hu', 10],
  ['郭', 'guo', 10],
  ['何', 'he', 9],
  ['林', 'lin', 9],
  ['高', 'gao', 9],
  ['罗', 'luo', 9],
  ['郑', 'zheng', 8],
  ['梁', 'liang', 8],
  ['谢', 'xie', 6],
  ['宋', 'song', 6],
  ['唐', 'tang', 6],
  ['许', 'xu', 6],
  ['韩', 'han', 5],
  ['邓', 'deng', 5],
  ['冯', 'feng', 5],
  ['曹', 'cao', 5],
  ['彭', 'peng', 5],
  ['曾', 'zeng', 5],
  ['肖', 'xiao', 5],
  ['田', 'tian', 4],
  ['董', 'dong', 4],
  ['潘', 'pan', 4],
  ['袁', 'yuan', 4],
  ['蔡', 'cai', 4],
  ['蒋', 'jiang', 4],
  ['余', 'yu', 4],
  ['于', 'yu', 4],
  ['杜', 'du', 4],
  ['叶', 'ye', 4],
  ['程', 'cheng', 4],
  ['魏', 'wei', 3],
  ['苏', 'su', 3],
  ['吕', 'lv', 3],
  ['丁', 'ding', 3],
  ['任', 'ren', 3],
  ['卢', 'lu', 3],
  ['姚', 'yao', 3],
  ['沈', 'shen', 3],
  ['钟', 'zhong', 3],
  ['姜', 'jiang', 3],
  ['崔', 'cui', 3],
  ['谭', 'tan', 3],
  ['陆', 'lu', 3],
  ['范', 'fan', 3],
  ['汪', 'wang', 3],
  ['廖', 'liao', 3],
  ['石', 'shi', 3],
  ['金', 'jin', 3],
  ['韦', 'wei', 2],
  ['贾', 'jia', 2],
  ['夏', 'xia', 2],
  ['付', 'fu', 2],
  ['方', 'fang', 2],
  ['邹', 'zou', 2],
  ['熊', 'xiong', 2],
  ['白', 'bai', 2],
  ['孟', 'meng', 2],
  ['秦', 'qin', 2],
  ['邱', 'qiu', 2],
  ['侯', 'hou', 2],
  ['江', 'jiang', 2],
  ['尹', 'yin', 2],
  ['薛', 'xue', 2],
  ['闫', 'yan', 2],
  ['段', 'duan', 2],
  ['雷', 'lei', 2],
  ['龙', 'long', 2],
  ['黎', 'li', 2],
  ['史', 'shi', 2],
  ['陶', 'tao', 2],
  ['贺', 'he', 2],
  ['毛', 'mao', 2],
  ['郝', 'hao', 2],
  ['顾', 'gu', 2],
  ['龚', 'gong', 2],
  ['邵', 'shao', 2],
  ['万', 'wan', 2],
  ['钱', 'qian', 2],
  ['武', 'wu', 2],
  ['戴', 'dai', 2],
  ['严', 'yan', 2],
  ['欧阳', 'ouyang', 0.5],
  ['司马', 'sima', 0.1],
  ['诸葛', 'zhuge', 0.1],
];

/** [character, pinyin] used in given names */
export const MALE_NAME_CHARS: ReadonlyArray<readonly [string, string]> = [
  ['伟', 'wei'],
  ['强', 'qiang'],
  ['磊', 'lei'],
  ['军', 'jun'],
  ['洋', 'yang'],
  ['勇', 'yong'],
  ['杰', 'jie'],
  ['涛', 'tao'],
  ['明', 'ming'],
  ['超', 'chao'],
  ['浩', 'hao'],
  ['鹏', 'peng'],
  ['宇', 'yu'],
  ['辉', 'hui'],
  ['斌', 'bin'],
  ['刚', 'gang'],
  ['建', 'jian'],
  ['峰', 'feng'],
  ['晨', 'chen'],
  ['子', 'zi'],
  ['轩', 'xuan'],
  ['博', 'bo'],
  ['文', 'wen'],
  ['俊', 'jun'],
  ['凯', 'kai'],
  ['健', 'jian'],
  ['志', 'zhi'],
  ['国', 'guo'],
  ['华', 'hua'],
  ['平', 'ping'],
  ['东', 'dong'],
  ['亮', 'liang'],
  ['飞', 'fei'],
  ['龙', 'long'],
  ['海', 'hai'],
  ['波', 'bo'],
  ['睿', 'rui'],
  ['昊', 'hao'],
  ['天', 'tian'],
  ['然', 'ran'],
  ['泽', 'ze'],
  ['一', 'yi'],
];

export const FEMALE_NAME_CHARS: ReadonlyArray<readonly [string, string]> = [
  ['芳', 'fang'],
  ['娜', 'na'],
  ['敏', 'min'],
  ['静', 'jing'],
  ['丽', 'li'],
  ['艳', 'yan'],
  ['娟', 'juan'],
  ['霞', 'xia'],
  ['婷', 'ting'],
  ['雪', 'xue'],
  ['慧', 'hui'],
  ['琳', 'lin'],
  ['颖', 'ying'],
  ['欣', 'xin'],
  ['怡', 'yi'],
  ['佳', 'jia'],
  ['梦', 'meng'],
  ['雨', 'yu'],
  ['涵', 'han'],
  ['悦', 'yue'],
  ['思', 'si'],
  ['彤', 'tong'],
  ['晓', 'xiao'],
  ['燕', 'yan'],
  ['玲', 'ling'],
  ['萍', 'ping'],
  ['红', 'hong'],
  ['洁', 'jie'],
  ['璐', 'lu'],
  ['瑶', 'yao'],
  ['诗', 'shi'],
  ['可', 'ke'],
  ['馨', 'xin'],
  ['月', 'yue'],
  ['琪', 'qi'],
  ['薇', 'wei'],
  ['倩', 'qian'],
  ['嘉', 'jia'],
  ['丹', 'dan'],
  ['楠', 'nan'],
];

export const PERSONAL_EMAIL_DOMAINS: ReadonlyArray<readonly [string, number]> = [
  ['qq.com', 40],
  ['163.com', 22],
  ['126.com', 8],
  ['foxmail.com', 6],
  ['sina.com', 5],
  ['outlook.com', 7],
  ['gmail.com', 5],
  ['139.com', 4],
  ['aliyun.com', 3],
];

/** Mobile number prefixes in use by China Mobile, Unicom and Telecom. */
export const PHONE_PREFIXES: readonly string[] = [
  '130',
  '131',
  '132',
  '133',
  '134',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '153',
  '155',
  '156',
  '157',
  '158',
  '159',
  '166',
  '177',
  '180',
  '181',
  '182',
  '183',
  '184',
  '185',
  '186',
  '187',
  '188',
  '189',
  '191',
  '193',
  '195',
  '198',
  '199',
];

export type CityDef = readonly [name: string, pinyin: string];
export type ProvinceDef = { name: string; weight: number; cities: readonly CityDef[] };
export type RegionDef = { name: string; weight: number; provinces: readonly ProvinceDef[] };

/** The seven regions of the seed templates, weighted roughly by online retail volume. */
export const REGIONS: readonly RegionDef[] = [
  {
    name: '华东',
    weight: 30,
    provinces: [
      { name: '上海市', weight: 6, cities: [['上海市', 'shanghai']] },
      {
        name: '江苏省',
        weight: 7,
        cities: [
          ['南京市', 'nanjing'],
          ['苏州市', 'suzhou'],
          ['无锡市', 'wuxi'],
          ['常州市', 'changzhou'],
          ['南通市', 'nantong'],
        ],
      },
      {
        name: '浙江省',
        weight: 7,
        cities: [
          ['杭州市', 'hangzhou'],
          ['宁波市', 'ningbo'],
          ['温州市', 'wenzhou'],
          ['绍兴市', 'shaoxing'],
          ['金华市', 'jinhua'],
        ],
      },
      {
        name: '山东省',
        weight: 6,
        cities: [
          ['济南市', 'jinan'],
          ['青岛市', 'qingdao'],
          ['烟台市', 'yantai'],
          ['潍坊市', 'weifang'],
        ],
      },
      {
        name: '福建省',
        weight: 4,
        cities: [
          ['福州市', 'fuzhou'],
          ['厦门市', 'xiamen'],
          ['泉州市', 'quanzhou'],
        ],
      },
      {
        name: '安徽省',
        weight: 3,
        cities: [
          ['合肥市', 'hefei'],
          ['芜湖市', 'wuhu'],
        ],
      },
      {
        name: '江西省',
        weight: 2,
        cities: [
          ['南昌市', 'nanchang'],
          ['赣州市', 'ganzhou'],
        ],
      },
    ],
  },
  {
    name: '华南',
    weight: 17,
    provinces: [
      {
        name: '广东省',
        weight: 12,
        cities: [
          ['广州市', 'guangzhou'],
          ['深圳市', 'shenzhen'],
          ['东莞市', 'dongguan'],
          ['佛山市', 'foshan'],
          ['珠海市', 'zhuhai'],
        ],
      },
      {
        name: '广西壮族自治区',
        weight: 3,
        cities: [
          ['南宁市', 'nanning'],
          ['柳州市', 'liuzhou'],
          ['桂林市', 'guilin'],
        ],
      },
      {
        name: '海南省',
        weight: 1,
        cities: [
          ['海口市', 'haikou'],
          ['三亚市', 'sanya'],
        ],
      },
    ],
  },
  {
    name: '华北',
    weight: 14,
    provinces: [
      { name: '北京市', weight: 6, cities: [['北京市', 'beijing']] },
      { name: '天津市', weight: 3, cities: [['天津市', 'tianjin']] },
      {
        name: '河北省',
        weight: 4,
        cities: [
          ['石家庄市', 'shijiazhuang'],
          ['唐山市', 'tangshan'],
          ['保定市', 'baoding'],
        ],
      },
      {
        name: '山西省',
        weight: 2,
        cities: [
          ['太原市', 'taiyuan'],
          ['大同市', 'datong'],
        ],
      },
      {
        name: '内蒙古自治区',
        weight: 1,
        cities: [
          ['呼和浩特市', 'huhehaote'],
          ['包头市', 'baotou'],
        ],
      },
    ],
  },
  {
    name: '华中',
    weight: 13,
    provinces: [
      {
        name: '河南省',
        weight: 5,
        cities: [
          ['郑州市', 'zhengzhou'],
          ['洛阳市', 'luoyang'],
          ['南阳市', 'nanyang'],
        ],
      },
      {
        name: '湖北省',
        weight: 4,
        cities: [
          ['武汉市', 'wuhan'],
          ['宜昌市', 'yichang'],
          ['襄阳市', 'xiangyang'],
        ],
      },
      {
        name: '湖南省',
        weight: 4,
        cities: [
          ['长沙市', 'changsha'],
          ['株洲市', 'zhuzhou'],
          ['岳阳市', 'yueyang'],
        ],
      },
    ],
  },
  {
    name: '西南',
    weight: 12,
    provinces: [
      {
        name: '四川省',
        weight: 6,
        cities: [
          ['成都市', 'chengdu'],
          ['绵阳市', 'mianyang'],
          ['宜宾市', 'yibin'],
        ],
      },
      { name: '重庆市', weight: 4, cities: [['重庆市', 'chongqing']] },
      {
        name: '云南省',
        weight: 2,
        cities: [
          ['昆明市', 'kunming'],
          ['大理市', 'dali'],
        ],
      },
      {
        name: '贵州省',
        weight: 2,
        cities: [
          ['贵阳市', 'guiyang'],
          ['遵义市', 'zunyi'],
        ],
      },
      { name: '西藏自治区', weight: 0.3, cities: [['拉萨市', 'lasa']] },
    ],
  },
  {
    name: '西北',
    weight: 7,
    provinces: [
      {
        name: '陕西省',
        weight: 4,
        cities: [
          ['西安市', 'xian'],
          ['宝鸡市', 'baoji'],
          ['咸阳市', 'xianyang'],
        ],
      },
      {
        name: '甘肃省',
        weight: 1.5,
        cities: [
          ['兰州市', 'lanzhou'],
          ['天水市', 'tianshui'],
        ],
      },
      {
        name: '新疆维吾尔自治区',
        weight: 1.5,
        cities: [
          ['乌鲁木齐市', 'wulumuqi'],
          ['喀什市', 'kashi'],
        ],
      },
      { name: '宁夏回族自治区', weight: 0.6, cities: [['银川市', 'yinchuan']] },
      { name: '青海省', weight: 0.5, cities: [['西宁市', 'xining']] },
    ],
  },
  {
    name: '东北',
    weight: 7,
    provinces: [
      {
        name: '辽宁省',
        weight: 3,
        cities: [
          ['沈阳市', 'shenyang'],
          ['大连市', 'dalian'],
          ['鞍山市', 'anshan'],
        ],
      },
      {
        name: '黑龙江省',
        weight: 2,
        cities: [
          ['哈尔滨市', 'haerbin'],
          ['大庆市', 'daqing'],
        ],
      },
      {
        name: '吉林省',
        weight: 2,
        cities: [
          ['长春市', 'changchun'],
          ['吉林市', 'jilin'],
        ],
      },
    ],
  },
];

export const ROADS: readonly string[] = [
  '人民路',
  '解放路',
  '中山路',
  '建设路',
  '和平路',
  '新华路',
  '长江路',
  '黄河路',
  '南京路',
  '青年路',
  '文化路',
  '朝阳路',
  '胜利路',
  '光明路',
  '学府路',
  '科技路',
  '滨江大道',
  '世纪大道',
];

export const COMPOUNDS: readonly string[] = [
  '阳光花园',
  '锦绣家园',
  '翠湖苑',
  '金色华庭',
  '世纪新城',
  '幸福里',
  '书香门第',
  '滨江一号',
  '御景湾',
  '和谐家园',
];

export type ChannelName = '线下门店' | '天猫' | '京东' | '微信小程序' | '抖音' | '企业直销';

export const CHANNELS: readonly ChannelName[] = [
  '线下门店',
  '天猫',
  '京东',
  '微信小程序',
  '抖音',
  '企业直销',
];

/** Where individual customers come from. */
export const CONSUMER_SOURCES: ReadonlyArray<readonly [ChannelName, number]> = [
  ['天猫', 28],
  ['京东', 22],
  ['微信小程序', 17],
  ['抖音', 14],
  ['线下门店', 19],
];

export type ProductDef = {
  name: string;
  /** typical unit price in yuan */
  price: number;
  /** months (1–12) in which it sells; all year when absent */
  months?: readonly number[];
};

export type CategoryDef = {
  name: string;
  /** share of consumer orders */
  weight: number;
  /** share of B2B orders */
  businessWeight: number;
  /** cost as a share of the price, for gross profit */
  costRatio: number;
  /** chance an order in this category is returned */
  returnRate: number;
  products: readonly ProductDef[];
};

export const CATEGORIES: readonly CategoryDef[] = [
  {
    name: '服装',
    weight: 28,
    businessWeight: 4,
    costRatio: 0.45,
    returnRate: 0.05,
    products: [
      { name: 'T恤', price: 89, months: [4, 5, 6, 7, 8, 9] },
      { name: '牛仔裤', price: 199 },
      { name: '羽绒服', price: 699, months: [10, 11, 12, 1, 2] },
      { name: '连衣裙', price: 259, months: [3, 4, 5, 6, 7, 8, 9] },
      { name: '运动鞋', price: 399 },
      { name: '卫衣', price: 169, months: [9, 10, 11, 12, 1, 2, 3] },
      { name: '衬衫', price: 149 },
    ],
  },
  {
    name: '数码',
    weight: 16,
    businessWeight: 25,
    costRatio: 0.8,
    returnRate: 0.035,
    products: [
      { name: '蓝牙耳机', price: 299 },
      { name: '智能手表', price: 1299 },
      { name: '充电宝', price: 129 },
      { name: '平板电脑', price: 3299 },
      { name: '智能手机', price: 3999 },
      { name: '机械键盘', price: 399 },
    ],
  },
  {
    name: '家居',
    weight: 14,
    businessWeight: 8,
    costRatio: 0.55,
    returnRate: 0.025,
    products: [
      { name: '床上四件套', price: 399 },
      { name: '乳胶枕', price: 199 },
      { name: '收纳箱', price: 59 },
      { name: '香薰蜡烛', price: 79 },
      { name: '电饭煲', price: 459 },
      { name: '空气净化器', price: 1599 },
    ],
  },
  {
    name: '美妆',
    weight: 16,
    businessWeight: 0,
    costRatio: 0.4,
    returnRate: 0.02,
    products: [
      { name: '精华液', price: 499 },
      { name: '面霜', price: 389 },
      { name: '口红', price: 299 },
      { name: '面膜', price: 129 },
      { name: '防晒霜', price: 169, months: [4, 5, 6, 7, 8] },
      { name: '洗面奶', price: 89 },
    ],
  },
  {
    name: '食品',
    weight: 14,
    businessWeight: 15,
    costRatio: 0.6,
    returnRate: 0.01,
    products: [
      { name: '坚果礼盒', price: 158 },
      { name: '茶叶', price: 268 },
      { name: '咖啡豆', price: 98 },
      { name: '纯牛奶', price: 69 },
      { name: '月饼礼盒', price: 198, months: [8, 9] },
      { name: '零食大礼包', price: 99 },
    ],
  },
  {
    name: '母婴',
    weight: 8,
    businessWeight: 0,
    costRatio: 0.65,
    returnRate: 0.02,
    products: [
      { name: '纸尿裤', price: 169 },
      { name: '婴儿奶粉', price: 358 },
      { name: '婴儿推车', price: 1299 },
      { name: '儿童玩具', price: 149 },
      { name: '婴儿湿巾', price: 49 },
    ],
  },
  {
    name: '运动户外',
    weight: 6,
    businessWeight: 3,
    costRatio: 0.55,
    returnRate: 0.035,
    products: [
      { name: '瑜伽垫', price: 129 },
      { name: '跑步机', price: 2999 },
      { name: '帐篷', price: 499, months: [4, 5, 6, 7, 8, 9, 10] },
      { name: '登山包', price: 359 },
    ],
  },
  {
    name: '办公用品',
    weight: 0,
    businessWeight: 45,
    costRatio: 0.7,
    returnRate: 0.015,
    products: [
      { name: 'A4打印纸', price: 25 },
      { name: '办公椅', price: 599 },
      { name: '笔记本电脑', price: 5999 },
      { name: '投影仪', price: 3499 },
      { name: '硒鼓墨盒', price: 189 },
      { name: '办公桌', price: 1299 },
    ],
  },
];

/** [syllable, pinyin] pairs combined into two-syllable company brand names */
export const BRAND_SYLLABLES: ReadonlyArray<readonly [string, string]> = [
  ['华', 'hua'],
  ['恒', 'heng'],
  ['鼎', 'ding'],
  ['瑞', 'rui'],
  ['金', 'jin'],
  ['天', 'tian'],
  ['宏', 'hong'],
  ['新', 'xin'],
  ['中', 'zhong'],
  ['海', 'hai'],
  ['云', 'yun'],
  ['汇', 'hui'],
  ['启', 'qi'],
  ['德', 'de'],
  ['安', 'an'],
  ['联', 'lian'],
  ['博', 'bo'],
  ['凯', 'kai'],
  ['嘉', 'jia'],
  ['信', 'xin'],
  ['盛', 'sheng'],
  ['源', 'yuan'],
  ['达', 'da'],
  ['通', 'tong'],
  ['泰', 'tai'],
  ['远', 'yuan'],
  ['明', 'ming'],
  ['创', 'chuang'],
  ['智', 'zhi'],
  ['腾', 'teng'],
  ['丰', 'feng'],
  ['越', 'yue'],
  ['卓', 'zhuo'],
  ['银', 'yin'],
  ['润', 'run'],
  ['和', 'he'],
];

export type IndustryDef = { name: string; weight: number; nameWord: string; emailWord: string };

export const INDUSTRIES: readonly IndustryDef[] = [
  { name: '信息技术', weight: 18, nameWord: '科技', emailWord: 'tech' },
  { name: '制造业', weight: 20, nameWord: '制造', emailWord: 'mfg' },
  { name: '批发零售', weight: 16, nameWord: '贸易', emailWord: 'trade' },
  { name: '餐饮酒店', weight: 8, nameWord: '餐饮管理', emailWord: 'food' },
  { name: '教育培训', weight: 7, nameWord: '教育咨询', emailWord: 'edu' },
  { name: '建筑工程', weight: 8, nameWord: '建设工程', emailWord: 'build' },
  { name: '医疗健康', weight: 7, nameWord: '医疗器械', emailWord: 'med' },
  { name: '物流运输', weight: 7, nameWord: '物流', emailWord: 'logistics' },
  { name: '金融服务', weight: 4, nameWord: '投资管理', emailWord: 'capital' },
  { name: '文化传媒', weight: 5, nameWord: '文化传媒', emailWord: 'media' },
];

export const COMPANY_SIZES: ReadonlyArray<readonly ['小型' | '中型' | '大型', number]> = [
  ['小型', 60],
  ['中型', 30],
  ['大型', 10],
];
export const OWNERSHIP_TYPES: ReadonlyArray<readonly [string, number]> = [
  ['民营企业', 62],
  ['国有企业', 12],
  ['外资企业', 8],
  ['合资企业', 6],
  ['个体工商户', 12],
];
export const PRICE_SENSITIVITIES: readonly string[] = ['高', '中', '低'];
export const PAYMENT_HABITS: ReadonlyArray<readonly [string, number]> = [
  ['预付款', 25],
  ['货到付款', 20],
  ['月结', 40],
  ['季度结算', 15],
];
export const PROCUREMENT_MODES: ReadonlyArray<readonly [string, number]> = [
  ['集中采购', 35],
  ['分散采购', 30],
  ['招标采购', 15],
  ['框架协议', 20],
];

export type InteractionScript = {
  subject: string;
  direction: 'inbound' | 'outbound';
  request: string;
  solution: string;
  /** only for company customers (B2B account work) */
  business?: boolean;
};

export const INTERACTION_SCRIPTS: readonly InteractionScript[] = [
  {
    subject: '订单咨询',
    direction: 'inbound',
    request: '询问订单发货时间',
    solution: '查询物流信息并告知预计送达时间',
  },
  {
    subject: '物流查询',
    direction: 'inbound',
    request: '快递三天未更新物流',
    solution: '联系快递公司催件，已恢复派送',
  },
  {
    subject: '退换货申请',
    direction: 'inbound',
    request: '商品尺码不合适，申请换货',
    solution: '安排上门取件并补发新尺码',
  },
  {
    subject: '产品使用咨询',
    direction: 'inbound',
    request: '咨询产品使用方法',
    solution: '发送使用说明视频并远程指导',
  },
  {
    subject: '发票开具',
    direction: 'inbound',
    request: '需要开具电子发票',
    solution: '已开具电子发票并发送至邮箱',
  },
  {
    subject: '会员权益咨询',
    direction: 'inbound',
    request: '咨询会员积分兑换规则',
    solution: '说明积分规则并协助完成兑换',
  },
  {
    subject: '售后维修',
    direction: 'inbound',
    request: '商品使用中出现故障',
    solution: '确认在保修期内，安排寄修',
  },
  {
    subject: '价格保护',
    direction: 'inbound',
    request: '下单后商品降价，申请价保',
    solution: '已退还差价至原支付账户',
  },
  {
    subject: '回访关怀',
    direction: 'outbound',
    request: '购买后使用体验回访',
    solution: '客户反馈使用良好，已记录偏好',
  },
  {
    subject: '新品推荐',
    direction: 'outbound',
    request: '推荐新品及会员专享优惠',
    solution: '客户有兴趣，已发送优惠券',
  },
  {
    subject: '满意度调查',
    direction: 'outbound',
    request: '邀请参与服务满意度调查',
    solution: '客户已完成问卷',
  },
  {
    subject: '流失挽回',
    direction: 'outbound',
    request: '长期未购买，了解原因',
    solution: '发放专属回归礼券',
  },
  {
    subject: '报价沟通',
    direction: 'inbound',
    request: '批量采购询价',
    solution: '已发送正式报价单，给予阶梯折扣',
    business: true,
  },
  {
    subject: '续约洽谈',
    direction: 'outbound',
    request: '年度采购框架协议续签',
    solution: '已约定上门洽谈合同细节',
    business: true,
  },
  {
    subject: '对账结算',
    direction: 'inbound',
    request: '核对上月对账单',
    solution: '核对无误，已开具月结发票',
    business: true,
  },
  {
    subject: '上门拜访',
    direction: 'outbound',
    request: '季度客户拜访',
    solution: '了解下季度采购计划并记录需求',
    business: true,
  },
];

export const INBOUND_OUTCOMES: ReadonlyArray<readonly [string, number]> = [
  ['已解决', 72],
  ['跟进中', 18],
  ['已转交', 10],
];
export const OUTBOUND_OUTCOMES: ReadonlyArray<readonly [string, number]> = [
  ['已完成', 70],
  ['客户有意向', 15],
  ['无人接听', 15],
];

/** Feedback comments by satisfaction: index 0 for 1 star … index 4 for 5 stars. */
export const FEEDBACK_COMMENTS: ReadonlyArray<readonly string[]> = [
  ['非常失望，不会再买了', '商品质量太差，和描述完全不符', '售后推诿，问题一直没解决'],
  ['物流太慢，等了一个多星期', '商品有瑕疵，体验不好', '客服回复很慢'],
  ['一般吧，价格还可以', '质量中规中矩', '包装有点简陋'],
  ['整体满意，物流很快', '质量不错，性价比高', '客服态度挺好'],
  ['非常满意，会继续回购', '质量超出预期，推荐给朋友了', '服务周到，体验很好'],
];

export const COMPLAINT_COMMENTS: readonly string[] = [
  '物流太慢，超过一周才收到',
  '商品与描述不符',
  '客服态度差，问题迟迟未解决',
  '收到的商品有破损',
  '退款进度太慢',
  '发票一直没有开出来',
];

export const SUGGESTIONS: readonly string[] = [
  '希望增加更多尺码和颜色',
  '希望物流再快一些',
  '包装可以更环保',
  '希望客服响应更及时',
  '希望会员活动多一些',
  '希望提供更详细的使用说明',
];

export const COMPLAINT_RESOLUTIONS: readonly string[] = [
  '已致歉并补偿优惠券',
  '已全额退款',
  '已补发商品',
  '已升级至主管跟进并解决',
  '已协调物流加急处理',
];

/**
 * 春节 (Lunar New Year's Day) by year: orders dip around it (couriers stop) and
 * rise in the fortnight before (年货节).
 */
export const SPRING_FESTIVAL: Readonly<Record<number, string>> = {
  2015: '2015-02-19',
  2016: '2016-02-08',
  2017: '2017-01-28',
  2018: '2018-02-16',
  2019: '2019-02-05',
  2020: '2020-01-25',
  2021: '2021-02-12',
  2022: '2022-02-01',
  2023: '2023-01-22',
  2024: '2024-02-10',
  2025: '2025-01-29',
  2026: '2026-02-17',
  2027: '2027-02-06',
  2028: '2028-01-26',
  2029: '2029-02-13',
  2030: '2030-02-03',
  2031: '2031-01-23',
  2032: '2032-02-11',
  2033: '2033-01-31',
  2034: '2034-02-19',
  2035: '2035-02-08',
};
