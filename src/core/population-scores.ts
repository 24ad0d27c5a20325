import type { CustomerMetrics } from './metrics.ts';
import { composite, percentileOf, quintileScores } from './scoring.ts';

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
 * The population scores of DESIGN.md §4 for every customer. The scored population is
 * the customers with ≥ 1 order in the trailing 365 days; everyone else gets null R/F/M
 * and a current value of 0. Potential is scored over customers with any order.
 */
export function scorePopulation(rows: readonly ScoreInputs[]): PopulationScores[] {
  const scored = rows.map((r) => r.orderCount365d >= 1);
  const r = quintileScores(
    rows.map((m, i) => (scored[i] ? m.recencyDays : null)),
    'lower_better',
  );
  const f = quintileScores(
    rows.map((m, i) => (scored[i] ? m.orderCount365d : null)),
    'higher_better',
  );
  const mon = quintileScores(
    rows.map((m, i) => (scored[i] ? m.totalAmount365d : null)),
    'higher_better',
  );

  const sortedOf = (values: (number | null)[]) =>
    values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  const pct = (sorted: number[], v: number | null) => (v === null ? null : percentileOf(sorted, v));

  const amount365 = sortedOf(rows.map((m, i) => (scored[i] ? m.totalAmount365d : null)));
  const count365 = sortedOf(rows.map((m, i) => (scored[i] ? m.orderCount365d : null)));
  const profit365 = sortedOf(rows.map((m, i) => (scored[i] ? m.grossProfit365d : null)));

  const buyers = rows.map((m) => m.orderCount >= 1);
  const trend = (m: ScoreInputs) => m.amount180d - m.amountPrev180d;
  const size = (m: ScoreInputs) =>
    m.companySize === null ? null : (COMPANY_SIZE_RANK[m.companySize] ?? null);
  const trendPop = sortedOf(rows.map((m, i) => (buyers[i] ? trend(m) : null)));
  const categoriesPop = sortedOf(rows.map((m, i) => (buyers[i] ? m.distinctCategories : null)));
  const sizePop = sortedOf(rows.map((m, i) => (buyers[i] ? size(m) : null)));
  const npsPop = sortedOf(rows.map((m, i) => (buyers[i] ? m.npsAvg : null)));

  return rows.map((m, i) => ({
    rScore: r[i],
    fScore: f[i],
    mScore: mon[i],
    valueScore: scored[i]
      ? composite([
          { percentile: pct(amount365, m.totalAmount365d), weight: VALUE_WEIGHTS.total_amount_365d },
          { percentile: pct(count365, m.orderCount365d), weight: VALUE_WEIGHTS.order_count_365d },
          { percentile: pct(profit365, m.grossProfit365d), weight: VALUE_WEIGHTS.gross_profit_365d },
        ])
      : 0,
    potentialScore: buyers[i]
      ? composite([
          { percentile: pct(trendPop, trend(m)), weight: POTENTIAL_WEIGHTS.spend_trend },
          {
            percentile: pct(categoriesPop, m.distinctCategories),
            weight: POTENTIAL_WEIGHTS.distinct_categories,
          },
          { percentile: pct(sizePop, size(m)), weight: POTENTIAL_WEIGHTS.company_size },
          { percentile: pct(npsPop, m.npsAvg), weight: POTENTIAL_WEIGHTS.nps_avg },
        ])
      : null,
  }));
}
