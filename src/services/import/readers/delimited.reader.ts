import fs from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { CsvError, type Options, parse } from 'csv-parse';
import iconv from 'iconv-lite';
import { PlainRecordsSplitter } from './plain-records.splitter.ts';
import { fileLabel, ReaderError, unreadable } from './reader.error.ts';
import type { Delimiter, HeaderMode, Table, TableCell, TableRow } from './table.types.ts';
import { tableFromRows } from './table-from-rows.ts';
import { decodeSample, detectDelimiter, detectEncoding } from './text.sniffer.ts';

export type DelimitedOptions = {
  /** the file's first bytes (up to SNIFF_BYTES) */
  sample: Buffer;
  /** whether `sample` is the whole file */
  complete: boolean;
  encoding?: string;
  delimiter?: Delimiter;
  header: HeaderMode;
  maxRows?: number;
  maxColumns: number;
  maxRecordChars: number;
};

/**
 * Bytes decoded into one string at a time. Small on purpose: a string past V8's
 * large-object size (128 KiB, 64 Ki Chinese characters) is allocated outside the young
 * generation, which makes reading a big file twice as slow.
 */
const STRING_CHUNK = 32 * 1024;

/** Streams bytes → strings in any iconv-lite encoding; a BOM is dropped. */
function decoder(encoding: string): Transform {
  const decode = iconv.getDecoder(encoding);
  return new Transform({
    // Object mode on the readable side hands strings on as they are, instead of
    // re-encoding them to UTF-8 buffers for the parser to decode once more.
    readableObjectMode: true,
    transform(chunk: Buffer, _encoding, callback) {
      // Decoded in slices: each becomes one string, small enough for the young generation.
      for (let at = 0; at < chunk.length; at += STRING_CHUNK) {
        const text = decode.write(chunk.subarray(at, at + STRING_CHUNK));
        if (text !== '') this.push(text);
      }
      callback();
    },
    flush(callback) {
      const text = decode.end();
      callback(null, text ? text : undefined);
    },
  });
}

/**
 * Opens CSV or other delimited text. Encoding and delimiter are sniffed from the sample
 * unless given; the file is then streamed through iconv-lite and csv-parse (or a line
 * splitter for whitespace-separated text), so memory stays flat whatever its size.
 */
export async function openDelimited(file: string, options: DelimitedOptions): Promise<Table> {
  const label = fileLabel(file);
  if (options.encoding !== undefined && !iconv.encodingExists(options.encoding)) {
    throw new ReaderError({
      code: 'InvalidArgument',
      reason: 'unsupported_encoding',
      zh: `不支持的编码：${options.encoding}`,
      en: `Unsupported encoding: ${options.encoding}`,
    });
  }
  const encoding = options.encoding ?? detectEncoding(options.sample, options.complete);
  const text = decodeSample(options.sample, encoding, options.complete);
  if (text.includes('\u0000')) {
    throw new ReaderError({
      code: 'UnreadableFile',
      reason: 'binary',
      zh: `文件 ${label} 不是文本表格（CSV），也不是 Excel 文件`,
      en: `${label} is neither delimited text (CSV) nor an Excel workbook`,
    });
  }
  const delimiter = options.delimiter ?? detectDelimiter(text);
  const source =
    delimiter === 'whitespace'
      ? whitespaceRows({
          file,
          encoding,
          label,
          maxColumns: options.maxColumns,
          maxChars: options.maxRecordChars,
        })
      : csvRows({
          file,
          encoding,
          delimiter,
          label,
          maxColumns: options.maxColumns,
          maxChars: options.maxRecordChars,
        });
  return tableFromRows({
    source,
    meta: () => ({ format: 'csv', encoding, delimiter }),
    header: options.header,
    label,
    maxRows: options.maxRows,
  });
}

type RowSourceOptions = {
  file: string;
  encoding: string;
  label: string;
  maxColumns: number;
  maxChars: number;
};

function toCells(
  fields: readonly string[],
  context: { label: string; row: number; maxColumns: number },
): TableCell[] {
  if (fields.length > context.maxColumns) {
    throw new ReaderError({
      code: 'FileTooLarge',
      reason: 'too_many_columns',
      zh: `文件 ${context.label} 第 ${context.row} 行超过 ${context.maxColumns} 列`,
      en: `Row ${context.row} of ${context.label} has more than ${context.maxColumns} columns`,
      row: context.row,
    });
  }
  return fields.map((f) => (f === '' ? null : f));
}

/** Bytes read at a time. */
const READ_CHUNK = 256 * 1024;

/** Records handed on per batch: one await per batch instead of per record. */
const BATCH_RECORDS = 1024;

async function* csvRows(
  options: RowSourceOptions & { delimiter: Exclude<Delimiter, 'whitespace'> },
): AsyncGenerator<TableRow[], void, undefined> {
  const input = fs.createReadStream(options.file, { highWaterMark: READ_CHUNK });
  const decode = decoder(options.encoding);
  input.on('error', (e) => decode.destroy(e));
  input.pipe(decode);
  const chunks = decode[Symbol.asyncIterator]();
  const plain = new PlainRecordsSplitter({
    delimiter: options.delimiter,
    label: options.label,
    maxColumns: options.maxColumns,
    maxChars: options.maxChars,
  });
  try {
    // Quote-free text is split natively; from the first quote on, csv-parse reads the rest.
    for (;;) {
      const next = await chunks.next();
      const batch = plain.push(next.done ? '' : String(next.value), next.done === true);
      if (batch.length > 0) yield batch;
      if (plain.error) throw plain.error;
      if (plain.rest !== null) break;
      if (next.done) return;
    }
    yield* quotedRows({
      ...options,
      text: plain.rest,
      chunks,
      rowsBefore: plain.row,
      recordDelimiter: plain.recordDelimiter,
    });
  } catch (e) {
    throw unreadable(e, { file: options.file, row: plain.row + 1 });
  } finally {
    input.destroy();
    decode.destroy();
  }
}

