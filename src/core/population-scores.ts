import type { CustomerMetrics } from './metrics.ts';
import { composite } from './scoring.ts';

export type ScoreInputs = CustomerMetrics & { companySize: string | null };

export type PopulationScores = {
  rScore: number | null;
  fScore: number | null;
  mScore: number | null;
  valueScore: number | null;
  potentialScore: number | null;
};

/** Company size as an ordinal potential indicator; individuals have none. */
const COMPANY_SIZE_RANK: Record<string, number> = {
  微型: 1,
  小型: 2,
  small: 2,
  中型: 3,
  medium: 3,
  大型: 4,
  large: 4,
  特大型: 5,
};

/** The ordinal of a company size (null for individuals and unknown sizes). */
export function companySizeRank(size: string | null | undefined): number | null {
  return size === null || size === undefined ? null : (COMPANY_SIZE_RANK[size] ?? null);
}

export const VALUE_WEIGHTS = {
  total_amount_365d: 0.5,
  order_count_365d: 0.3,
  gross_profit_365d: 0.2,
} as const;
export const POTENTIAL_WEIGHTS = {
  spend_trend: 0.35,
  distinct_categories: 0.25,
  company_size: 0.2,
  nps_avg: 0.2,
} as const;

/**
 * The inputs of the population scores, one typed array per indicator and one slot per
 * customer; NaN stands for null. A million customers fit in about 80 MB this way.
 */
export type ScoreColumns = {
  size: number;
  orderCount: Float64Array;
  orderCount365d: Float64Array;
  recencyDays: Float64Array;
  totalAmount365d: Float64Array;
  grossProfit365d: Float64Array;
  /** amount of the last 180 days minus the 180 days before */
  spendTrend: Float64Array;
  distinctCategories: Float64Array;
  companySize: Float64Array;
  npsAvg: Float64Array;
};

/** Zero-filled columns for `size` customers. */
export function emptyScoreColumns(size: number): ScoreColumns {
  const column = () => new Float64Array(size);
  return {
    size,
    orderCount: column(),
    orderCount365d: column(),
    recencyDays: column(),
    totalAmount365d: column(),
    grossProfit365d: column(),
    spendTrend: column(),
    distinctCategories: column(),
    companySize: column(),
    npsAvg: column(),
  };
}

const orNaN = (v: number | null): number => (v === null ? Number.NaN : v);

/** Writes one customer's score inputs into slot `i`. */
export function setScoreInputs(columns: ScoreColumns, i: number, m: ScoreInputs): void {
  setMetricScoreInputs(columns, { i, metrics: m, companySize: m.companySize });
}

/** The same as {@link setScoreInputs} with the company size given apart (no object to build per customer). */
export function setMetricScoreInputs(
  columns: ScoreColumns,
  slot: { i: number; metrics: CustomerMetrics; companySize: string | null },
): void {
  const { i, metrics: m } = slot;
  columns.orderCount[i] = m.orderCount;
  columns.orderCount365d[i] = m.orderCount365d;
  columns.recencyDays[i] = orNaN(m.recencyDays);
  columns.totalAmount365d[i] = m.totalAmount365d;
  columns.grossProfit365d[i] = orNaN(m.grossProfit365d);
  columns.spendTrend[i] = m.amount180d - m.amountPrev180d;
  columns.distinctCategories[i] = m.distinctCategories;
  columns.companySize[i] = orNaN(companySizeRank(slot.companySize));
  columns.npsAvg[i] = orNaN(m.npsAvg);
}

/**
 * The indicators scored over a population: R, F, M and the value composite over the
 * scored population (≥ 1 order in the trailing 365 days), the potential composite over
 * customers with any order.
 */
export const INDICATORS = [
  'recency',
  'frequency',
  'monetary',
  'profit',
  'trend',
  'categories',
  'companySize',
  'nps',
] as const;
export type Indicator = (typeof INDICATORS)[number];

