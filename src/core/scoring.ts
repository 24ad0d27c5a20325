/**
 * Population scores (docs/classification.md#scores). All functions are tie-aware: equal values
 * always get equal scores, whatever order the population comes in.
 */

export type Direction = 'higher_better' | 'lower_better';

/**
 * Quintile scores 1–5 for each value of `values` (null = not scored → null).
 * Higher is better: `1 + floor(5 × #(strictly smaller) / n)`; lower is better counts
 * strictly larger values. `quintileScores([10, 20, 20, 40, 50], 'higher_better')` → [1, 2, 2, 4, 5].
 */
export function quintileScores(values: readonly (number | null)[], direction: Direction): (number | null)[] {
  const sorted = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  const n = sorted.length;
  return values.map((v) => {
    if (v === null) return null;
    const beyond = direction === 'higher_better' ? lowerBound(sorted, v) : n - upperBound(sorted, v);
    return 1 + Math.floor((5 * beyond) / n);
  });
}

/**
 * Mid-rank percentile 0–100 of `value` against a sorted reference population:
 * `(count below + 0.5 × count equal) / n × 100`. Null when the population is empty.
 */
export function percentileOf(sortedPopulation: readonly number[], value: number): number | null {
  const n = sortedPopulation.length;
  if (n === 0) return null;
  const below = lowerBound(sortedPopulation, value);
  const equal = upperBound(sortedPopulation, value) - below;
  return ((below + 0.5 * equal) / n) * 100;
}

/** Percentiles of every value within its own population (nulls stay null). */
export function percentiles(values: readonly (number | null)[]): (number | null)[] {
  const sorted = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  return values.map((v) => (v === null ? null : percentileOf(sorted, v)));
}

export type Weighted = { percentile: number | null; weight: number };

/**
 * Weighted mean of percentiles; an indicator that is null for this customer is left
 * out and the remaining weights renormalised. Null when every indicator is null.
 */
export function composite(parts: readonly Weighted[]): number | null {
  let sum = 0;
  let weights = 0;
  for (const p of parts) {
    if (p.percentile === null || p.weight <= 0) continue;
    sum += p.percentile * p.weight;
    weights += p.weight;
  }
  return weights === 0 ? null : sum / weights;
}

/** Arithmetic mean of the non-null values, null when there are none. */
export function mean(values: readonly (number | null)[]): number | null {
  let sum = 0;
  let n = 0;
  for (const v of values) {
    if (v === null) continue;
    sum += v;
    n++;
  }
  return n === 0 ? null : sum / n;
}

/** Index of the first element ≥ v in an ascending array. */
function lowerBound(sorted: readonly number[], v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first element > v in an ascending array. */
function upperBound(sorted: readonly number[], v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
