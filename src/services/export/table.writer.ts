import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { isKeleiError } from '../../core/errors.ts';
import { type ColumnKind, csvQuote, csvText, xlsxCell } from './cell-value.format.ts';
import { exportFailed, invalidSheets } from './export.errors.ts';

export type ExportFormat = 'csv' | 'xlsx';

export type ColumnSpec = {
  header: string;
  /** property of each row record that holds the value */
  key: string;
  /** default 'text'; money values are integer fen and come out as yuan */
  kind?: ColumnKind;
  /** XLSX column width in characters; estimated from the header when absent */
  width?: number;
};

export type SheetSpec = {
  name: string;
  columns: ColumnSpec[];
  rows: AsyncIterable<Record<string, unknown>>;
};

export type WriteTableOptions = {
  format: ExportFormat;
  /** the file to create; written beside it under a temporary name, then renamed */
  out: string;
  /** CSV takes exactly one sheet */
  sheets: SheetSpec[];
};

export type WriteTableResult = { out: string; sheets: Array<{ name: string; rows: number }> };

const UTF8_BOM = '\uFEFF';
const CSV_CHUNK = 64 * 1024;
// How often the XLSX writer yields to let the zip and file streams drain.
const XLSX_YIELD_EVERY = 2_000;

/**
 * Streams tables to a CSV (UTF-8 with BOM, CRLF) or XLSX file, escaping text that a
 * spreadsheet would run as a formula. The file appears only once it is complete.
 *
 * @example await writeTable({ format: 'csv', out: 'a.csv', sheets: [{ name: 'a', columns, rows }] })
 */
export async function writeTable(options: WriteTableOptions): Promise<WriteTableResult> {
  const { format, out, sheets } = options;
  if (sheets.length === 0 || (format === 'csv' && sheets.length !== 1)) {
    throw invalidSheets({ sheets: sheets.length, format });
  }
  const temp = path.join(
    path.dirname(path.resolve(out)),
    `.${path.basename(out)}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.part`,
  );
  // Exports hold personal data: owner only, like uploads and error reports.
  const stream = fs.createWriteStream(temp, { mode: 0o600 });
  const failure = streamFailure(stream);
  try {
    const counts =
      format === 'csv'
        ? [await writeCsv({ stream, sheet: sheets[0], failure: failure.promise })]
        : await writeXlsx({ stream, sheets, failure: failure.promise });
    await fs.promises.rename(temp, out);
    return { out, sheets: sheets.map((s, i) => ({ name: s.name, rows: counts[i] })) };
  } catch (error) {
    // The file may still be opening: remove it only once the stream has closed, or it appears after the rm.
    const closed = stream.closed
      ? Promise.resolve()
      : new Promise<void>((resolve) => stream.once('close', () => resolve()));
    stream.destroy();
    await closed;
    await fs.promises.rm(temp, { force: true });
    if (isKeleiError(error)) throw error;
    throw exportFailed(error);
  } finally {
    failure.dispose();
  }
}

type StreamFailure = { promise: Promise<never>; dispose(): void };

/** A promise that rejects when the file stream fails, so a full disk ends the export. */
function streamFailure(stream: fs.WriteStream): StreamFailure {
  let onError: (error: Error) => void = () => {};
  const promise = new Promise<never>((_, reject) => {
    onError = reject;
  });
  // Unobserved until someone races it; never an unhandled rejection.
  promise.catch(() => {});
  stream.on('error', onError);
  return { promise, dispose: () => stream.off('error', onError) };
}

async function writeCsv(options: {
  stream: fs.WriteStream;
  sheet: SheetSpec;
  failure: Promise<never>;
}): Promise<number> {
  const { stream, sheet, failure } = options;
  const kinds = sheet.columns.map((c) => c.kind ?? 'text');
  let chunk = UTF8_BOM + csvLine(sheet.columns.map((c) => csvQuote(csvText(c.header, 'text'))));
  let rows = 0;
  for await (const row of sheet.rows) {
    chunk += csvLine(sheet.columns.map((c, i) => csvQuote(csvText(row[c.key], kinds[i]))));
    rows += 1;
    if (chunk.length >= CSV_CHUNK) {
      await write(stream, chunk, failure);
      chunk = '';
    }
  }
  await write(stream, chunk, failure);
  await Promise.race([new Promise<void>((resolve) => stream.end(resolve)), failure]);
  return rows;
}

function csvLine(fields: string[]): string {
  // CRLF: what Excel writes and what RFC 4180 asks for.
  return `${fields.join(',')}\r\n`;
}

async function write(stream: fs.WriteStream, chunk: string, failure: Promise<never>): Promise<void> {
  if (chunk.length === 0) return;
  if (!stream.write(chunk)) {
    await Promise.race([new Promise<void>((resolve) => stream.once('drain', resolve)), failure]);
  }
}