/** Whether a customer belongs to the population an indicator is scored over, and its value there. */
function indicatorValue(columns: ScoreColumns, indicator: Indicator, i: number): number {
  const scored = columns.orderCount365d[i] >= 1;
  const buyer = columns.orderCount[i] >= 1;
  switch (indicator) {
    case 'recency':
      return scored ? columns.recencyDays[i] : Number.NaN;
    case 'frequency':
      return scored ? columns.orderCount365d[i] : Number.NaN;
    case 'monetary':
      return scored ? columns.totalAmount365d[i] : Number.NaN;
    case 'profit':
      return scored ? columns.grossProfit365d[i] : Number.NaN;
    case 'trend':
      return buyer ? columns.spendTrend[i] : Number.NaN;
    case 'categories':
      return buyer ? columns.distinctCategories[i] : Number.NaN;
    case 'companySize':
      return buyer ? columns.companySize[i] : Number.NaN;
    case 'nps':
      return buyer ? columns.npsAvg[i] : Number.NaN;
  }
}

/** The sorted non-null values of every indicator over its population. */
export function sortedPopulations(columns: ScoreColumns): Record<Indicator, Float64Array> {
  const out = {} as Record<Indicator, Float64Array>;
  for (const indicator of INDICATORS) {
    const values = new Float64Array(columns.size);
    let n = 0;
    for (let i = 0; i < columns.size; i++) {
      const v = indicatorValue(columns, indicator, i);
      if (!Number.isNaN(v)) values[n++] = v;
    }
    out[indicator] = values.slice(0, n).sort();
  }
  return out;
}

/**
 * Counts of a population around a value: how many are strictly below and how many
 * equal. Implemented over a sorted array (a full run) or a stored summary (one customer
 * scored against the last run's population).
 */
export type PopulationCounts = {
  size: number;
  below(v: number): number;
  equal(v: number): number;
};

export function countsOfSorted(sorted: Float64Array): PopulationCounts {
  // Scores ask below() and equal() of the same value in turn: search for it once.
  let value = Number.NaN;
  let low = 0;
  let high = -1;
  const locate = (v: number) => {
    if (v !== value) {
      value = v;
      low = lowerBound(sorted, v);
      high = -1;
    }
  };
  return {
    size: sorted.length,
    below: (v) => {
      locate(v);
      return low;
    },
    equal: (v) => {
      locate(v);
      if (high < 0) high = upperBound(sorted, v, { from: low });
      return high - low;
    },
  };
}

/** Quintile 1–5, higher is better: `1 + floor(5 × #(smaller) / n)`. */
function quintileHigher(p: PopulationCounts, v: number): number {
  return 1 + Math.floor((5 * p.below(v)) / p.size);
}

/** Quintile 1–5, lower is better: counts strictly larger values. */
function quintileLower(p: PopulationCounts, v: number): number {
  return 1 + Math.floor((5 * (p.size - p.below(v) - p.equal(v))) / p.size);
}

/** Mid-rank percentile 0–100, null over an empty population. */
function percentile(p: PopulationCounts, v: number): number | null {
  if (p.size === 0) return null;
  return ((p.below(v) + 0.5 * p.equal(v)) / p.size) * 100;
}

const pct = (p: PopulationCounts, v: number): number | null => (Number.isNaN(v) ? null : percentile(p, v));

/** The scores of slot `i` against populations given as counts. */
export function scoreOne(
  columns: ScoreColumns,
  i: number,
  populations: Record<Indicator, PopulationCounts>,
): PopulationScores {
  const scored = columns.orderCount365d[i] >= 1;
  const buyer = columns.orderCount[i] >= 1;
  const r = columns.recencyDays[i];
  return {
    rScore: scored && !Number.isNaN(r) ? quintileLower(populations.recency, r) : null,
    fScore: scored ? quintileHigher(populations.frequency, columns.orderCount365d[i]) : null,
    mScore: scored ? quintileHigher(populations.monetary, columns.totalAmount365d[i]) : null,
    valueScore: scored
      ? composite([
          {
            percentile: pct(populations.monetary, columns.totalAmount365d[i]),
            weight: VALUE_WEIGHTS.total_amount_365d,
          },
          {
            percentile: pct(populations.frequency, columns.orderCount365d[i]),
            weight: VALUE_WEIGHTS.order_count_365d,
          },
          {
            percentile: pct(populations.profit, columns.grossProfit365d[i]),
            weight: VALUE_WEIGHTS.gross_profit_365d,
          },
        ])
      : 0,
    potentialScore: buyer
      ? composite([
          {
            percentile: pct(populations.trend, columns.spendTrend[i]),
            weight: POTENTIAL_WEIGHTS.spend_trend,
          },
          {
            percentile: pct(populations.categories, columns.distinctCategories[i]),
            weight: POTENTIAL_WEIGHTS.distinct_categories,
          },
          {
            percentile: pct(populations.companySize, columns.companySize[i]),
            weight: POTENTIAL_WEIGHTS.company_size,
          },
          { percentile: pct(populations.nps, columns.npsAvg[i]), weight: POTENTIAL_WEIGHTS.nps_avg },
        ])
      : null,
  };
}

