import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { fileLabel, ReaderError, unreadable } from './reader.error.ts';
import type { HeaderMode, Table, TableCell, TableRow } from './table.types.ts';
import { singleRows, tableFromRows } from './table-from-rows.ts';
import {
  listZipEntries,
  readZipEntry,
  storedLocalHeader,
  type ZipEntry,
  ZipEntryError,
} from './zip.reader.ts';

export type XlsxOptions = {
  sheet?: string;
  header: HeaderMode;
  maxRows: number;
  maxColumns: number;
  maxUncompressedBytes: number;
  maxSharedStringsBytes: number;
};

// Deflate tops out near 1000:1 and real sheets compress 5–50:1, so a large part
// packed tighter than this is a decompression bomb, not data.
const BOMB_RATIO = 200;
const BOMB_MIN_BYTES = 64 * 1024 * 1024;
// A stored entry in the feed has a 32-bit size field.
const MAX_PART_BYTES = 0xffffffff;

const WORKSHEET_PART = /^xl\/worksheets\/sheet(\d+)\.xml$/;
const EMPTY_SHARED_STRINGS =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
  '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"/>';

/** The parts of a workbook exceljs will read, in the order it needs them. */
type WorkbookParts = { leading: (ZipEntry | { name: string; data: Buffer })[]; worksheets: ZipEntry[] };

/**
 * Checks the ZIP's table of contents before anything is inflated — is it a workbook,
 * would it stay within the limits once unpacked? — and picks the parts to read.
 */
async function workbookParts(file: string, options: XlsxOptions): Promise<WorkbookParts> {
  const label = fileLabel(file);
  const listing = await listZipEntries(file);
  if ('problem' in listing) {
    if (listing.problem === 'too_many_entries') throw bomb(label);
    throw new ReaderError({
      code: 'UnreadableFile',
      reason: 'corrupt',
      zh: `文件 ${label} 不是有效的 .xlsx 文件（可能已损坏或下载不完整）`,
      en: `${label} is not a valid .xlsx file (it may be damaged or incompletely downloaded)`,
    });
  }
  const byName = new Map(listing.entries.map((e) => [e.name, e]));
  const workbook = byName.get('xl/workbook.xml');
  const rels = byName.get('xl/_rels/workbook.xml.rels');
  if (!workbook || !rels) {
    throw new ReaderError({
      code: 'UnreadableFile',
      reason: 'not_xlsx',
      zh: `文件 ${label} 是压缩包但不是 Excel 工作簿（.xlsx）；.xlsb 等格式请另存为 .xlsx 或 CSV`,
      en: `${label} is a ZIP archive but not an Excel workbook (.xlsx); save .xlsb and similar as .xlsx or CSV`,
    });
  }
  let total = 0;
  for (const entry of listing.entries) {
    total += entry.uncompressedSize;
    const ratio = entry.uncompressedSize / Math.max(entry.compressedSize, 1);
    if (entry.uncompressedSize > BOMB_MIN_BYTES && ratio > BOMB_RATIO) throw bomb(label);
    if (entry.uncompressedSize >= MAX_PART_BYTES) throw tooLarge(label);
  }
  if (total > options.maxUncompressedBytes) throw tooLarge(label);
  const sharedStrings = byName.get('xl/sharedStrings.xml');
  if (sharedStrings && sharedStrings.uncompressedSize > options.maxSharedStringsBytes) throw tooLarge(label);
  const styles = byName.get('xl/styles.xml');
  const worksheets = listing.entries
    .filter((e) => WORKSHEET_PART.test(e.name))
    .sort((a, b) => sheetNumber(a.name) - sheetNumber(b.name));
  return {
    leading: [
      rels,
      workbook,
      // exceljs streams a sheet only once it holds the shared strings; a workbook
      // without any (inline strings only) gets an empty table instead of a temp file.
      sharedStrings ?? { name: 'xl/sharedStrings.xml', data: Buffer.from(EMPTY_SHARED_STRINGS) },
      ...(styles ? [styles] : []),
    ],
    worksheets,
  };
}

function sheetNumber(name: string): number {
  return Number(WORKSHEET_PART.exec(name)?.[1] ?? 0);
}

function bomb(label: string): ReaderError {
  return new ReaderError({
    code: 'FileTooLarge',
    reason: 'zip_bomb',
    zh: `文件 ${label} 解压后异常巨大（疑似压缩炸弹），已拒绝读取`,
    en: `${label} would unpack to an abnormal size (a suspected decompression bomb); refused`,
  });
}

