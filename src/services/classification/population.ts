import { FIELDS } from '../../core/fields.ts';
import { computeMetrics } from '../../core/metrics.ts';
import {
  emptyScoreColumns,
  INDICATORS,
  type Indicator,
  type PopulationSummary,
  populationCounts,
  type ScoreColumns,
  scoreOne,
  setScoreInputs,
  sortedPopulations,
  summarize,
} from '../../core/population-scores.ts';
import type { RuleRow } from '../../core/rules/index.ts';
import type { Db } from '../../db/connect.ts';
import { CUSTOMER_RULE_COLUMNS, type CustomerAttributes } from '../../db/customers.repository.ts';
import { loadAggregatePage } from '../../db/metrics.repository.ts';
import type { CustomerMetricsTable, MetricsRow } from '../../db/schema.ts';

/** Customers read per page: bounds memory and statement size whatever the population. */
export const PAGE_SIZE = 20_000;

type NumericMetric = Exclude<
  keyof CustomerMetricsTable,
  'customer_id' | 'as_of' | 'first_order_date' | 'last_order_date' | 'computed_at'
>;

const NUMERIC_METRICS = [
  'order_count',
  'total_amount',
  'avg_order_amount',
  'recency_days',
  'tenure_days',
  'order_count_365d',
  'total_amount_365d',
  'gross_profit_365d',
  'amount_180d',
  'amount_prev_180d',
  'distinct_categories',
  'avg_interpurchase_days',
  'satisfaction_avg',
  'nps_avg',
  'complaint_count_365d',
  'interactions_90d',
  'days_since_contact',
  'r_score',
  'f_score',
  'm_score',
  'value_score',
  'potential_score',
] as const satisfies readonly NumericMetric[];

/** Column order of customer_metrics rows written by {@link metricsRowValues}. */
export const METRICS_COLUMNS = [
  'customer_id',
  'as_of',
  'first_order_date',
  'last_order_date',
  ...NUMERIC_METRICS,
  'computed_at',
] as const;

/**
 * Every customer's metrics and scores as of one date, column by column (NaN = null),
 * in ascending customer id. A million customers take about 250 MB this way, where one
 * object per customer took several GB.
 */
export type Population = {
  asOf: string;
  size: number;
  ids: Float64Array;
  numbers: Record<(typeof NUMERIC_METRICS)[number], Float64Array>;
  firstOrderDate: (string | null)[];
  lastOrderDate: (string | null)[];
  /** customer attributes that population statistics of the schemes read, by column */
  attributes: Map<string, (string | number | null)[]>;
  /** sorted values of every scored indicator, for summaries kept with the run */
  sorted: Record<Indicator, Float64Array>;
};

/**
 * Metrics and population scores of every live customer as of `asOf`, read page by
 * page. `attributeColumns` are the customer columns to keep (those the rules read).
 */
