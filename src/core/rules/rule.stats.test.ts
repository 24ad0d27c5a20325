import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileRule } from './rule.compile.ts';
import { collectStatRefs, computeStats, exactSum } from './rule.stats.ts';

describe('collectStatRefs', () => {
  it('lists each statistic once, in order of use, with its key', () => {
    const r = compileRule(
      'r_score > avg(r_score) and total_amount >= p(90, 累计消费金额) or r_score < avg(R分) and m_score > median(m_score)',
    );
    if (!r.ok) throw new Error(r.error.message.en);
    expect(collectStatRefs(r.ast)).toEqual([
      { kind: 'avg', field: 'r_score', key: 'avg(r_score)' },
      { kind: 'p', p: 90, field: 'total_amount', key: 'p(90, total_amount)' },
      { kind: 'median', field: 'm_score', key: 'median(m_score)' },
    ]);
  });
});

describe('computeStats', () => {
  const rows = [{ r_score: 1 }, { r_score: 2 }, { r_score: null }, { r_score: 4 }, {}, { r_score: 5 }];

  it('averages non-null values and interpolates percentiles like percentile_cont', () => {
    const stats = computeStats(
      [
        { kind: 'avg', field: 'r_score' },
        { kind: 'median', field: 'r_score' },
        { kind: 'p', p: 0, field: 'r_score' },
        { kind: 'p', p: 90, field: 'r_score' },
        { kind: 'p', p: 100, field: 'r_score' },
      ],
      rows,
    );
    // Sorted non-null values 1 2 4 5: median at position 1.5 → 3; p90 at 2.7 → 4 + 0.7 × 1.
    expect(stats).toEqual({
      'avg(r_score)': 3,
      'median(r_score)': 3,
      'p(0, r_score)': 1,
      'p(90, r_score)': 4.7,
      'p(100, r_score)': 5,
    });
  });

  it('gives money in yuan and null for an empty population', () => {
    const stats = computeStats(
      [
        { kind: 'avg', field: 'total_amount' },
        { kind: 'median', field: 'total_amount' },
        { kind: 'avg', field: 'age' },
      ],
      [{ total_amount: 100 }, { total_amount: 250 }, { total_amount: null }],
    );
    expect(stats).toEqual({ 'avg(total_amount)': 1.75, 'median(total_amount)': 1.75, 'avg(age)': null });
  });

  it('averages the same whatever the order of the rows', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1 }), (values) => {
        const rows = values.map((v) => ({ satisfaction_avg: v }));
        const ref = [{ kind: 'avg' as const, field: 'satisfaction_avg' }];
        expect(computeStats(ref, [...rows].reverse())).toEqual(computeStats(ref, rows));
      }),
    );
  });
});

describe('exactSum', () => {
  it('is correctly rounded', () => {
    expect(exactSum([0.1, 0.2, 0.3])).toBe(0.6);
    expect(exactSum([1e100, 1, -1e100])).toBe(1);
    expect(exactSum([])).toBe(0);
    expect(exactSum([2 ** 53, 1, 1])).toBe(2 ** 53 + 2);
  });
});