function tooLarge(label: string): ReaderError {
  return new ReaderError({
    code: 'FileTooLarge',
    reason: 'file_too_large',
    zh: `工作簿 ${label} 解压后过大，请拆分或另存为 CSV 后再导入`,
    en: `Workbook ${label} is too large once unpacked; split it or save it as CSV`,
  });
}

/** Length of the longest prefix of `chunk` that ends on a UTF-8 character boundary. */
function utf8Boundary(chunk: Buffer): number {
  for (let i = chunk.length - 1; i >= Math.max(0, chunk.length - 4); i--) {
    const byte = chunk[i];
    if ((byte & 0xc0) === 0x80) continue;
    if (byte < 0x80) return chunk.length;
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
    return chunk.length - i >= needed ? chunk.length : i;
  }
  return chunk.length;
}

/**
 * Writes the chosen parts into `feed` as a fresh ZIP stream of stored entries, which
 * is what exceljs's WorkbookReader parses. Rebuilding the stream works around three
 * exceljs 4.4 streaming flaws:
 * - parts arrive in the order exceljs needs them (relationships, workbook, shared
 *   strings, styles, then sheets), so it never parks sheets in temporary files nor
 *   misses styles, which are what mark a number cell as a date;
 * - the feed is never ended: unzipper announces the end of input before the last
 *   buffered parts reach exceljs (exceljs#3064 — the workbook part, and with it every
 *   sheet name, went missing at random);
 * - every chunk ends on a UTF-8 boundary, because exceljs decodes each chunk on its
 *   own and would turn a Chinese character split across two chunks into U+FFFD.
 * Inflation happens here, bounded by the sizes the central directory declared.
 */
async function writeFeed(feed: PassThrough, source: { file: string; parts: WorkbookParts }): Promise<void> {
  const { file, parts } = source;
  // Waits for room in the feed, or for the reader to close it early.
  const roomOrClose = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        feed.off('drain', done);
        feed.off('close', done);
        resolve();
      };
      feed.on('drain', done);
      feed.on('close', done);
    });
  const write = async (chunk: Buffer) => {
    if (feed.destroyed) throw new Error('feed closed');
    if (!feed.write(chunk)) await roomOrClose();
  };
  for (const part of [...parts.leading, ...parts.worksheets]) {
    if ('data' in part) {
      await write(storedLocalHeader(part.name, part.data.length));
      await write(part.data);
      continue;
    }
    await write(storedLocalHeader(part.name, part.uncompressedSize));
    let carry: Buffer = Buffer.alloc(0);
    for await (const chunk of readZipEntry(file, part)) {
      const joined = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
      const cut = utf8Boundary(joined);
      if (cut > 0) await write(joined.subarray(0, cut));
      carry = joined.subarray(cut);
    }
    if (carry.length > 0) await write(carry);
  }
}

/** A cell as exceljs gives it → text, number, Date or null. */
export function normaliseCell(value: ExcelJS.CellValue): TableCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if ('richText' in value) return normaliseCell(value.richText.map((part) => part.text ?? '').join(''));
  if ('error' in value) return value.error;
  if ('formula' in value || 'sharedFormula' in value)
    return value.result === undefined ? null : normaliseCell(value.result);
  // A hyperlink's text may itself be rich text, whatever the type declarations say.
  if ('hyperlink' in value) return normaliseCell(value.text);
  return null;
}

/**
 * Opens an .xlsx workbook with exceljs's streaming reader: one worksheet (the named
 * one, or the first in tab order), its first non-empty row as header. Rich text,
 * formulas (their cached result), hyperlinks and errors become plain values; date
 * cells arrive as Dates whose UTC fields are the time written in Excel.
 */
export async function openXlsx(file: string, options: XlsxOptions): Promise<Table> {
  const parts = await workbookParts(file, options);
  const state: { sheet?: string } = {};
  return tableFromRows({
    source: singleRows(xlsxRows({ file, options, parts, state })),
    meta: () => ({ format: 'xlsx', sheet: state.sheet }),
    header: options.header,
    label: fileLabel(file),
    maxRows: options.maxRows,
  });
}

/** Name of the first worksheet in tab order (chart sheets have no rows to read). */
function firstWorksheetName(workbook: ExcelJS.stream.xlsx.WorkbookReader): string | undefined {
  const sheets: unknown = workbook.model?.sheets;
  const rels: unknown = 'workbookRels' in workbook ? workbook.workbookRels : undefined;
  if (!Array.isArray(sheets)) return undefined;
  const worksheetRels = new Set(
    (Array.isArray(rels) ? rels : []).flatMap((r: unknown) =>
      typeof r === 'object' &&
      r !== null &&
      'Id' in r &&
      'Target' in r &&
      String(r.Target).includes('worksheets/')
        ? [String(r.Id)]
        : [],
    ),
  );
  for (const s of sheets) {
    if (typeof s !== 'object' || s === null || !('name' in s) || typeof s.name !== 'string') continue;
    if (worksheetRels.size === 0 || ('rId' in s && worksheetRels.has(String(s.rId)))) return s.name;
  }
  return undefined;
}