export async function computePopulation(
  db: Db,
  options: { asOf: string; attributeColumns?: readonly string[] },
): Promise<Population> {
  const { asOf } = options;
  const attributeColumns = (options.attributeColumns ?? []).filter((c) =>
    (CUSTOMER_RULE_COLUMNS as readonly string[]).includes(c),
  );
  let capacity = PAGE_SIZE;
  let ids: Float64Array = new Float64Array(capacity);
  let numbers = Object.fromEntries(
    NUMERIC_METRICS.map((k) => [k, new Float64Array(capacity)]),
  ) as Population['numbers'];
  let scoreInputs = emptyScoreColumns(capacity);
  const firstOrderDate: (string | null)[] = [];
  const lastOrderDate: (string | null)[] = [];
  const attributes = new Map(attributeColumns.map((c) => [c, [] as (string | number | null)[]]));
  let size = 0;

  const grow = () => {
    capacity *= 2;
    const bigger = (a: Float64Array) => {
      const b = new Float64Array(capacity);
      b.set(a);
      return b;
    };
    ids = bigger(ids);
    numbers = Object.fromEntries(
      NUMERIC_METRICS.map((k) => [k, bigger(numbers[k])]),
    ) as Population['numbers'];
    const inputs = emptyScoreColumns(capacity);
    for (const key of Object.keys(inputs) as (keyof ScoreColumns)[]) {
      if (key !== 'size') inputs[key].set(scoreInputs[key]);
    }
    scoreInputs = inputs;
  };

  let afterId = 0;
  for (;;) {
    const page = await loadAggregatePage(db, {
      asOf,
      afterId,
      limit: PAGE_SIZE,
      columns: [...new Set(['company_size', ...attributeColumns])],
    });
    if (page.length === 0) break;
    for (const { aggregates, customer } of page) {
      if (size === capacity) grow();
      const m = computeMetrics(aggregates, asOf);
      const i = size++;
      ids[i] = m.customerId;
      numbers.order_count[i] = m.orderCount;
      numbers.total_amount[i] = m.totalAmount;
      numbers.avg_order_amount[i] = nan(m.avgOrderAmount);
      numbers.recency_days[i] = nan(m.recencyDays);
      numbers.tenure_days[i] = nan(m.tenureDays);
      numbers.order_count_365d[i] = m.orderCount365d;
      numbers.total_amount_365d[i] = m.totalAmount365d;
      numbers.gross_profit_365d[i] = nan(m.grossProfit365d);
      numbers.amount_180d[i] = m.amount180d;
      numbers.amount_prev_180d[i] = m.amountPrev180d;
      numbers.distinct_categories[i] = m.distinctCategories;
      numbers.avg_interpurchase_days[i] = nan(m.avgInterpurchaseDays);
      numbers.satisfaction_avg[i] = nan(m.satisfactionAvg);
      numbers.nps_avg[i] = nan(m.npsAvg);
      numbers.complaint_count_365d[i] = m.complaintCount365d;
      numbers.interactions_90d[i] = m.interactions90d;
      numbers.days_since_contact[i] = nan(m.daysSinceContact);
      firstOrderDate.push(m.firstOrderDate);
      lastOrderDate.push(m.lastOrderDate);
      const companySize = customer.company_size;
      setScoreInputs(scoreInputs, i, {
        ...m,
        companySize: companySize === null || companySize === undefined ? null : String(companySize),
      });
      for (const [column, values] of attributes) {
        const v = customer[column];
        values.push(v === undefined || v === null ? null : typeof v === 'number' ? v : String(v));
      }
    }
    afterId = page[page.length - 1].aggregates.customerId;
  }

  const trim = (a: Float64Array) => (a.length === size ? a : a.slice(0, size));
  ids = trim(ids);
  numbers = Object.fromEntries(NUMERIC_METRICS.map((k) => [k, trim(numbers[k])])) as Population['numbers'];
  const inputs = emptyScoreColumns(0);
  for (const key of Object.keys(inputs) as (keyof ScoreColumns)[]) {
    if (key !== 'size') inputs[key] = trim(scoreInputs[key]);
  }
  inputs.size = size;
  const sorted = sortedPopulations(inputs);
  const counts = populationCounts(sorted);
  for (let i = 0; i < size; i++) {
    const s = scoreOne(inputs, i, counts);
    numbers.r_score[i] = nan(s.rScore);
    numbers.f_score[i] = nan(s.fScore);
    numbers.m_score[i] = nan(s.mScore);
    numbers.value_score[i] = nan(s.valueScore);
    numbers.potential_score[i] = nan(s.potentialScore);
  }
  return { asOf, size, ids, numbers, firstOrderDate, lastOrderDate, attributes, sorted };
}

/** The summaries of a population's indicators, kept with a run for one-customer reclassification. */
export function summarizePopulation(population: Population): Record<Indicator, PopulationSummary> {
  const out = {} as Record<Indicator, PopulationSummary>;
  for (const indicator of INDICATORS) out[indicator] = summarize(population.sorted[indicator]);
  return out;
}

function nan(v: number | null): number {
  return v === null ? Number.NaN : v;
}

const orNull = (v: number): number | null => (Number.isNaN(v) ? null : v);

/** The customer_metrics row of slot `i`. */
export function metricsRowAt(p: Population, i: number, computedAt: string): CustomerMetricsTable {
  const row: Record<string, string | number | null> = {
    customer_id: p.ids[i],
    as_of: p.asOf,
    first_order_date: p.firstOrderDate[i],
    last_order_date: p.lastOrderDate[i],
    computed_at: computedAt,
  };
  for (const k of NUMERIC_METRICS) row[k] = orNull(p.numbers[k][i]);
  return row as CustomerMetricsTable;
}

/** A metrics row as positional values in {@link METRICS_COLUMNS} order. */
export function metricsRowValues(row: CustomerMetricsTable): unknown[] {
  return METRICS_COLUMNS.map((c) => row[c]);
}

