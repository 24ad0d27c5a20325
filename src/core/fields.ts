/**
 * The one registry of fields that rules, segments, list filters and exports can name.
 * Every field has a type, zh/en labels (rules accept either label or key) and the
 * relation it lives in, so the rule → SQL compiler knows which column to read.
 */

export type FieldType = 'number' | 'money' | 'string' | 'date' | 'boolean';

/** `customer` = customers table (alias c), `metrics` = customer_metrics (alias m). */
export type FieldSource = 'customer' | 'metrics';

export type FieldDef = {
  key: string;
  type: FieldType;
  source: FieldSource;
  /** column name in its table; defaults to key */
  column?: string;
  zh: string;
  en: string;
  /** extra accepted names (Chinese synonyms) */
  aliases?: readonly string[];
  /** PII fields may never be filtered or sorted on without pii.view */
  pii?: boolean;
};

/** A metric field; its key and type stay literal so the metric lists below are typed. */
const metric = <K extends string, T extends FieldType>(
  key: K,
  type: T,
  zh: string,
  en: string,
  aliases: string[] = [],
): FieldDef & { key: K; type: T } => ({ key, type, source: 'metrics', zh, en, aliases });

const attr = (key: string, type: FieldType, zh: string, en: string, aliases: string[] = []): FieldDef => ({
  key,
  type,
  source: 'customer',
  zh,
  en,
  aliases,
});

/**
 * The metrics, in the column order of customer_metrics: computed per customer by a
 * classification run (docs/classification.md#metrics) and cached there. Every list of
 * metric columns in the code derives from this one, and the table and domain types are
 * checked against it, so a metric is added here first (docs/architecture.md).
 */
export const METRIC_FIELDS = [
  metric('order_count', 'number', '累计消费次数', 'Order count', ['消费次数', '消费频次']),
  metric('total_amount', 'money', '累计消费金额', 'Total amount', ['消费金额', '累计金额']),
  metric('avg_order_amount', 'money', '平均消费金额', 'Average order amount', ['客单价']),
  metric('first_order_date', 'date', '首次消费时间', 'First order date', ['首次消费日期']),
  metric('last_order_date', 'date', '最近消费时间', 'Last order date', ['最近消费日期']),
  metric('recency_days', 'number', '最近消费天数', 'Days since last order', ['最近购买天数']),
  metric('tenure_days', 'number', '客户时长天数', 'Days since first order', ['客龄天数']),
  metric('order_count_365d', 'number', '近一年消费次数', 'Orders in last 365 days'),
  metric('total_amount_365d', 'money', '近一年消费金额', 'Amount in last 365 days'),
  metric('gross_profit_365d', 'money', '近一年毛利', 'Gross profit in last 365 days'),
  metric('amount_180d', 'money', '近180天消费金额', 'Amount in last 180 days'),
  metric('amount_prev_180d', 'money', '前180天消费金额', 'Amount in the 180 days before'),
  metric('distinct_categories', 'number', '购买品类数', 'Distinct categories'),
  metric('avg_interpurchase_days', 'number', '平均购买间隔天数', 'Average days between orders'),
  metric('satisfaction_avg', 'number', '平均满意度', 'Average satisfaction', ['满意度']),
  metric('nps_avg', 'number', '平均推荐意愿', 'Average NPS', ['推荐意愿']),
  metric('complaint_count_365d', 'number', '近一年投诉次数', 'Complaints in last 365 days', ['投诉次数']),
  metric('interactions_90d', 'number', '近90天互动次数', 'Interactions in last 90 days'),
  metric('days_since_contact', 'number', '距上次联系天数', 'Days since last contact'),
  metric('r_score', 'number', 'R评分', 'R score', ['R分']),
  metric('f_score', 'number', 'F评分', 'F score', ['F分']),
  metric('m_score', 'number', 'M评分', 'M score', ['M分']),
  metric('value_score', 'number', '价值得分', 'Value score', ['当前价值']),
  metric('potential_score', 'number', '潜力得分', 'Potential score', ['潜力']),
] as const;

/** A metric's key, which is also its column in customer_metrics: `'total_amount'`. */
export type MetricKey = (typeof METRIC_FIELDS)[number]['key'];

type MetricField = (typeof METRIC_FIELDS)[number];
type NumericMetricField = Extract<MetricField, { type: 'number' | 'money' }>;

/** The metrics held as numbers (all but the first and last order dates). */
export type NumericMetricKey = NumericMetricField['key'];

/** Every metric key, in column order. */
export const METRIC_KEYS: readonly MetricKey[] = METRIC_FIELDS.map((f) => f.key);

const isNumericMetric = (f: MetricField): f is NumericMetricField =>
  f.type === 'number' || f.type === 'money';

/** The numeric metric keys, in column order. */
export const NUMERIC_METRIC_KEYS: readonly NumericMetricKey[] = METRIC_FIELDS.filter(isNumericMetric).map(
  (f) => f.key,
);

export const FIELDS: readonly FieldDef[] = [
  attr('code', 'string', '客户编号', 'Customer code'),
  attr('name', 'string', '客户名称', 'Name', ['姓名', '名称']),
  attr('kind', 'string', '客户类型', 'Kind'),
  attr('gender', 'string', '性别', 'Gender'),
  attr('age', 'number', '年龄', 'Age'),
  attr('birth_date', 'date', '出生日期', 'Birth date'),
  attr('region', 'string', '地区', 'Region', ['区域']),
  attr('province', 'string', '省份', 'Province'),
  attr('city', 'string', '城市', 'City'),
  attr('source', 'string', '来源渠道', 'Source channel', ['来源']),
  attr('industry', 'string', '行业', 'Industry'),
  attr('company_size', 'string', '企业规模', 'Company size', ['规模']),
  attr('ownership_type', 'string', '企业性质', 'Ownership type'),
  attr('price_sensitivity', 'string', '价格敏感度', 'Price sensitivity'),
  attr('payment_habit', 'string', '付款习惯', 'Payment habit'),
  attr('procurement_mode', 'string', '采购方式', 'Procurement mode'),
  attr('preference', 'string', '消费偏好', 'Preference'),
  attr('owner_user_id', 'number', '负责人', 'Owner'),

  ...METRIC_FIELDS,
];

const byName = new Map<string, FieldDef>();
for (const f of FIELDS) {
  byName.set(f.key.toLowerCase(), f);
  byName.set(f.zh, f);
  for (const a of f.aliases ?? []) byName.set(a, f);
}

/** Finds a field by key (case-insensitive), Chinese label or alias: `findField('累计消费金额')?.key === 'total_amount'`. */
export function findField(name: string): FieldDef | undefined {
  return byName.get(name) ?? byName.get(name.toLowerCase());
}

/** All names a user may type for fields (for suggestions and completion). */
export function fieldNames(): string[] {
  return [...byName.keys()];
}

export function fieldLabel(f: FieldDef, locale: 'zh' | 'en'): string {
  return locale === 'zh' ? f.zh : f.en;
}