/** Score columns of a whole population: one slot per customer, NaN for null. */
export type ScoreOutputs = {
  rScore: Float64Array;
  fScore: Float64Array;
  mScore: Float64Array;
  valueScore: Float64Array;
  potentialScore: Float64Array;
};

/**
 * {@link scoreOne} for every slot of a population at once, written into `out` (NaN for
 * null): the same arithmetic in the same order, without an object per customer. A full
 * run scores a million customers this way.
 */
export function scoreColumns(
  columns: ScoreColumns,
  options: { sorted: Record<Indicator, Float64Array>; out: ScoreOutputs },
): void {
  const { out } = options;
  const of = (indicator: Indicator) => sortedSearch(options.sorted[indicator]);
  const recency = of('recency');
  const frequency = of('frequency');
  const monetary = of('monetary');
  const profit = of('profit');
  const trend = of('trend');
  const categories = of('categories');
  const companySize = of('companySize');
  const nps = of('nps');
  for (let i = 0; i < columns.size; i++) {
    const scored = columns.orderCount365d[i] >= 1;
    const buyer = columns.orderCount[i] >= 1;
    if (scored) {
      const r = columns.recencyDays[i];
      if (Number.isNaN(r)) out.rScore[i] = Number.NaN;
      else {
        const above = recency.size - recency.upper(r);
        out.rScore[i] = 1 + Math.floor((5 * above) / recency.size);
      }
      const f = columns.orderCount365d[i];
      const m = columns.totalAmount365d[i];
      const fBelow = frequency.lower(f);
      const mBelow = monetary.lower(m);
      out.fScore[i] = 1 + Math.floor((5 * fBelow) / frequency.size);
      out.mScore[i] = 1 + Math.floor((5 * mBelow) / monetary.size);
      const w = freshWeights();
      weigh(w, { percentile: monetary.percentile(m, mBelow), weight: VALUE_WEIGHTS.total_amount_365d });
      weigh(w, { percentile: frequency.percentile(f, fBelow), weight: VALUE_WEIGHTS.order_count_365d });
      weigh(w, {
        percentile: profit.percentile(columns.grossProfit365d[i]),
        weight: VALUE_WEIGHTS.gross_profit_365d,
      });
      out.valueScore[i] = w.weights === 0 ? Number.NaN : w.sum / w.weights;
    } else {
      out.rScore[i] = Number.NaN;
      out.fScore[i] = Number.NaN;
      out.mScore[i] = Number.NaN;
      out.valueScore[i] = 0;
    }
    if (buyer) {
      const w = freshWeights();
      weigh(w, {
        percentile: trend.percentile(columns.spendTrend[i]),
        weight: POTENTIAL_WEIGHTS.spend_trend,
      });
      weigh(w, {
        percentile: categories.percentile(columns.distinctCategories[i]),
        weight: POTENTIAL_WEIGHTS.distinct_categories,
      });
      weigh(w, {
        percentile: companySize.percentile(columns.companySize[i]),
        weight: POTENTIAL_WEIGHTS.company_size,
      });
      weigh(w, { percentile: nps.percentile(columns.npsAvg[i]), weight: POTENTIAL_WEIGHTS.nps_avg });
      out.potentialScore[i] = w.weights === 0 ? Number.NaN : w.sum / w.weights;
    } else out.potentialScore[i] = Number.NaN;
  }
}

/** Values between two entries of a {@link sortedSearch}'s sample. */
const SAMPLE_STEP = 64;

/**
 * Searches of one large sorted population, answered first in a sample of every 64th
 * value (small enough to stay in the processor's cache) and then within one block of
 * 64: a million customers' scores take a fraction of the memory reads of plain binary
 * search over the whole array. `lower(v)` counts values < v, `upper(v)` values ≤ v.
 */