/** Slot `i`'s customer_metrics row as positional values in {@link METRICS_COLUMNS} order. */
export function metricsValuesAt(p: Population, i: number, computedAt: string): unknown[] {
  const out: unknown[] = new Array(METRICS_COLUMNS.length);
  out[0] = p.ids[i];
  out[1] = p.asOf;
  out[2] = p.firstOrderDate[i];
  out[3] = p.lastOrderDate[i];
  let k = 4;
  for (const m of NUMERIC_METRICS) out[k++] = orNull(p.numbers[m][i]);
  out[k] = computedAt;
  return out;
}

type RuleField =
  | { key: string; from: 'attribute'; values: readonly (string | number | null)[] }
  | { key: string; from: 'number'; values: Float64Array }
  | { key: string; from: 'first' | 'last' | 'none' };

/**
 * Fills one rule row per slot of a population without building intermediate objects:
 * `const fill = ruleRowFiller(p); fill(row, i)`. A full run reuses one row object for a
 * million customers. Customer fields come from the attributes the population kept
 * (those the schemes' rules read); the others read as null.
 */
export function ruleRowFiller(
  p: Population,
): (row: Record<string, string | number | null>, i: number) => RuleRow {
  const plan: RuleField[] = FIELDS.map((f): RuleField => {
    const column = f.column ?? f.key;
    if (f.source === 'customer') {
      const values = p.attributes.get(column);
      return values ? { key: f.key, from: 'attribute', values } : { key: f.key, from: 'none' };
    }
    if (column === 'first_order_date') return { key: f.key, from: 'first' };
    if (column === 'last_order_date') return { key: f.key, from: 'last' };
    if (column in p.numbers) {
      return { key: f.key, from: 'number', values: p.numbers[column as keyof Population['numbers']] };
    }
    return { key: f.key, from: 'none' };
  });
  return (row, i) => {
    for (const f of plan) {
      switch (f.from) {
        case 'attribute':
          row[f.key] = f.values[i];
          break;
        case 'number': {
          const v = f.values[i];
          row[f.key] = Number.isNaN(v) ? null : v;
          break;
        }
        case 'first':
          row[f.key] = p.firstOrderDate[i];
          break;
        case 'last':
          row[f.key] = p.lastOrderDate[i];
          break;
        default:
          row[f.key] = null;
      }
    }
    return row;
  };
}

/** The index of customer `id` in the population, or -1. */
export function indexOf(p: Population, id: number): number {
  let lo = 0;
  let hi = p.size;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (p.ids[mid] < id) lo = mid + 1;
    else hi = mid;
  }
  return lo < p.size && p.ids[lo] === id ? lo : -1;
}

/**
 * The rule rows of the whole population for the given fields only, for population
 * statistics (`avg(r_score)`): one small object per customer, built on demand.
 */
export function statRows(p: Population, fieldKeys: readonly string[]): RuleRow[] {
  const wanted = FIELDS.filter((f) => fieldKeys.includes(f.key));
  const rows: RuleRow[] = new Array(p.size);
  for (let i = 0; i < p.size; i++) {
    const row: Record<string, string | number | null> = {};
    for (const f of wanted) {
      const column = f.column ?? f.key;
      if (f.source === 'customer') {
        const v = p.attributes.get(column)?.[i] ?? null;
        row[f.key] = v === null ? null : typeof v === 'number' ? v : String(v);
      } else if (column === 'first_order_date') row[f.key] = p.firstOrderDate[i];
      else if (column === 'last_order_date') row[f.key] = p.lastOrderDate[i];
      else if (column in p.numbers) row[f.key] = orNull(p.numbers[column as keyof Population['numbers']][i]);
      else row[f.key] = null;
    }
    rows[i] = row;
  }
  return rows;
}

/** Rule-visible attributes of a customer row as the rules see them. */
export function attributesOf(customer: Record<string, unknown>): CustomerAttributes {
  const out: CustomerAttributes = {};
  for (const col of CUSTOMER_RULE_COLUMNS) {
    const v = customer[col];
    out[col] = v === undefined || v === null ? null : typeof v === 'number' ? v : String(v);
  }
  return out;
}

/** The rule row of one customer: customer attributes and metric columns by field key. */
export function ruleRowOf(
  attributes: Record<string, unknown>,
  metrics: Partial<MetricsRow> | undefined,
): RuleRow {
  const row: Record<string, string | number | null> = {};
  for (const f of FIELDS) {
    const column = f.column ?? f.key;
    const source: Record<string, unknown> | undefined = f.source === 'customer' ? attributes : metrics;
    const v = source?.[column];
    row[f.key] = v === undefined || v === null ? null : typeof v === 'number' ? v : String(v);
  }
  return row;
}
