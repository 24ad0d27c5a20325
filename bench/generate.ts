/**
 * Deterministic benchmark data, written as CSV in Kelei's import format: a customers
 * file (Chinese names, regions, provinces, cities, channels) and an orders file with
 * Pareto spend, a repeat-purchase process with dropout, 双11 and 618 peaks and about
 * 3% returns. Same seed and scale, same bytes.
 */

import { once } from 'node:events';
import fs from 'node:fs';
import { createRandom, deriveSeed, type Random } from '../src/services/demo/seeded-random.ts';

const PLACES: readonly { region: string; cities: readonly (readonly [string, string])[] }[] = [
  {
    region: '华东',
    cities: [
      ['上海', '上海'],
      ['浙江', '杭州'],
      ['江苏', '南京'],
      ['江苏', '苏州'],
      ['山东', '青岛'],
    ],
  },
  {
    region: '华北',
    cities: [
      ['北京', '北京'],
      ['天津', '天津'],
      ['河北', '石家庄'],
      ['山西', '太原'],
    ],
  },
  {
    region: '华南',
    cities: [
      ['广东', '广州'],
      ['广东', '深圳'],
      ['福建', '厦门'],
      ['广西', '南宁'],
    ],
  },
  {
    region: '华中',
    cities: [
      ['湖北', '武汉'],
      ['湖南', '长沙'],
      ['河南', '郑州'],
    ],
  },
  {
    region: '西南',
    cities: [
      ['四川', '成都'],
      ['重庆', '重庆'],
      ['云南', '昆明'],
    ],
  },
  {
    region: '西北',
    cities: [
      ['陕西', '西安'],
      ['甘肃', '兰州'],
    ],
  },
  {
    region: '东北',
    cities: [
      ['辽宁', '沈阳'],
      ['吉林', '长春'],
      ['黑龙江', '哈尔滨'],
    ],
  },
];
/** Share of customers per region (east and south heavier, as in most Chinese retail). */
const REGION_WEIGHTS = [0.3, 0.18, 0.2, 0.12, 0.1, 0.05, 0.05];
const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'.split(
    '',
  );
const GIVEN =
  '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕辉鹏浩宇欣怡子涵梓萱晨阳一诺思远博文俊熙雨桐'.split(
    '',
  );
const CHANNELS = ['线下门店', '天猫', '京东', '微信小程序', '抖音', '企业直销'] as const;
const CHANNEL_WEIGHTS = [0.22, 0.26, 0.2, 0.14, 0.14, 0.04];
const CATEGORIES = ['服装', '数码', '家居', '美妆', '食品', '母婴', '运动', '图书'] as const;
const DAY_MS = 86_400_000;
/** Dropout and the end date cut the intended orders by about half; this brings the total to the asked count. */
const COUNT_CORRECTION = 2.1;

export type GenerateOptions = {
  customers: number;
  orders: number;
  seed: number;
  /** the orders file */
  out: string;
  /** the customers file, when wanted */
  customersOut?: string;
  /** last order date (the benchmark's as-of date) */
  endDate?: string;
};

function weightedIndex(rnd: Random, weights: readonly number[]): number {
  let x = rnd.next();
  for (let i = 0; i < weights.length; i++) {
    x -= weights[i];
    if (x < 0) return i;
  }
  return weights.length - 1;
}

type Profile = {
  code: string;
  name: string;
  gender: string;
  region: string;
  province: string;
  city: string;
  channel: string;
};

/** A customer's fixed traits; the same draws feed both files. */
function profileOf(rnd: Random, index: number): Profile {
  const place = PLACES[weightedIndex(rnd, REGION_WEIGHTS)];
  const [province, city] = rnd.pick(place.cities);
  const given = rnd.chance(0.6) ? rnd.pick(GIVEN) + rnd.pick(GIVEN) : rnd.pick(GIVEN);
  return {
    code: `B${String(index + 1).padStart(7, '0')}`,
    name: rnd.pick(SURNAMES) + given,
    gender: rnd.chance(0.52) ? '女' : '男',
    region: place.region,
    province,
    city,
    channel: CHANNELS[weightedIndex(rnd, CHANNEL_WEIGHTS)],
  };
}

