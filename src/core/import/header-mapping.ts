/**
 * Column mapping for import (docs/import.md): which header of a file feeds which target
 * field of an entity. Automatic from Chinese or English headers, overridable by an
 * explicit `{ "<target field>": "<header text>" }` object. Pure: no I/O.
 *
 * Typical use by the import service:
 *
 * ```ts
 * const applied = applyExplicitMapping({ entity: 'orders', headers: table.headers, explicit: userJson ?? {} });
 * if (!applied.ok) throw …applied.errors;            // unknown fields, headers not in the file
 * if (applied.result.missing.length > 0) throw …;     // required columns absent
 * for (const f of TARGET_FIELDS.orders) {             // per row:
 *   const i = applied.result.mapping[f.key];
 *   if (i !== undefined) cleanValue(f.cleaner, cells[i], { timeZone });
 * }
 * ```
 */
import type { Bilingual } from '../bilingual.ts';
import { type CleanerKind, toHalfWidth } from './clean.ts';

export type ImportEntity = 'customers' | 'orders' | 'interactions' | 'feedback';

export const IMPORT_ENTITIES: readonly ImportEntity[] = ['customers', 'orders', 'interactions', 'feedback'];

/** A field an import can fill, with the cleaner its cells go through and the headers that name it. */
export type TargetField = {
  key: string;
  zh: string;
  en: string;
  cleaner: CleanerKind;
  /** header texts that map to this field automatically (zh and en; compared after {@link normaliseHeader}) */
  synonyms: readonly string[];
};

/** target field key → 0-based index into the file's headers */
export type HeaderMapping = Record<string, number>;

/** Alternative sets of fields; the rule is met when every field of one set is mapped. */
export type RequiredRule = readonly (readonly string[])[];

/** A required input that no header provides. */
export type MissingRequirement = {
  anyOf: RequiredRule;
  message: Bilingual;
};

export type MappingResult = {
  mapping: HeaderMapping;
  /** header texts that feed no field, in file order (the service may keep them as custom attributes) */
  unmatched: string[];
  /**
   * keys of required fields with no column; for an either/or rule (orders: amount, or
   * quantity + unit_price) the keys of its first alternative. `missing` has the full rule.
   */
  missingRequired: string[];
  missing: MissingRequirement[];
};

const field = (
  key: string,
  zh: string,
  en: string,
  cleaner: CleanerKind,
  synonyms: readonly string[] = [],
): TargetField => ({ key, zh, en, cleaner, synonyms: [zh, en, key, ...synonyms] });

const CUSTOMER_CODE_SYNONYMS = [
  '客户编号',
  '客户ID',
  '客户代码',
  '客户编码',
  '客户号',
  '会员号',
  '会员编号',
  '会员ID',
  '会员卡号',
  'customer code',
  'customer id',
  'customerid',
  'customer no',
  'customer number',
  'client id',
];

const customerCode = (): TargetField =>
  field('customer_code', '客户编号', 'Customer code', 'code', [
    ...CUSTOMER_CODE_SYNONYMS,
    'customer',
    '客户',
  ]);

/**
 * The fields of each entity. Synonyms must be unique within an entity after
 * normalisation (a test checks it), so automatic matching is never ambiguous.
 */
