import fc from 'fast-check';
import type { RuleRow } from '../../src/core/rules/index.ts';
import type { Db } from '../../src/db/database.ts';
import type { CustomerMetricsTable, CustomersTable } from '../../src/db/schema.ts';

/**
 * A small customer population full of edge cases for comparing the evaluator with
 * SQL: many nulls, zeros, negative amounts, repeated values, CJK and emoji text,
 * quotes, leading/trailing spaces, customers without metrics.
 */

export const STRINGS = [
  '华东',
  '华北',
  '华南',
  '',
  'VIP',
  'vip',
  'abc',
  'ab',
  'a"b',
  "it's",
  '😀 x',
  '张三',
  '东',
  ' 华东',
  '华东 ',
];
export const DATES = ['1999-12-31', '2020-02-29', '2023-01-01', '2023-12-31', '2024-01-01', '2024-06-15'];
export const TAGS = ['VIP', '重点客户', 'churn risk'];

const nullable = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | null> => fc.option(a, { nil: null, freq: 3 });
const text = nullable(fc.constantFrom(...STRINGS));
const date = nullable(fc.constantFrom(...DATES));
const smallInt = fc.oneof(fc.constantFrom(-1, 0, 1, 2, 3, 5, 10, 100), fc.integer({ min: -50, max: 400 }));
const fen = fc.oneof(
  fc.constantFrom(0, 1, -1, 100, 199, 200_000, 1_000_000, 1_234_500, -50_000),
  fc.integer({ min: -2_000_000, max: 50_000_000 }),
);
const score = nullable(fc.integer({ min: 1, max: 5 }));
// Fractions a double cannot hold exactly (0.1, 4.35, 1/3) next to ones it can.
const real = nullable(
  fc.oneof(
    fc.constantFrom(0, 0.1, 0.2, 0.3, 0.5, 1 / 3, 2.5, 4.35, -1.5, 3, 100.25),
    fc.integer({ min: -40, max: 40 }).map((n) => n / 8),
  ),
);

export type CustomerAttributes = Omit<
  CustomersTable,
  | 'id'
  | 'code'
  | 'version'
  | 'phone_enc'
  | 'phone_idx'
  | 'email_enc'
  | 'email_idx'
  | 'address_enc'
  | 'attributes'
  | 'consent_marketing'
  | 'opening_order_count'
  | 'opening_amount'
  | 'opening_first_date'
  | 'opening_last_date'
  | 'import_job_id'
  | 'created_at'
  | 'updated_at'
  | 'erased_at'
>;

export type MetricValues = Omit<CustomerMetricsTable, 'customer_id' | 'as_of' | 'computed_at'>;

export type GeneratedCustomer = {
  attributes: CustomerAttributes;
  metrics: MetricValues | null;
  tags: string[];
};

const attributes: fc.Arbitrary<CustomerAttributes> = fc.record({
  name: text,
  kind: fc.constantFrom('individual', 'company'),
  gender: text,
  age: nullable(smallInt),
  birth_date: date,
  region: text,
  province: text,
  city: text,
  source: text,
  owner_user_id: nullable(fc.integer({ min: 0, max: 3 })),
  industry: text,
  company_size: text,
  ownership_type: text,
  price_sensitivity: text,
  payment_habit: text,
  procurement_mode: text,
  preference: text,
});

const metrics: fc.Arbitrary<MetricValues> = fc.record({
  order_count: fc.integer({ min: 0, max: 20 }),
  total_amount: fen,
  avg_order_amount: nullable(fen),
  first_order_date: date,
  last_order_date: date,
  recency_days: nullable(smallInt),
  tenure_days: nullable(smallInt),
  order_count_365d: fc.integer({ min: 0, max: 10 }),
  total_amount_365d: fen,
  gross_profit_365d: nullable(fen),
  amount_180d: fen,
  amount_prev_180d: fen,
  distinct_categories: fc.integer({ min: 0, max: 6 }),
  avg_interpurchase_days: real,
  satisfaction_avg: real,
  nps_avg: real,
  complaint_count_365d: fc.integer({ min: 0, max: 3 }),
  interactions_90d: fc.integer({ min: 0, max: 3 }),
  days_since_contact: nullable(smallInt),
  r_score: score,
  f_score: score,
  m_score: score,
  value_score: real,
  potential_score: real,
});

export const populationArbitrary: fc.Arbitrary<GeneratedCustomer[]> = fc.array(
  fc.record({
    attributes,
    metrics: fc.option(metrics, { nil: null, freq: 6 }),
    tags: fc.subarray(TAGS),
  }),
  { minLength: 30, maxLength: 50 },
);

/** The rule row the evaluator sees for a customer: raw values, metrics absent (null) without a metrics row. */
export function ruleRowOf(code: string, c: GeneratedCustomer): RuleRow {
  return { code, ...c.attributes, ...(c.metrics ?? {}) };
}

/** Inserts the population with ids 1..n, its metrics and tags; returns the rule rows by id. */
export async function insertPopulation(
  db: Db,
  population: GeneratedCustomer[],
): Promise<Map<number, RuleRow>> {
  const now = '2024-07-01T00:00:00.000Z';
  const rows = new Map<number, RuleRow>();
  const tagIds = new Map<string, number>();
  for (const [i, name] of TAGS.entries()) {
    await db
      .insertInto('tags')
      .values({
        id: i + 1,
        name,
        mode: 'manual',
        category_id: null,
        rule: null,
        color: null,
        created_at: now,
      })
      .execute();
    tagIds.set(name, i + 1);
  }
  for (const [i, c] of population.entries()) {
    const id = i + 1;
    const code = `客户-${id}`;
    await db
      .insertInto('customers')
      .values({
        id,
        code,
        ...c.attributes,
        consent_marketing: 0,
        opening_order_count: 0,
        opening_amount: 0,
        created_at: now,
        updated_at: now,
      })
      .execute();
    if (c.metrics) {
      await db
        .insertInto('customer_metrics')
        .values({ customer_id: id, as_of: '2024-07-01', computed_at: now, ...c.metrics })
        .execute();
    }
    for (const tag of c.tags) {
      await db
        .insertInto('customer_tags')
        .values({ customer_id: id, tag_id: tagIds.get(tag)!, source: 'manual', assigned_at: now })
        .execute();
    }
    rows.set(id, ruleRowOf(code, c));
  }
  return rows;
}
