import fs from 'node:fs';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { fileLabel, ReaderError, unreadable } from './reader.error.ts';
import { tableFromRows } from './table-from-rows.ts';
import type { HeaderMode, Table, TableCell, TableRow } from './table.types.ts';
import { listZipEntries } from './zip.inspector.ts';

export type XlsxOptions = {
  sheet?: string;
  header: HeaderMode;
  maxRows: number;
  maxColumns: number;
  maxUncompressedBytes: number;
  maxSharedStringsBytes: number;
};

// Deflate tops out near 1000:1; real sheets compress 5–50:1, so a large part packed
// tighter than this is a decompression bomb, not data.
const BOMB_RATIO = 500;
const BOMB_MIN_BYTES = 64 * 1024 * 1024;

/**
 * Checks the ZIP's table of contents before anything is inflated: is it a workbook,
 * and would it stay within the size limits once unpacked?
 */
async function checkWorkbookZip(file: string, options: XlsxOptions): Promise<void> {
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
  const names = new Set(listing.entries.map((e) => e.name));
  if (!names.has('xl/workbook.xml')) {
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
    if (entry.name === 'xl/sharedStrings.xml' && entry.uncompressedSize > options.maxSharedStringsBytes) {
      throw tooLarge(label, 'file_too_large');
    }
  }
  if (total > options.maxUncompressedBytes) throw tooLarge(label, 'file_too_large');
}

function bomb(label: string): ReaderError {
  return new ReaderError({
    code: 'FileTooLarge',
    reason: 'zip_bomb',
    zh: `文件 ${label} 解压后异常巨大（疑似压缩炸弹），已拒绝读取`,
    en: `${label} would unpack to an abnormal size (a suspected decompression bomb); refused`,
  });
}

function tooLarge(label: string, reason: 'file_too_large'): ReaderError {
  return new ReaderError({
    code: 'FileTooLarge',
    reason,
    zh: `工作簿 ${label} 解压后过大，请拆分或另存为 CSV 后再导入`,
    en: `Workbook ${label} is too large once unpacked; split it or save it as CSV`,
  });
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
  if ('formula' in value || 'sharedFormula' in value) return value.result === undefined ? null : normaliseCell(value.result);
  // A hyperlink's text may itself be rich text, whatever the type declarations say.
  if ('hyperlink' in value) return normaliseCell(value.text);
  return null;
}

/** Worksheet names in tab order, when the workbook part has been read (it comes first in practice). */
function worksheetNames(workbook: ExcelJS.stream.xlsx.WorkbookReader): string[] {
  const sheets: unknown = workbook.model?.sheets;
  if (!Array.isArray(sheets)) return [];
  return sheets.flatMap((s: unknown) =>
    typeof s === 'object' && s !== null && 'name' in s && typeof s.name === 'string' ? [s.name] : [],
  );
}

function sheetName(sheet: ExcelJS.stream.xlsx.WorksheetReader): string | undefined {
  return 'name' in sheet && typeof sheet.name === 'string' ? sheet.name : undefined;
}

/** A sheet we pass over may be parked in a temporary file by exceljs; close it. */
function discard(sheet: ExcelJS.stream.xlsx.WorksheetReader): void {
  const source = 'iterator' in sheet ? sheet.iterator : undefined;
  if (source instanceof Readable) source.destroy();
}

/**
 * Opens an .xlsx workbook with exceljs's streaming reader: one worksheet (the named
 * one, or the first in tab order), its first non-empty row as header. Rich text,
 * formulas (their cached result), hyperlinks and errors become plain values; date
 * cells arrive as Dates whose UTC fields are the time written in Excel.
 */
export async function openXlsx(file: string, options: XlsxOptions): Promise<Table> {
  const label = fileLabel(file);
  await checkWorkbookZip(file, options);
  const state: { sheet?: string } = {};
  return tableFromRows({
    source: xlsxRows(file, options, state),
    meta: () => ({ format: 'xlsx', sheet: state.sheet }),
    header: options.header,
    label,
    maxRows: options.maxRows,
  });
}

async function* xlsxRows(
  file: string,
  options: XlsxOptions,
  state: { sheet?: string },
): AsyncGenerator<TableRow, void, undefined> {
  const label = fileLabel(file);
  const input = fs.createReadStream(file, { highWaterMark: 256 * 1024 });
  // exceljs pipes the file into its unzipper without watching for read errors; race
  // every step against them so a failing disk ends in an error, not a hang.
  const inputFailed = new Promise<never>((_, reject) => input.once('error', reject));
  inputFailed.catch(() => undefined);
  const guard = <T>(step: Promise<T>): Promise<T> => Promise.race([step, inputFailed]);

  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    // Styles are what tell a date cell from a number cell.
    styles: 'cache',
    entries: 'ignore',
  });
  let row = 0;
  const seen: string[] = [];
  try {
    const sheets = workbook[Symbol.asyncIterator]();
    for (;;) {
      const nextSheet = await guard(sheets.next());
      if (nextSheet.done) break;
      const sheet = nextSheet.value;
      const name = sheetName(sheet);
      if (name !== undefined) seen.push(name);
      const wanted = options.sheet ?? worksheetNames(workbook)[0];
      if (wanted !== undefined && name !== undefined && name !== wanted) {
        discard(sheet);
        continue;
      }
      state.sheet = name;
      const rows = sheet[Symbol.asyncIterator]();
      for (;;) {
        const nextRow = await guard(rows.next());
        if (nextRow.done) break;
        row = nextRow.value.number;
        const cells: TableCell[] = [];
        nextRow.value.eachCell({ includeEmpty: false }, (cell, column) => {
          if (column > options.maxColumns) throw tooManyColumns(label, row, options.maxColumns);
          cells[column - 1] = normaliseCell(cell.value);
        });
        yield { row, cells: Array.from(cells, (c) => c ?? null) };
      }
      await rows.return(undefined);
      return;
    }
  } catch (e) {
    throw unreadable(e, { file, row: row === 0 ? undefined : row + 1 });
  } finally {
    input.destroy();
  }
  if (options.sheet !== undefined) {
    const available = [...new Set([...worksheetNames(workbook), ...seen])];
    throw new ReaderError({
      code: 'InvalidArgument',
      reason: 'sheet_not_found',
      zh: `工作簿 ${label} 中没有名为“${options.sheet}”的工作表；现有：${available.join('、')}`,
      en: `Workbook ${label} has no sheet named "${options.sheet}"; it has: ${available.join(', ')}`,
    });
  }
  throw new ReaderError({
    code: 'EmptyFile',
    reason: 'empty',
    zh: `工作簿 ${label} 中没有工作表`,
    en: `Workbook ${label} contains no worksheet`,
  });
}

function tooManyColumns(label: string, row: number, max: number): ReaderError {
  return new ReaderError({
    code: 'FileTooLarge',
    reason: 'too_many_columns',
    zh: `工作簿 ${label} 第 ${row} 行超过 ${max} 列`,
    en: `Row ${row} of ${label} has more than ${max} columns`,
    row,
  });
}