function sortedSearch(sorted: Float64Array) {
  const size = sorted.length;
  const table = integerTable(sorted);
  const sample = new Float64Array(table ? 0 : Math.ceil(size / SAMPLE_STEP));
  for (let k = 0; k < sample.length; k++) sample[k] = sorted[k * SAMPLE_STEP];
  // The first sample ≥ v (or > v) bounds the answer to the block before it.
  const searchLower = (v: number): number => {
    const b = lowerBound(sample, v);
    const from = Math.max(0, (b - 1) * SAMPLE_STEP);
    return lowerBound(sorted, v, { from, to: Math.min(size, b * SAMPLE_STEP) });
  };
  const searchUpper = (v: number): number => {
    const b = upperBound(sample, v);
    const from = Math.max(0, (b - 1) * SAMPLE_STEP);
    return upperBound(sorted, v, { from, to: Math.min(size, b * SAMPLE_STEP) });
  };
  const lower = (v: number): number => {
    if (!table) return searchLower(v);
    const k = v - table.min;
    if (k <= 0 || Number.isNaN(k)) return 0;
    if (k >= table.below.length) return size;
    return Number.isInteger(k) ? table.below[k] : table.below[Math.ceil(k)];
  };
  const upper = (v: number): number => {
    if (!table) return searchUpper(v);
    const k = Math.floor(v - table.min) + 1;
    if (k <= 0 || Number.isNaN(k)) return 0;
    return k >= table.below.length ? size : table.below[k];
  };
  return {
    size,
    lower,
    upper,
    /** `percentile` of v, given `lower(v)` already counted (NaN for a null value or an empty population) */
    percentile(v: number, below = lower(v)): number {
      if (Number.isNaN(v) || size === 0) return Number.NaN;
      const equal = upper(v) - below;
      return ((below + 0.5 * equal) / size) * 100;
    },
  };
}

/** Widest range of whole values counted in a table instead of searched (4 MB of counts). */
const TABLE_RANGE = 1 << 20;

/**
 * For a population of whole numbers within a small range (days, counts, ranks): how
 * many values lie below each whole number from the smallest on, so a count is one
 * lookup. `below[k]` = values < min + k.
 */
function integerTable(sorted: Float64Array): { min: number; below: Int32Array } | undefined {
  const size = sorted.length;
  if (size === 0) return undefined;
  const min = sorted[0];
  const range = sorted[size - 1] - min;
  if (!(range < TABLE_RANGE)) return undefined;
  for (let i = 0; i < size; i++) if (!Number.isInteger(sorted[i])) return undefined;
  const below = new Int32Array(range + 2);
  let j = 0;
  for (let k = 0; k < below.length; k++) {
    while (j < size && sorted[j] < min + k) j++;
    below[k] = j;
  }
  return { min, below };
}

/** One running weighted mean, reused for every customer (see `composite`). */
const weighted = { sum: 0, weights: 0 };
function freshWeights(): { sum: number; weights: number } {
  weighted.sum = 0;
  weighted.weights = 0;
  return weighted;
}

/** `composite`'s step for one indicator (NaN = null percentile), in its order. */
function weigh(w: { sum: number; weights: number }, part: { percentile: number; weight: number }): void {
  if (Number.isNaN(part.percentile) || part.weight <= 0) return;
  w.sum += part.percentile * part.weight;
  w.weights += part.weight;
}

/** Counts over the sorted populations of a full run. */
export function populationCounts(
  sorted: Record<Indicator, Float64Array>,
): Record<Indicator, PopulationCounts> {
  const out = {} as Record<Indicator, PopulationCounts>;
  for (const indicator of INDICATORS) out[indicator] = countsOfSorted(sorted[indicator]);
  return out;
}

/**
 * The population scores of docs/classification.md for every customer. The scored population is
 * the customers with ≥ 1 order in the trailing 365 days; everyone else gets null R/F/M
 * and a current value of 0. Potential is scored over customers with any order.
 */
