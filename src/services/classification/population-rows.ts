import { FIELDS } from '../../core/fields.ts';
import type { RuleRow } from '../../core/rules/index.ts';
import { CUSTOMER_RULE_COLUMNS, type CustomerAttributes } from '../../db/customers/customers.repository.ts';
import type { MetricsRow } from '../../db/schema.ts';
import { dateOf, METRICS_COLUMNS, NUMERIC_METRICS, type Population } from './population.ts';

// A population's customers as rows: metrics rows to write, rule rows to classify, and
// the values population statistics read.

const orNull = (v: number): number | null => (Number.isNaN(v) ? null : v);

/** Slot `i`'s customer_metrics row as positional values in {@link METRICS_COLUMNS} order. */
export function metricsValuesAt(p: Population, i: number, computedAt: string): unknown[] {
  const out: unknown[] = new Array(METRICS_COLUMNS.length);
  out[0] = p.ids[i];
  out[1] = p.asOf;
  out[2] = dateOf(p.firstOrderDate[i]);
  out[3] = dateOf(p.lastOrderDate[i]);
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
          row[f.key] = dateOf(p.firstOrderDate[i]);
          break;
        case 'last':
          row[f.key] = dateOf(p.lastOrderDate[i]);
          break;
        default:
          row[f.key] = null;
      }
    }
    return row;
  };
}

/**
 * The raw non-null numeric values of one field over the whole population, for
 * population statistics (`avg(r_score)`), read straight from its columns.
 */
export function statValues(p: Population, fieldKey: string): Float64Array {
  const f = FIELDS.find((x) => x.key === fieldKey);
  if (!f) return new Float64Array(0);
  const column = f.column ?? f.key;
  const out = new Float64Array(p.size);
  let n = 0;
  if (f.source === 'customer') {
    for (const v of p.attributes.get(column) ?? []) {
      if (v === null) continue;
      const x = typeof v === 'number' ? v : Number(v);
      if (Number.isFinite(x)) out[n++] = x;
    }
  } else if (column in p.numbers) {
    const values = p.numbers[column as keyof Population['numbers']];
    for (let i = 0; i < p.size; i++) {
      const v = values[i];
      if (Number.isFinite(v)) out[n++] = v;
    }
  }
  return out.subarray(0, n);
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