export const TARGET_FIELDS: Readonly<Record<ImportEntity, readonly TargetField[]>> = {
  customers: [
    field('code', '客户编号', 'Customer code', 'code', [...CUSTOMER_CODE_SYNONYMS, 'code', 'id', 'no']),
    field('name', '姓名', 'Name', 'text', [
      '名称',
      '客户名称',
      '客户姓名',
      '公司名称',
      '企业名称',
      '单位名称',
      'customer name',
      'full name',
      'company name',
    ]),
    field('gender', '性别', 'Gender', 'gender', ['sex']),
    field('age', '年龄', 'Age', 'age'),
    field('birth_date', '出生日期', 'Birth date', 'date', [
      '生日',
      '出生年月日',
      'birthday',
      'date of birth',
      'dob',
    ]),
    field('phone', '联系方式', 'Phone', 'phone', [
      '手机',
      '手机号',
      '手机号码',
      '电话',
      '联系电话',
      '电话号码',
      '移动电话',
      'mobile',
      'tel',
      'telephone',
      'phone number',
      'mobile phone',
    ]),
    field('email', '邮箱', 'Email', 'email', [
      '电子邮件',
      '电子邮箱',
      '邮件',
      '邮箱地址',
      'e-mail',
      'mail',
      'email address',
    ]),
    field('address', '地址', 'Address', 'text', ['联系地址', '详细地址', '收货地址', '通讯地址']),
    field('region', '地区', 'Region', 'text', ['区域', '大区', '所属区域', 'area']),
    field('province', '省份', 'Province', 'text', ['省', '所在省份', 'state']),
    field('city', '城市', 'City', 'text', ['市', '所在城市']),
    field('country', '国家', 'Country', 'text', ['国家/地区', '国别']),
    field('industry', '行业', 'Industry', 'text', ['所属行业', '行业类别']),
    field('company_size', '企业规模', 'Company size', 'text', ['规模', '公司规模', '人员规模', 'size']),
    field('ownership_type', '企业性质', 'Ownership type', 'text', ['公司性质', '单位性质']),
    field('price_sensitivity', '价格敏感度', 'Price sensitivity', 'text'),
    field('payment_habit', '付款习惯', 'Payment habit', 'text'),
    field('procurement_mode', '采购方式', 'Procurement mode', 'text'),
    field('kind', '客户类型', 'Customer kind', 'customer_kind', [
      '类型',
      '客户性质',
      'kind',
      'customer type',
      'type',
    ]),
    field('source', '来源', 'Source', 'text', [
      '渠道来源',
      '来源渠道',
      '客户来源',
      '获客渠道',
      '渠道',
      'channel',
    ]),
    field('owner', '负责人', 'Owner', 'text', [
      '客户经理',
      '归属销售',
      '销售负责人',
      'account manager',
      'sales rep',
    ]),
    // Opening balances: the seed template (客户基本信息表) carries each customer's history
    // as totals; orders imported later add to them.
    field('opening_amount', '累计消费金额', 'Total amount', 'money', ['累计金额', '消费总额', 'monetary']),
    field('opening_order_count', '累计消费次数', 'Order count', 'count', [
      '消费频次',
      '消费次数',
      '购买次数',
      'frequency',
    ]),
    field('opening_avg_amount', '平均消费金额', 'Average order amount', 'money', [
      '客单价',
      '平均金额',
      'avg amount',
      'average amount',
    ]),
    field('opening_first_date', '首次消费时间', 'First order date', 'date', [
      '首次消费日期',
      '首次购买时间',
      '首次购买日期',
      'first purchase date',
    ]),
    field('opening_last_date', '最近消费时间', 'Last order date', 'date', [
      '最近消费日期',
      '最后消费时间',
      '最近购买时间',
      '最近购买日期',
      'last purchase date',
    ]),
    field('preference', '消费偏好', 'Preference', 'text', ['偏好', '购买偏好']),
  ],
  orders: [
    customerCode(),
    field('order_no', '订单号', 'Order no', 'code', [
      '订单编号',
      '单号',
      '订单ID',
      '发票号',
      '交易号',
      '流水号',
      'invoice',
      'invoiceno',
      'invoice no',
      'order id',
      'order number',
    ]),
    field('date', '消费时间', 'Date', 'date', [
      '下单时间',
      '订单日期',
      '日期',
      '时间',
      '消费日期',
      '交易时间',
      '交易日期',
      '购买时间',
      '购买日期',
      '下单日期',
      '订单时间',
      'invoicedate',
      'order date',
      'purchase date',
      'transaction date',
    ]),
    field('amount', '消费金额', 'Amount', 'money', [
      '金额',
      '实付金额',
      '订单金额',
      '交易金额',
      '实收金额',
      '支付金额',
      '销售额',
      'total',
      'order amount',
      'sales',
      'dollar value',
    ]),
    field('quantity', '数量', 'Quantity', 'decimal', ['购买数量', '件数', 'qty']),
    field('unit_price', '单价', 'Unit price', 'money', [
      '价格',
      '销售单价',
      '成交单价',
      'unitprice',
      'price',
    ]),
    field('cost', '成本', 'Cost', 'money', ['成本金额', '成本价']),
    field('product', '产品', 'Product', 'text', [
      '商品',
      '商品名称',
      '产品名称',
      '品名',
      'description',
      'product name',
      'item',
    ]),
    field('product_code', '商品编码', 'Product code', 'code', [
      '产品编码',
      '商品编号',
      '产品编号',
      '货号',
      'stockcode',
      'stock code',
      'sku',
    ]),
    field('category', '类别', 'Category', 'text', ['品类', '商品类别', '产品类别', '商品分类', '产品分类']),
    field('channel', '渠道', 'Channel', 'text', ['销售渠道', '购买渠道', '下单渠道']),
    field('status', '状态', 'Status', 'text', ['订单状态']),
    field('country', '国家', 'Country', 'text', ['国家/地区']),
  ],
  interactions: [
    customerCode(),
    field('date', '时间', 'Date', 'date', [
      '日期',
      '互动时间',
      '互动日期',
      '沟通时间',
      '联系时间',
      '跟进时间',
      'time',
    ]),
    field('channel', '方式', 'Channel', 'interaction_channel', ['渠道', '互动方式', '沟通方式', '联系渠道']),
    field('direction', '方向', 'Direction', 'interaction_direction', ['呼入呼出', '互动方向']),
    field('subject', '主题', 'Subject', 'text', ['事由', '标题', 'topic']),
    field('request', '客户需求', 'Request', 'text', ['需求', '诉求', '问题描述']),
    field('solution', '解决方案', 'Solution', 'text', ['处理方案', '处理措施']),
    field('outcome', '结果', 'Outcome', 'text', ['处理结果', '跟进结果', '互动结果', 'result']),
    field('user', '负责人', 'User', 'text', ['处理人', '客服', '跟进人', 'agent', 'owner']),
    field('external_id', '记录编号', 'External id', 'code', ['记录ID', '互动编号', '工单号', 'record id']),
  ],
  feedback: [
    customerCode(),
    field('date', '时间', 'Date', 'date', ['日期', '反馈时间', '反馈日期', '评价时间']),
    field('satisfaction', '满意度', 'Satisfaction', 'satisfaction', ['满意度评分', '评分', 'csat', 'rating']),
    field('nps', '推荐意愿', 'NPS', 'nps', ['推荐度', '推荐指数', '推荐意愿评分', 'likelihood to recommend']),
    field('comment', '意见', 'Comment', 'text', [
      '评价',
      '反馈内容',
      '客户意见',
      '反馈',
      '评价内容',
      'feedback',
    ]),
    field('suggestion', '建议', 'Suggestion', 'text', ['改进建议']),
    field('kind', '类型', 'Kind', 'feedback_kind', ['反馈类型', 'type']),
    field('status', '状态', 'Status', 'feedback_status', ['处理状态']),
    field('resolution', '处理结果', 'Resolution', 'text', ['处理意见', '处理说明']),
    field('handled_by', '处理人', 'Handled by', 'text', ['负责人']),
    field('external_id', '反馈编号', 'External id', 'code', ['记录编号', '记录ID']),
  ],
};