/** csv-parse over `text` and the chunks after it, numbering rows after `rowsBefore`. */
async function* quotedRows(
  options: RowSourceOptions & {
    delimiter: Exclude<Delimiter, 'whitespace'>;
    text: string;
    chunks: AsyncIterator<unknown>;
    rowsBefore: number;
    recordDelimiter: string | null;
  },
): AsyncGenerator<TableRow[], void, undefined> {
  const { text, chunks } = options;
  async function* remaining(): AsyncGenerator<string, void, undefined> {
    if (text !== '') yield text;
    for (;;) {
      const next = await chunks.next();
      if (next.done) return;
      yield String(next.value);
    }
  }
  const parserOptions: Options & { readableHighWaterMark: number } = {
    delimiter: options.delimiter,
    quote: '"',
    escape: '"',
    relax_column_count: true,
    relax_quotes: true,
    // Blank lines stay records so row numbers match what Excel shows; tableFromRows skips them.
    skip_empty_lines: false,
    max_record_size: options.maxChars,
    // Parse well ahead of the consumer: with the default 16 records the parser stalls
    // and resumes the file stream every few rows, and the import waits on it.
    readableHighWaterMark: 8192,
    // Continuing after quote-free records: the delimiter the first line break set stays.
    ...(options.recordDelimiter === null ? {} : { record_delimiter: options.recordDelimiter }),
  };
  const parser = parse(parserOptions);
  const source = Readable.from(remaining(), { objectMode: false });
  source.on('error', (e) => parser.destroy(e));
  source.pipe(parser);
  let row = options.rowsBefore;
  let batch: TableRow[] = [];
  try {
    for await (const record of parser) {
      row++;
      batch.push({
        row,
        cells: toCells(record, { label: options.label, row, maxColumns: options.maxColumns }),
      });
      if (batch.length === BATCH_RECORDS) {
        yield batch;
        batch = [];
      }
    }
  } catch (e) {
    if (batch.length > 0) yield batch;
    throw csvFailure(e, {
      label: options.label,
      file: options.file,
      row: row + 1,
      rowsBefore: options.rowsBefore,
      maxChars: options.maxChars,
    });
  } finally {
    source.destroy();
    parser.destroy();
  }
  if (batch.length > 0) yield batch;
}

function csvFailure(
  e: unknown,
  context: { label: string; file: string; row: number; rowsBefore: number; maxChars: number },
): ReaderError {
  if (e instanceof ReaderError) return e;
  if (!(e instanceof CsvError)) return unreadable(e, { file: context.file, row: context.row });
  const { label } = context;
  // The parser runs ahead of our loop and drops what it had buffered when it fails,
  // so its own record count (blank lines included) places the error, not ours.
  const row = typeof e.records === 'number' ? context.rowsBefore + e.records + 1 : context.row;
  if (e.code === 'CSV_MAX_RECORD_SIZE' || e.code === 'CSV_QUOTE_NOT_CLOSED') {
    return new ReaderError({
      code: 'UnreadableFile',
      reason: 'record_too_long',
      zh: `文件 ${label} 从第 ${row} 行起有一个引号没有闭合（或单行超过 ${context.maxChars} 个字符）`,
      en: `${label}: a quote opened on row ${row} never closes (or the row is longer than ${context.maxChars} characters)`,
      row,
      cause: e,
    });
  }
  return new ReaderError({
    code: 'UnreadableFile',
    reason: 'malformed_csv',
    zh: `文件 ${label} 第 ${row} 行格式不正确（引号使用有误）`,
    en: `${label}: row ${row} is malformed (misplaced quote)`,
    row,
    cause: e,
  });
}

/** Whitespace-separated text: one record per line, fields split on runs of spaces or tabs. */
async function* whitespaceRows(options: RowSourceOptions): AsyncGenerator<TableRow[], void, undefined> {
  const input = fs.createReadStream(options.file, { highWaterMark: READ_CHUNK });
  const decode = decoder(options.encoding);
  input.on('error', (e) => decode.destroy(e));
  input.pipe(decode);
  let row = 0;
  let rest = '';
  const record = (line: string): TableRow => {
    const trimmed = line.trim();
    const fields = trimmed === '' ? [] : trimmed.split(/\s+/);
    const cells = toCells(fields, { label: options.label, row: row + 1, maxColumns: options.maxColumns });
    row++;
    return { row, cells };
  };
  let batch: TableRow[] = [];
  try {
    for await (const chunk of decode) {
      const lines = (rest + String(chunk)).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) batch.push(record(line));
      if (rest.length > options.maxChars) {
        throw new ReaderError({
          code: 'UnreadableFile',
          reason: 'record_too_long',
          zh: `文件 ${options.label} 第 ${row + 1} 行超过 ${options.maxChars} 个字符`,
          en: `${options.label}: row ${row + 1} is longer than ${options.maxChars} characters`,
          row: row + 1,
        });
      }
      if (batch.length > 0) yield batch;
      batch = [];
    }
    if (rest !== '') batch.push(record(rest));
    if (batch.length > 0) yield batch;
  } catch (e) {
    if (batch.length > 0) yield batch;
    throw unreadable(e, { file: options.file, row: row + 1 });
  } finally {
    input.destroy();
    decode.destroy();
  }
}
