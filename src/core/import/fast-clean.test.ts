import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CleanerKind, cleanValue } from './clean.ts';
import { fastCode, fastDecimal, fastMoney, fastText, fastWallTime } from './fast-clean.ts';

/** Strings built from pieces that sit on both sides of each shortcut's edge. */
const cells = (pieces: string[]) =>
  fc.array(fc.constantFrom(...pieces), { maxLength: 12 }).map((parts) => parts.join(''));

/** Whenever a shortcut answers, the full cleaner answers the same. */
function agrees<T>(kind: CleanerKind, fast: (text: string) => T | undefined, pick: (v: unknown) => unknown) {
  return (text: string) => {
    const quick = fast(text);
    if (quick === undefined) return;
    const full = cleanValue(kind, text, { timeZone: 'Asia/Shanghai' });
    expect(full.ok).toBe(true);
    if (full.ok) expect(quick).toEqual(full.value === null ? null : pick(full.value));
  };
}

const same = (v: unknown) => v;

describe('fast cleaners agree with the full cleaners', () => {
  it('codes', () => {
    fc.assert(
      fc.property(
        cells(['0', '1', '7', 'B', 'e', 'E', 'x', '.', '.0', '-', '_', '+', ' ', '=', '"', "'", 'Ａ', '中']),
        agrees('code', fastCode, same),
      ),
      { numRuns: 5000 },
    );
    expect(fastCode('B0000001')).toBe('B0000001');
    expect(fastCode('17850')).toBe('17850');
    expect(fastCode('17850.0')).toBeUndefined();
    expect(fastCode('1e5')).toBeUndefined();
  });

  it('text', () => {
    fc.assert(
      fc.property(
        cells(['a', '运动', ' ', '\t', '\u3000', '\u200B', '\uFEFF', 'Ａ', '１', '\u00A0', ',']),
        agrees('text', fastText, same),
      ),
      { numRuns: 5000 },
    );
    expect(fastText(' 运动 ')).toBe('运动');
    expect(fastText('  ')).toBeNull();
  });

  it('wall times and dates', () => {
    // Two-digit fields at the edges of months, days, hours, minutes and seconds.
    const two = fc.constantFrom(
      '00',
      '01',
      '02',
      '09',
      '1',
      '10',
      '12',
      '13',
      '23',
      '24',
      '28',
      '29',
      '30',
      '31',
      '32',
      '59',
      '60',
      '99',
    );
    const year = fc.constantFrom('1899', '1900', '2000', '2023', '2024', '2100', '2199', '2200', '0000');
    // Mostly the canonical separator, sometimes another one.
    const sep = (canonical: string) =>
      fc.oneof(
        { arbitrary: fc.constant(canonical), weight: 10 },
        { arbitrary: fc.constantFrom('-', '/', ' ', ':', 'T', '.', ''), weight: 1 },
      );
    const shaped = fc
      .tuple(year, sep('-'), two, sep('-'), two, sep(' '), two, sep(':'), two, sep(':'), two, fc.boolean())
      .map(([y, s1, mo, s2, d, s3, h, s4, mi, s5, se, dateOnly]) =>
        dateOnly ? `${y}${s1}${mo}${s2}${d}` : `${y}${s1}${mo}${s2}${d}${s3}${h}${s4}${mi}${s5}${se}`,
      );
    fc.assert(
      fc.property(
        shaped,
        agrees('date', fastWallTime, (v) => {
          const d = v as { time: string; date: string };
          return { time: d.time, date: d.date };
        }),
      ),
      { numRuns: 20000 },
    );
    expect(fastWallTime('2021-09-03 22:20:31')).toEqual({ time: '2021-09-03 22:20:31', date: '2021-09-03' });
    expect(fastWallTime('2024-02-29')).toEqual({ time: '2024-02-29 00:00:00', date: '2024-02-29' });
    expect(fastWallTime('2023-02-29')).toBeUndefined();
  });

  it('money', () => {
    fc.assert(
      fc.property(
        cells(['0', '1', '5', '9', '.', '-', ',', '+', '¥', ' ', '99999999999']),
        agrees('money', fastMoney, same),
      ),
      { numRuns: 10000 },
    );
    expect(fastMoney('286.65')).toBe(28665);
    expect(fastMoney('-12.5')).toBe(-1250);
    expect(Object.is(fastMoney('-0.00'), 0)).toBe(true);
  });

  it('decimals', () => {
    fc.assert(
      fc.property(
        cells(['0', '1', '5', '9', '.', '-', ',', '+', 'e', ' ', '件', '123456789']),
        agrees('decimal', fastDecimal, same),
      ),
      { numRuns: 10000 },
    );
    expect(fastDecimal('2')).toBe(2);
    expect(Object.is(fastDecimal('-0'), 0)).toBe(true);
  });
});