/** The required inputs of each entity; every rule must be met. */
export const REQUIRED_FIELDS: Readonly<Record<ImportEntity, readonly RequiredRule[]>> = {
  customers: [[['code']]],
  orders: [[['customer_code']], [['date']], [['amount'], ['quantity', 'unit_price']]],
  interactions: [[['customer_code']], [['date']]],
  feedback: [[['customer_code']], [['date']]],
};

/**
 * Header text as compared for matching: half-width, lower-case, with everything but
 * letters and digits removed. `normaliseHeader(' Customer_ID ') === 'customerid'`,
 * `normaliseHeader('＊客户编号') === '客户编号'`.
 */
export function normaliseHeader(header: string): string {
  return toHalfWidth(header)
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}

// Remarks in brackets — `消费金额(元)`, `出生日期（yyyy-mm-dd）`, `客户编号[必填]` — are a
// second chance, tried only when the full header names nothing.
const BRACKETED = /[(（[【<《{][^)）\]】>》}]*[)）\]】>》}]/g;

function withoutRemarks(header: string): string {
  return normaliseHeader(header.replace(BRACKETED, ''));
}

const synonymIndex = new Map<ImportEntity, Map<string, string>>();

function synonymsOf(entity: ImportEntity): Map<string, string> {
  let index = synonymIndex.get(entity);
  if (!index) {
    index = new Map();
    for (const target of TARGET_FIELDS[entity]) {
      for (const synonym of target.synonyms) {
        const key = normaliseHeader(synonym);
        if (!index.has(key)) index.set(key, target.key);
      }
    }
    synonymIndex.set(entity, index);
  }
  return index;
}