class Writer {
  private chunk = '';
  private readonly out: fs.WriteStream;
  constructor(file: string) {
    this.out = fs.createWriteStream(file);
  }
  async line(text: string): Promise<void> {
    this.chunk += text;
    if (this.chunk.length > 1 << 16) {
      const data = this.chunk;
      this.chunk = '';
      if (!this.out.write(data)) await once(this.out, 'drain');
    }
  }
  async close(): Promise<void> {
    this.out.write(this.chunk);
    this.out.end();
    await once(this.out, 'finish');
  }
}

/**
 * Writes the orders CSV (and the customers CSV when `customersOut` is set); returns
 * the number of order rows written, exactly `orders` unless the customers run out.
 *
 * Each customer has a purchase propensity drawn from a heavy-tailed distribution (a
 * few customers buy very often), a spend level drawn from a Pareto distribution, and
 * a chance of dropping out after every order, so recency, frequency and monetary
 * value spread the way real shops see them.
 */
export async function generateOrdersCsv(options: GenerateOptions): Promise<number> {
  const end = Date.parse(`${options.endDate ?? '2024-06-30'}T00:00:00Z`);
  const span = 3 * 365 * DAY_MS;
  const start = end - span;
  const meanOrders = (options.orders / options.customers) * COUNT_CORRECTION;
  const orders = new Writer(options.out);
  const customers = options.customersOut ? new Writer(options.customersOut) : null;
  await orders.line('订单号,客户编号,下单时间,金额,类别,渠道,地区\n');
  await customers?.line('客户编号,姓名,性别,地区,省份,城市,来源渠道\n');
  let written = 0;
  for (let c = 0; c < options.customers; c++) {
    const rnd = createRandom(deriveSeed(options.seed, c));
    const p = profileOf(rnd, c);
    await customers?.line(
      `${p.code},${p.name},${p.gender},${p.region},${p.province},${p.city},${p.channel}\n`,
    );
    if (written >= options.orders) continue;
    const spend = 60 * Math.min(rnd.pareto(1.4), 300);
    // Propensity: lognormal around the mean, so ~10% of customers place ~40% of orders.
    const intended = Math.max(1, Math.round(meanOrders * rnd.lognormal(0.55, 1.1)));
    const dropout = 0.02 + rnd.next() * 0.05;
    const firstAt = start + rnd.next() * span * 0.9;
    const gap = Math.max(1, (end - firstAt) / DAY_MS / (intended + 1));
    const favourite = rnd.pick(CATEGORIES);
    let t = firstAt;
    for (let k = 0; k < intended && written < options.orders && t <= end; k++) {
      const d = new Date(t);
      // 双11 and 618: pull some orders into the peak weeks
      if (rnd.chance(0.1)) d.setUTCMonth(10, rnd.int(1, 11));
      else if (rnd.chance(0.05)) d.setUTCMonth(5, rnd.int(1, 18));
      const when = Math.min(d.getTime(), end);
      const fen = Math.max(100, Math.round(spend * rnd.lognormal(1, 0.6) * 100));
      const amount = rnd.chance(0.03) ? -Math.round(fen / 2) : fen;
      const stamp = new Date(when + rnd.int(8, 22) * 3_600_000 + rnd.int(0, 3599) * 1000)
        .toISOString()
        .slice(0, 19)
        .replace('T', ' ');
      const category = rnd.chance(0.7) ? favourite : rnd.pick(CATEGORIES);
      written++;
      await orders.line(
        `O${written},${p.code},${stamp},${(amount / 100).toFixed(2)},${category},${rnd.chance(0.8) ? p.channel : rnd.pick(CHANNELS)},${p.region}\n`,
      );
      if (rnd.chance(dropout)) break;
      t += rnd.exponential(gap) * DAY_MS;
    }
  }
  await orders.close();
  await customers?.close();
  return written;
}
