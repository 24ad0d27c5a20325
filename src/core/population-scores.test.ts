import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  emptyScoreColumns,
  populationCounts,
  type ScoreColumns,
  scoreColumns,
  scoreOne,
  sortedPopulations,
} from './population-scores.ts';

// Few distinct values, so ties are common; NaN stands for null as in the columns.
const value = fc.oneof(
  { weight: 1, arbitrary: fc.constant(Number.NaN) },
  { weight: 6, arbitrary: fc.integer({ min: -3, max: 12 }) },
  { weight: 2, arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true }) },
);
const customer = fc.record({
  orderCount: fc.integer({ min: 0, max: 4 }),
  orderCount365d: fc.integer({ min: 0, max: 3 }),
  recencyDays: value,
  totalAmount365d: value,
  grossProfit365d: value,
  spendTrend: value,
  distinctCategories: value,
  companySize: value,
  npsAvg: value,
});

function columnsOf(customers: readonly Record<string, number>[]): ScoreColumns {
  const columns = emptyScoreColumns(customers.length);
  for (const [i, c] of customers.entries()) {
    for (const [key, v] of Object.entries(c)) (columns[key as keyof ScoreColumns] as Float64Array)[i] = v;
  }
  return columns;
}

/** scoreColumns over the customers must give each slot what scoreOne gives it. */
function expectScoresAgree(customers: readonly Record<string, number>[]): void {
  const columns = columnsOf(customers);
  const sorted = sortedPopulations(columns);
  const counts = populationCounts(sorted);
  const n = customers.length;
  const out = {
    rScore: new Float64Array(n),
    fScore: new Float64Array(n),
    mScore: new Float64Array(n),
    valueScore: new Float64Array(n),
    potentialScore: new Float64Array(n),
  };
  scoreColumns(columns, { sorted, out });
  // The columns hold NaN for null; scoreOne may give NaN itself (a quintile over an empty population).
  const nullOf = (v: number | null) => (v === null || Number.isNaN(v) ? null : v);
  for (let i = 0; i < n; i++) {
    const one = scoreOne(columns, i, counts);
    expect(
      [out.rScore[i], out.fScore[i], out.mScore[i], out.valueScore[i], out.potentialScore[i]].map(nullOf),
    ).toEqual([one.rScore, one.fScore, one.mScore, one.valueScore, one.potentialScore].map(nullOf));
  }
}

describe('scoreColumns', () => {
  it('gives every slot exactly the scores scoreOne gives it', () => {
    fc.assert(fc.property(fc.array(customer, { minLength: 1, maxLength: 80 }), expectScoresAgree), {
      numRuns: 300,
    });
  });

  it('agrees over populations many search blocks long, with ties across block edges', () => {
    // Whole numbers in small ranges are counted through a table, the doubles searched.
    const small = fc.record({
      orderCount: fc.integer({ min: 0, max: 2 }),
      orderCount365d: fc.integer({ min: 0, max: 2 }),
      recencyDays: fc.integer({ min: 0, max: 40 }),
      totalAmount365d: fc.integer({ min: -5, max: 300 }),
      grossProfit365d: value,
      spendTrend: fc.integer({ min: -20, max: 20 }),
      distinctCategories: fc.integer({ min: 0, max: 3 }),
      companySize: value,
      npsAvg: value,
    });
    fc.assert(fc.property(fc.array(small, { minLength: 200, maxLength: 2_000 }), expectScoresAgree), {
      numRuns: 40,
    });
  });
});