export function scorePopulation(rows: readonly ScoreInputs[]): PopulationScores[] {
  const columns = emptyScoreColumns(rows.length);
  for (const [i, m] of rows.entries()) setScoreInputs(columns, i, m);
  const counts = populationCounts(sortedPopulations(columns));
  return rows.map((_, i) => scoreOne(columns, i, counts));
}

/**
 * A population kept with a run so one customer can be scored later without reading
 * everyone: exact (every distinct value with its count) up to `SUMMARY_POINTS` distinct
 * values, otherwise a sketch of equal-sized buckets (each bucket's median value and
 * size), whose percentiles are off by at most one bucket (0.1% of the population).
 */
export type PopulationSummary = { exact: boolean; values: number[]; counts: number[] };

const SUMMARY_POINTS = 1024;

export function summarize(sorted: Float64Array): PopulationSummary {
  const values: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < sorted.length; ) {
    const v = sorted[i];
    let j = i + 1;
    while (j < sorted.length && sorted[j] === v) j++;
    values.push(v);
    counts.push(j - i);
    if (values.length > SUMMARY_POINTS) break;
    i = j;
  }
  if (values.length <= SUMMARY_POINTS) return { exact: true, values, counts };
  const sketchValues: number[] = [];
  const sketchCounts: number[] = [];
  for (let b = 0; b < SUMMARY_POINTS; b++) {
    const start = Math.floor((b * sorted.length) / SUMMARY_POINTS);
    const end = Math.floor(((b + 1) * sorted.length) / SUMMARY_POINTS);
    if (end <= start) continue;
    sketchValues.push(sorted[(start + end - 1) >>> 1]);
    sketchCounts.push(end - start);
  }
  return { exact: false, values: sketchValues, counts: sketchCounts };
}

/**
 * Counts over a stored summary in which one customer's earlier value (`remove`) is
 * replaced by their current one (`add`); null means "not in this population".
 */
export function countsOfSummary(
  summary: PopulationSummary,
  change: { remove: number | null; add: number | null },
): PopulationCounts {
  const total = summary.counts.reduce((a, b) => a + b, 0);
  const { remove, add } = change;
  const size = total - (remove === null ? 0 : 1) + (add === null ? 0 : 1);
  const below = (v: number) => {
    let n = 0;
    for (let k = 0; k < summary.values.length && summary.values[k] < v; k++) n += summary.counts[k];
    if (remove !== null && remove < v) n--;
    if (add !== null && add < v) n++;
    return n;
  };
  const equal = (v: number) => {
    let n = 0;
    for (let k = 0; k < summary.values.length; k++) if (summary.values[k] === v) n += summary.counts[k];
    if (remove !== null && remove === v) n--;
    if (add !== null && add === v) n++;
    return Math.max(0, n);
  };
  return { size, below: (v) => Math.max(0, below(v)), equal };
}

/** Index of the first element ≥ v in an ascending array, within [from, to) (`to` when none is). */
function lowerBound(sorted: Float64Array, v: number, range: { from?: number; to?: number } = {}): number {
  let lo = range.from ?? 0;
  let hi = range.to ?? sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first element > v in an ascending array, within [from, to) (`to` when none is). */
function upperBound(sorted: Float64Array, v: number, range: { from?: number; to?: number } = {}): number {
  let lo = range.from ?? 0;
  let hi = range.to ?? sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * One customer's scores against the populations of the last full run, in which the
 * customer's value from that run (`previous`) is replaced by the current one; the
 * same as a full run would give whenever the populations are kept exactly.
 */
export function scoreAgainstSummaries(
  current: ScoreInputs,
  options: { previous: ScoreInputs | null; summaries: Record<Indicator, PopulationSummary> },
): PopulationScores {
  const columns = emptyScoreColumns(2);
  setScoreInputs(columns, 0, current);
  if (options.previous) setScoreInputs(columns, 1, options.previous);
  const counts = {} as Record<Indicator, PopulationCounts>;
  for (const indicator of INDICATORS) {
    const before = options.previous ? indicatorValue(columns, indicator, 1) : Number.NaN;
    const now = indicatorValue(columns, indicator, 0);
    counts[indicator] = countsOfSummary(options.summaries[indicator], {
      remove: Number.isNaN(before) ? null : before,
      add: Number.isNaN(now) ? null : now,
    });
  }
  return scoreOne(columns, 0, counts);
}