async function writeXlsx(options: {
  stream: fs.WriteStream;
  sheets: SheetSpec[];
  failure: Promise<never>;
}): Promise<number[]> {
  const { stream, sheets, failure } = options;
  // Inline strings keep memory flat; shared strings would hold every distinct text until the end.
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream,
    useStyles: true,
    useSharedStrings: false,
  });
  workbook.creator = 'Kelei';
  const names = sheetNames(sheets.map((s) => s.name));
  const counts: number[] = [];
  for (const [index, sheet] of sheets.entries()) {
    const worksheet = workbook.addWorksheet(names[index], { views: [{ state: 'frozen', ySplit: 1 }] });
    worksheet.columns = sheet.columns.map((c) => ({ key: c.key, width: c.width ?? columnWidth(c) }));
    const header = worksheet.addRow(sheet.columns.map((c) => xlsxCell(c.header, 'text').value));
    header.font = { bold: true };
    header.commit();
    const kinds = sheet.columns.map((c) => c.kind ?? 'text');
    let rows = 0;
    for await (const record of sheet.rows) {
      const cells = sheet.columns.map((c, i) => xlsxCell(record[c.key], kinds[i]));
      const row = worksheet.addRow(cells.map((c) => c.value));
      cells.forEach((c, i) => {
        if (c.numFmt) row.getCell(i + 1).numFmt = c.numFmt;
      });
      row.commit();
      rows += 1;
      if (rows % XLSX_YIELD_EVERY === 0) await drained({ stream, zipInput: zipInputOf(worksheet), failure });
    }
    worksheet.commit();
    counts.push(rows);
  }
  await Promise.race([workbook.commit(), failure]);
  return counts;
}

/** A stream that can say it is full and tell when it has room again. */
type Drainable = { needsDrain(): boolean; once(event: 'drain', listener: () => void): unknown };

/**
 * Waits while compressed output or uncompressed sheet XML is queued, so rows are
 * produced no faster than they are zipped and written and memory stays flat.
 */
async function drained(options: {
  stream: fs.WriteStream;
  zipInput: Drainable | null;
  failure: Promise<never>;
}): Promise<void> {
  const { stream, zipInput, failure } = options;
  await new Promise<void>((resolve) => setImmediate(resolve));
  const file: Drainable = { needsDrain: () => stream.writableNeedDrain, once: (e, l) => stream.once(e, l) };
  for (const target of [zipInput, file]) {
    if (target?.needsDrain()) {
      await Promise.race([new Promise<void>((resolve) => target.once('drain', resolve)), failure]);
    }
  }
}

/**
 * The stream the zip archiver reads a sheet's XML from. exceljs 4.4 writes a sheet into
 * its own buffer and forwards it to that stream (a readable-stream v2 PassThrough)
 * ignoring backpressure, so without waiting on it a large sheet piles up in memory
 * ahead of the compressor (~350 bytes per row). This reaches into exceljs internals;
 * if they change, the writer only loses the throttle.
 */
function zipInputOf(worksheet: ExcelJS.Worksheet): Drainable | null {
  const sheetStream: unknown = Reflect.get(worksheet, 'stream');
  if (typeof sheetStream !== 'object' || sheetStream === null) return null;
  const pipes: unknown = Reflect.get(sheetStream, 'pipes');
  const target: unknown = Array.isArray(pipes) ? pipes[0] : undefined;
  if (typeof target !== 'object' || target === null) return null;
  const once: unknown = Reflect.get(target, 'once');
  const state: unknown = Reflect.get(target, '_writableState');
  if (typeof once !== 'function' || typeof state !== 'object' || state === null) return null;
  return {
    needsDrain: () => Reflect.get(state, 'needDrain') === true,
    once: (event, listener) => Reflect.apply(once, target, [event, listener]),
  };
}

/** Excel sheet names: at most 31 characters, none of []:*?/\, unique ignoring case. */
function sheetNames(wanted: string[]): string[] {
  const used = new Set<string>();
  return wanted.map((name, i) => {
    const base =
      name
        .replace(/[[\]:*?/\\]/g, '_')
        .trim()
        .slice(0, 31) || `Sheet${i + 1}`;
    let candidate = base;
    for (let n = 2; used.has(candidate.toLowerCase()); n += 1) {
      const suffix = `(${n})`;
      candidate = base.slice(0, 31 - suffix.length) + suffix;
    }
    used.add(candidate.toLowerCase());
    return candidate;
  });
}

function columnWidth(column: ColumnSpec): number {
  // CJK characters take two columns in Excel's default fonts.
  const headerWidth = [...column.header].reduce((w, ch) => w + (/[\u2E80-\uFFEF]/.test(ch) ? 2 : 1), 0);
  const minimum = { text: 12, number: 10, money: 14, date: 20 }[column.kind ?? 'text'];
  return Math.min(60, Math.max(minimum, headerWidth + 2));
}
