import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { composite, mean, percentileOf, percentiles, quintileScores } from './scoring.ts';

describe('quintileScores', () => {
  it('follows 1 + floor(5 × smaller / n) for higher-is-better', () => {
    expect(quintileScores([10, 20, 20, 40, 50], 'higher_better')).toEqual([1, 2, 2, 4, 5]);
  });

  it('leaves customers without a value unscored and out of n', () => {
    // n = 2: 10 has none smaller → 1; 20 has one → 1 + floor(5·1/2) = 3
    expect(quintileScores([null, 10, 20, null], 'higher_better')).toEqual([null, 1, 3, null]);
  });

  it('counts strictly larger values for lower-is-better', () => {
    // n = 4 scored: recency 5 has 3 larger values → 1 + floor(5·3/4) = 4
    expect(quintileScores([5, 30, 30, 400, null], 'lower_better')).toEqual([4, 2, 2, 1, null]);
  });

  it('gives equal values equal scores and stays within 1–5 whatever the order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 1, maxLength: 60 }), (values) => {
        const scores = quintileScores(values, 'higher_better');
        for (let i = 0; i < values.length; i++) {
          expect(scores[i]).toBeGreaterThanOrEqual(1);
          expect(scores[i]).toBeLessThanOrEqual(5);
          for (let j = 0; j < values.length; j++) {
            if (values[i] === values[j]) expect(scores[i]).toBe(scores[j]);
            if (values[i] < values[j]) expect(scores[i]).toBeLessThanOrEqual(scores[j] as number);
          }
        }
      }),
    );
  });
});

describe('percentileOf', () => {
  it('uses the mid-rank definition', () => {
    expect(percentileOf([1, 2, 2, 3], 2)).toBe(50); // (1 + 0.5·2) / 4
    expect(percentileOf([1, 2, 2, 3], 1)).toBe(12.5);
    expect(percentileOf([], 1)).toBeNull();
  });
});

describe('composite', () => {
  it('is the weighted mean, renormalised over the indicators present', () => {
    expect(
      composite([
        { percentile: 80, weight: 0.5 },
        { percentile: 20, weight: 0.5 },
      ]),
    ).toBe(50);
    expect(
      composite([
        { percentile: 80, weight: 0.5 },
        { percentile: null, weight: 0.5 },
      ]),
    ).toBe(80);
    expect(composite([{ percentile: null, weight: 1 }])).toBeNull();
  });

  it('leaves out an indicator of weight 0, as if it were missing', () => {
    expect(
      composite([
        { percentile: 80, weight: 0 },
        { percentile: 20, weight: 1 },
      ]),
    ).toBe(20);
    expect(composite([{ percentile: 80, weight: 0 }])).toBeNull();
  });
});

describe('percentiles', () => {
  it('ranks each value within its own population, nulls left out', () => {
    // population [10, 20, 20]: 10 → 0.5 / 3; 20 → (1 + 0.5·2) / 3
    const p = percentiles([10, null, 20, 20]);
    expect(p[1]).toBeNull();
    expect(p[0]).toBeCloseTo(100 / 6, 12);
    expect(p[2]).toBeCloseTo(200 / 3, 12);
    expect(p[3]).toBe(p[2]);
  });
});

describe('mean', () => {
  it('averages the values present and is null without any', () => {
    expect(mean([1, null, 2, 6])).toBe(3);
    expect(mean([-4, 4])).toBe(0);
    expect(mean([null, null])).toBeNull();
    expect(mean([])).toBeNull();
  });
});
