import { addDays, daysBetween } from './dates.ts';
import type { MetricKey } from './fields.ts';

/**
 * Per-customer aggregates as the database returns them for one as-of date
 * (orders with status completed and order_date ≤ asOf only).
 */
export type CustomerAggregates = {
  customerId: number;
  /** opening balance imported from a summary sheet */
  openingOrderCount: number;
  openingAmount: number;
  openingFirstDate: string | null;
  openingLastDate: string | null;
  /** orders with amount > 0 */
  positiveCount: number;
  /** net sum of all amounts (returns are negative) */
  amountSum: number;
  firstDate: string | null;
  lastDate: string | null;
  count365: number;
  amount365: number;
  /** sum of amount − cost over orders in the window that carry a cost; null when none do */
  profit365: number | null;
  amount180: number;
  amountPrev180: number;
  distinctCategories: number;
  satisfactionAvg: number | null;
  npsAvg: number | null;
  complaints365: number;
  interactions90: number;
  lastContactDate: string | null;
};

export type CustomerMetrics = {
  customerId: number;
  asOf: string;
  orderCount: number;
  totalAmount: number;
  avgOrderAmount: number | null;
  firstOrderDate: string | null;
  lastOrderDate: string | null;
  recencyDays: number | null;
  tenureDays: number | null;
  orderCount365d: number;
  totalAmount365d: number;
  grossProfit365d: number | null;
  amount180d: number;
  amountPrev180d: number;
  distinctCategories: number;
  avgInterpurchaseDays: number | null;
  satisfactionAvg: number | null;
  npsAvg: number | null;
  complaintCount365d: number;
  interactions90d: number;
  daysSinceContact: number | null;
};

/** `true` when A and B are the same set of keys, else `false`: `true satisfies SameKeys<A, B>`. */
export type SameKeys<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** snake_case → camelCase: `CamelCase<'order_count_365d'>` is `'orderCount365d'`. */
export type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;

// CustomerMetrics holds every metric of the registry (core/fields.ts) but the population
// scores, which are computed over everyone: adding a metric to either alone fails here.
true satisfies SameKeys<
  Exclude<keyof CustomerMetrics, 'customerId' | 'asOf'>,
  CamelCase<Exclude<MetricKey, `${string}_score`>>
>;

/** The date windows of docs/classification.md#metrics for an as-of date; a window is `start < date ≤ asOf`. */
export function metricWindows(asOf: string) {
  return {
    start365: addDays(asOf, -365),
    start180: addDays(asOf, -180),
    start360: addDays(asOf, -360),
    start90: addDays(asOf, -90),
  };
}

function minDate(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a < b ? a : b;
}

function maxDate(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a > b ? a : b;
}

/** Rounds half away from zero, for fen averages. */
function roundFen(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x));
}

/** The metrics of docs/classification.md#metrics from one customer's aggregates. */
export function computeMetrics(a: CustomerAggregates, asOf: string): CustomerMetrics {
  const orderCount = a.positiveCount + a.openingOrderCount;
  const totalAmount = a.amountSum + a.openingAmount;
  const first = minDate(a.firstDate, a.openingFirstDate);
  const last = maxDate(a.lastDate, a.openingLastDate);
  return {
    customerId: a.customerId,
    asOf,
    orderCount,
    totalAmount,
    avgOrderAmount: orderCount > 0 ? roundFen(totalAmount / orderCount) : null,
    firstOrderDate: first,
    lastOrderDate: last,
    recencyDays: last === null ? null : daysBetween(last, asOf),
    tenureDays: first === null ? null : daysBetween(first, asOf),
    orderCount365d: a.count365,
    totalAmount365d: a.amount365,
    grossProfit365d: a.profit365,
    amount180d: a.amount180,
    amountPrev180d: a.amountPrev180,
    distinctCategories: a.distinctCategories,
    avgInterpurchaseDays:
      orderCount >= 2 && first !== null && last !== null ? daysBetween(first, last) / (orderCount - 1) : null,
    satisfactionAvg: a.satisfactionAvg,
    npsAvg: a.npsAvg,
    complaintCount365d: a.complaints365,
    interactions90d: a.interactions90,
    daysSinceContact: a.lastContactDate === null ? null : daysBetween(a.lastContactDate, asOf),
  };
}
