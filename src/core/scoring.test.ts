import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { composite, percentileOf, quintileScores } from './scoring.ts';

describe('quintileScores', () => {
  it('follows 1 + floor(5 × smaller / n) for higher-is-better', () => {
    expect(quintileScores([10, 20, 20, 40, 50], 'higher_better')).toEqual([1, 2, 2, 4, 5]);
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
});
