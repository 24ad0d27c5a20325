import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PlainRecordsSplitter } from './plain-records.splitter.ts';
import type { TableCell } from './table.types.ts';

const OPTIONS = {
  quote: '"',
  escape: '"',
  relax_column_count: true,
  relax_quotes: true,
  skip_empty_lines: false,
} as const;

type Outcome = { records: TableCell[][]; error: string | null };

/** What csv-parse makes of the whole text (cells as the reader hands them over). */
function csvParse(text: string, options: { delimiter: string; maxChars: number }): Outcome {
  const records: TableCell[][] = [];
  const parser = { ...OPTIONS, delimiter: options.delimiter, max_record_size: options.maxChars };
  try {
    for (const r of parse(text, parser) as string[][]) records.push(r.map((f) => (f === '' ? null : f)));
    return { records, error: null };
  } catch (e) {
    return { records, error: (e as { code?: string }).code === 'CSV_MAX_RECORD_SIZE' ? 'too_long' : 'other' };
  }
}

/** The splitter fed in `pieces`, handing the text from the first quote on to csv-parse. */
function split(pieces: string[], options: { delimiter: string; maxChars: number }): Outcome {
  const splitter = new PlainRecordsSplitter({ ...options, label: 'x.csv', maxColumns: 1000 });
  const records: TableCell[][] = [];
  let i = 0;
  for (; i <= pieces.length; i++) {
    const final = i === pieces.length;
    for (const r of splitter.push(final ? '' : pieces[i], final)) records.push(r.cells);
    if (splitter.error)
      return { records, error: splitter.error.reason === 'record_too_long' ? 'too_long' : 'other' };
    if (splitter.rest !== null) break;
  }
  if (splitter.rest === null) return { records, error: null };
  const rest = splitter.rest + pieces.slice(i + 1).join('');
  const parser = {
    ...OPTIONS,
    delimiter: options.delimiter,
    max_record_size: options.maxChars,
    ...(splitter.recordDelimiter === null ? {} : { record_delimiter: splitter.recordDelimiter }),
  };
  try {
    for (const r of parse(rest, parser) as string[][]) records.push(r.map((f) => (f === '' ? null : f)));
    return { records, error: null };
  } catch (e) {
    return { records, error: (e as { code?: string }).code === 'CSV_MAX_RECORD_SIZE' ? 'too_long' : 'other' };
  }
}

/** Cuts `text` at the given fractions of its length. */
function cut(text: string, cuts: number[]): string[] {
  const at = [...new Set(cuts.map((c) => Math.floor(c * text.length)))].sort((a, b) => a - b);
  const pieces: string[] = [];
  let from = 0;
  for (const a of at) {
    pieces.push(text.slice(from, a));
    from = a;
  }
  pieces.push(text.slice(from));
  return pieces;
}

const text = (alphabet: string[]) =>
  fc.array(fc.constantFrom(...alphabet), { maxLength: 80 }).map((chars) => chars.join(''));

describe('PlainRecordsSplitter', () => {
  it('reads quote-free text exactly as csv-parse does, however the text is cut', () => {
    fc.assert(
      fc.property(
        text(['a', 'b', '中', ',', ';', '\t', ' ', '\n', '\r', '\r\n', '\n\n']),
        fc.constantFrom(',', ';', '\t'),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 5 }),
        (t, delimiter, cuts) => {
          const options = { delimiter, maxChars: 1024 * 1024 };
          expect(split(cut(t, cuts), options)).toEqual(csvParse(t, options));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('hands text with quotes to csv-parse from the right record on', () => {
    fc.assert(
      fc.property(
        text(['a', '中', ',', '\n', '\r', '\r\n', '"', '""', ' ']),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 5 }),
        (t, cuts) => {
          const options = { delimiter: ',', maxChars: 1024 * 1024 };
          const expected = csvParse(t, options);
          const actual = split(cut(t, cuts), options);
          // When csv-parse fails, compare only that both fail.
          if (expected.error) expect(actual.error).toBe(expected.error);
          else expect(actual).toEqual(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('fails a record past the size limit where csv-parse fails it', () => {
    fc.assert(
      fc.property(
        text(['a', '中', ',', '\n', 'bb']),
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 3 }),
        (t, maxChars, cuts) => {
          const options = { delimiter: ',', maxChars };
          const expected = csvParse(t, options);
          const actual = split(cut(t, cuts), options);
          expect(actual.error).toBe(expected.error);
          if (!expected.error) expect(actual.records).toEqual(expected.records);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('numbers rows as records, blank lines included', () => {
    const splitter = new PlainRecordsSplitter({
      delimiter: ',',
      label: 'x.csv',
      maxColumns: 10,
      maxChars: 100,
    });
    const rows = splitter.push('a,b\n\nc,,d\r\n', true);
    expect(rows).toEqual([
      { row: 1, cells: ['a', 'b'] },
      { row: 2, cells: [null] },
      { row: 3, cells: ['c', null, 'd\r'] },
    ]);
  });
});