function sheetNames(workbook: ExcelJS.stream.xlsx.WorkbookReader): string[] {
  const sheets: unknown = workbook.model?.sheets;
  if (!Array.isArray(sheets)) return [];
  return sheets.flatMap((s: unknown) =>
    typeof s === 'object' && s !== null && 'name' in s && typeof s.name === 'string' ? [s.name] : [],
  );
}

function sheetName(sheet: ExcelJS.stream.xlsx.WorksheetReader): string | undefined {
  return 'name' in sheet && typeof sheet.name === 'string' ? sheet.name : undefined;
}

type XlsxRowsOptions = {
  file: string;
  options: XlsxOptions;
  parts: WorkbookParts;
  state: { sheet?: string };
};

async function* xlsxRows({
  file,
  options,
  parts,
  state,
}: XlsxRowsOptions): AsyncGenerator<TableRow, void, undefined> {
  const label = fileLabel(file);
  if (parts.worksheets.length === 0) throw noWorksheet(label);
  const feed = new PassThrough({ highWaterMark: 256 * 1024 });
  // exceljs does not watch its input for errors; race every step against the feed
  // writer so a damaged part ends in an error, not a hang.
  const feedFailed = writeFeed(feed, { file, parts }).then(() => new Promise<never>(() => {}));
  feedFailed.catch(() => undefined);
  const guard = <T>(step: Promise<T>): Promise<T> => Promise.race([step, feedFailed]);

  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(feed, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    // Styles are what tell a date cell from a number cell.
    styles: 'cache',
    entries: 'ignore',
  });
  let row = 0;
  try {
    const sheets = workbook[Symbol.asyncIterator]();
    // The feed never ends, so ask for exactly as many sheets as it holds.
    for (let n = 0; n < parts.worksheets.length; n++) {
      const nextSheet = await guard(sheets.next());
      if (nextSheet.done) break;
      const sheet = nextSheet.value;
      const name = sheetName(sheet);
      const wanted = options.sheet ?? firstWorksheetName(workbook);
      // A sheet exceljs could not name (odd relationship paths) is taken as it comes.
      if (wanted !== undefined && name !== undefined && name !== wanted) continue;
      state.sheet = name;
      const rows = sheet[Symbol.asyncIterator]();
      for (;;) {
        const nextRow = await guard(rows.next());
        if (nextRow.done) break;
        row = nextRow.value.number;
        const cells: TableCell[] = [];
        nextRow.value.eachCell({ includeEmpty: false }, (cell, column) => {
          if (column > options.maxColumns) throw tooManyColumns(label, { row, max: options.maxColumns });
          cells[column - 1] = normaliseCell(cell.value);
        });
        yield { row, cells: Array.from(cells, (c) => c ?? null) };
      }
      return;
    }
  } catch (e) {
    throw xlsxFailure(e, { file, row: row === 0 ? undefined : row + 1 });
  } finally {
    feed.destroy();
  }
  if (options.sheet !== undefined) {
    const available = sheetNames(workbook);
    throw new ReaderError({
      code: 'InvalidArgument',
      reason: 'sheet_not_found',
      zh: `工作簿 ${label} 中没有名为“${options.sheet}”的工作表；现有：${available.join('、')}`,
      en: `Workbook ${label} has no sheet named "${options.sheet}"; it has: ${available.join(', ')}`,
    });
  }
  throw noWorksheet(label);
}

function noWorksheet(label: string): ReaderError {
  return new ReaderError({
    code: 'EmptyFile',
    reason: 'empty',
    zh: `工作簿 ${label} 中没有工作表`,
    en: `Workbook ${label} contains no worksheet`,
  });
}

function xlsxFailure(e: unknown, context: { file: string; row?: number }): ReaderError {
  if (e instanceof ZipEntryError && e.problem === 'size_mismatch') {
    // More bytes than declared is how a bomb hides from the size check.
    return bomb(fileLabel(context.file));
  }
  return unreadable(e, context);
}

function tooManyColumns(label: string, at: { row: number; max: number }): ReaderError {
  const { row, max } = at;
  return new ReaderError({
    code: 'FileTooLarge',
    reason: 'too_many_columns',
    zh: `工作簿 ${label} 第 ${row} 行超过 ${max} 列`,
    en: `Row ${row} of ${label} has more than ${max} columns`,
    row,
  });
}
