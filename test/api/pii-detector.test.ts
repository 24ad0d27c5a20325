import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scrubText } from '../../src/services/privacy/pii-scrub.ts';
import { leakedFields, piiLeaks } from '../support/pii-detector.ts';

// The API tests trust piiLeaks to see whatever the scrubber would hide. These checks hold it
// to that: it must be at least as broad as the scrubber, and quiet on what the scrubber shows.
const WRITTEN = [
  '13800001111',
  '+86 138-0000-1111',
  '(+86) 138 0000 1111',
  '138.0000.1111',
  '（138）0000-1111',
  '１３８００００１１１１',
  '＋８６ １３８．００００．１１１１',
  '010-65528888',
  '(0755) 8888 9999',
  '（０１０）６５５２８８８８',
  '110101199003071234',
  'wangwu@example.com',
  'wangwu＠example．com',
];

describe('piiLeaks, the detector the API tests use', () => {
  it.each(WRITTEN)('sees %s, and nothing once it is scrubbed', (text) => {
    expect(piiLeaks(`备注：${text}。`)).not.toEqual([]);
    expect(piiLeaks(scrubText(`备注：${text}。`))).toEqual([]);
  });

  it('is at least as broad as the scrubber: whatever the scrubber changes, it sees', () => {
    const digit = fc.constantFrom(...'0123456789０１２３４５６７８９');
    const separator = fc.constantFrom(
      '',
      '',
      '',
      ' ',
      '  ',
      '-',
      '－',
      '.',
      '．',
      '(',
      ')',
      '（',
      '）',
      '\u3000',
    );
    const number = fc
      .tuple(
        fc.constantFrom('', '', '+86 ', '86-', '(+86)', '＋８６', '0', '０', '1', '１'),
        fc.array(fc.tuple(digit, separator), { minLength: 5, maxLength: 19 }),
      )
      .map(([prefix, groups]) => prefix + groups.map(([d, s]) => d + s).join(''));
    const word = fc.constantFrom('a', 'wang', 'wu.li', 'ｗａｎｇ', '_x', '9');
    const email = fc
      .tuple(word, fc.constantFrom('@', '＠'), word, fc.constantFrom('.com', '．ｃｏｍ', '.cn', '.c'))
      .map((parts) => parts.join(''));
    const noise = fc.constantFrom('王', '，', ' ', 'X', 'x', '.', '2024-05-01', '10:00', '@', '＊');
    const piece = fc.oneof(number, email, noise);
    const texts = fc.array(piece, { maxLength: 6 }).map((pieces) => pieces.join(''));
    let scrubbed = 0;
    fc.assert(
      fc.property(texts, (text) => {
        if (scrubText(text) === text) return;
        scrubbed++;
        expect(piiLeaks(text), text).not.toEqual([]);
      }),
      { numRuns: 5000 },
    );
    // the generator does reach the scrubber: enough texts were changed for the claim to mean something
    expect(scrubbed).toBeGreaterThan(500);
  });

  it('reads dates, times and masked values as harmless', () => {
    for (const text of [
      '2024-05-01',
      '2024-05-01T10:00:00.000Z',
      '138****1111',
      'w***@example.com',
      '123456',
    ]) {
      expect(piiLeaks(text), text).toEqual([]);
    }
  });

  it('walks every string of a JSON body, keys included', () => {
    expect(leakedFields({ a: [{ b: 'ok' }, { c: '回电 186 0000 1111' }], 'wangwu@example.com': 1 })).toEqual([
      '.a.1.c: 回电 186 0000 1111',
      '.<key wangwu@example.com>: wangwu@example.com',
    ]);
  });
});