/** The target field a header names for an entity, or null: `fieldForHeader('orders', 'InvoiceDate') === 'date'`. */
export function fieldForHeader(entity: ImportEntity, header: string): string | null {
  const index = synonymsOf(entity);
  return index.get(normaliseHeader(header)) ?? index.get(withoutRemarks(header)) ?? null;
}

/** The definition of one target field, or undefined for an unknown key. */
export function targetField(entity: ImportEntity, key: string): TargetField | undefined {
  return TARGET_FIELDS[entity].find((f) => f.key === key);
}

function label(entity: ImportEntity, key: string): { zh: string; en: string } {
  const target = targetField(entity, key);
  return target ? { zh: target.zh, en: target.en } : { zh: key, en: key };
}

function describeRule(entity: ImportEntity, rule: RequiredRule): MissingRequirement {
  const zh = rule.map((set) => set.map((k) => `“${label(entity, k).zh}”`).join('与')).join('，或');
  const en = rule.map((set) => set.map((k) => `"${label(entity, k).en}"`).join(' and ')).join(', or ');
  return {
    anyOf: rule,
    message: {
      zh: `缺少必需的列：${zh}`,
      en: `Missing required column: ${en}`,
    },
  };
}

function complete(entity: ImportEntity, headers: readonly string[], mapping: HeaderMapping): MappingResult {
  const used = new Set(Object.values(mapping));
  const unmatched = headers.filter((_, i) => !used.has(i));
  const missing: MissingRequirement[] = [];
  const missingRequired: string[] = [];
  for (const rule of REQUIRED_FIELDS[entity]) {
    if (rule.some((set) => set.every((k) => k in mapping))) continue;
    missing.push(describeRule(entity, rule));
    missingRequired.push(...rule[0].filter((k) => !(k in mapping)));
  }
  return { mapping, unmatched, missingRequired, missing };
}

/**
 * Maps headers to target fields by their Chinese or English names. When two headers
 * name the same field the first one wins and the other stays unmatched.
 * `suggestMapping('orders', ['InvoiceNo', 'InvoiceDate', 'CustomerID'])` →
 * `{ mapping: { order_no: 0, date: 1, customer_code: 2 }, missingRequired: ['amount'], … }`.
 */
export function suggestMapping(entity: ImportEntity, headers: readonly string[]): MappingResult {
  const mapping: HeaderMapping = {};
  headers.forEach((header, i) => {
    const key = fieldForHeader(entity, header);
    if (key !== null && !(key in mapping)) mapping[key] = i;
  });
  return complete(entity, headers, mapping);
}

export type MappingErrorCode = 'invalid_mapping' | 'unknown_field' | 'unknown_header' | 'header_used_twice';

export type MappingError = {
  code: MappingErrorCode;
  /** the target field the entry named, when there is one */
  field?: string;
  /** the header text the entry named, when there is one */
  header?: string;
  message: Bilingual;
};

export type ExplicitMappingOptions = {
  entity: ImportEntity;
  headers: readonly string[];
  /**
   * `{ "<target field>": "<header text>" }`, typically straight from JSON.parse; a null
   * or empty value removes that field from the automatic mapping.
   */
  explicit: unknown;
  /** the mapping to override; default: {@link suggestMapping} of the headers */
  base?: HeaderMapping;
};

/**
 * Overrides the automatic mapping with a user-provided one. Headers are found by exact
 * text first, then by normalised text (`customer id` finds `CustomerID`). A header given
 * to a field is taken away from any field it fed automatically. Every bad entry is
 * reported, not only the first:
 * `applyExplicitMapping({ entity: 'orders', headers, explicit: { amount: 'Total' } })`.
 */
export function applyExplicitMapping(
  options: ExplicitMappingOptions,
): { ok: true; result: MappingResult } | { ok: false; errors: MappingError[] } {
  const { entity, headers, explicit } = options;
  if (typeof explicit !== 'object' || explicit === null || Array.isArray(explicit)) {
    return {
      ok: false,
      errors: [
        {
          code: 'invalid_mapping',
          message: {
            zh: '列映射应为 JSON 对象，如 {"code": "会员号"}',
            en: 'The column mapping must be a JSON object such as {"code": "Member no"}',
          },
        },
      ],
    };
  }
  const mapping: HeaderMapping = { ...(options.base ?? suggestMapping(entity, headers).mapping) };
  const errors: MappingError[] = [];
  const claimed = new Map<number, string>();
  const knownKeys = TARGET_FIELDS[entity].map((f) => f.key).join(', ');

  for (const [key, value] of Object.entries(explicit)) {
    if (!targetField(entity, key)) {
      errors.push({
        code: 'unknown_field',
        field: key,
        message: {
          zh: `“${key}”不是${entity}可导入的字段；可用字段：${knownKeys}`,
          en: `"${key}" is not a field of ${entity}; known fields: ${knownKeys}`,
        },
      });
      continue;
    }
    if (value === null || value === '') {
      delete mapping[key];
      continue;
    }
    if (typeof value !== 'string') {
      errors.push({
        code: 'invalid_mapping',
        field: key,
        message: {
          zh: `字段“${key}”的映射应为表头文字`,
          en: `The mapping of "${key}" must be header text`,
        },
      });
      continue;
    }
    const index = findHeader(headers, value);
    if (index === -1) {
      errors.push({
        code: 'unknown_header',
        field: key,
        header: value,
        message: {
          zh: `文件中没有表头“${value}”；现有表头：${headers.join('，')}`,
          en: `The file has no header "${value}"; its headers are: ${headers.join(', ')}`,
        },
      });
      continue;
    }
    const other = claimed.get(index);
    if (other !== undefined) {
      errors.push({
        code: 'header_used_twice',
        field: key,
        header: value,
        message: {
          zh: `表头“${value}”同时被映射到“${other}”和“${key}”`,
          en: `Header "${value}" is mapped to both "${other}" and "${key}"`,
        },
      });
      continue;
    }
    claimed.set(index, key);
    for (const [existing, i] of Object.entries(mapping)) {
      if (i === index && existing !== key) delete mapping[existing];
    }
    mapping[key] = index;
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, result: complete(entity, headers, mapping) };
}

function findHeader(headers: readonly string[], text: string): number {
  const exact = headers.indexOf(text);
  if (exact !== -1) return exact;
  const trimmed = headers.findIndex((h) => h.trim() === text.trim());
  if (trimmed !== -1) return trimmed;
  const wanted = normaliseHeader(text);
  return wanted === '' ? -1 : headers.findIndex((h) => normaliseHeader(h) === wanted);
}
