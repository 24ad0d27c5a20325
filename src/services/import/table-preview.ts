/** What an uploaded table looks like before it is imported: format, headers, first rows, row count. */

import fs from 'node:fs';
import { KeleiError } from '../../core/errors.ts';
import { openTable, type Table } from './readers/index.ts';
import { listZipEntries, readZipEntry } from './readers/zip.reader.ts';

const SAMPLE_ROWS = 5;
/** How long an upload may spend counting rows before it settles for an estimate. */
const COUNT_ROWS_BUDGET_MS = 800;

export type PreviewCell = string | number | null;

/** exact: every row was counted; estimate: from the line breaks of a text file; atLeast: counting stopped early */
export type RowCount = { count: number; kind: 'exact' | 'estimate' | 'atLeast' };

/** What an uploaded table looks like before it is imported. */
export type TablePreview = {
  format: string;
  encoding: string | null;
  delimiter: string | null;
  sheet: string | null;
  headers: string[];
  headerRow: number | null;
  rowCount: RowCount;
  sample: PreviewCell[][];
};

/**
 * Format, headers, the first rows and the number of rows of an uploaded table; the file
 * is closed again. Rows are counted for a moment only: a big text file is then estimated
 * from its line breaks, a big workbook reported as "at least" what was counted.
 */
export async function previewTable(file: string, fileName: string): Promise<TablePreview> {
  const table: Table = await openTable(file);
  const sample: PreviewCell[][] = [];
  let counted = 0;
  let finished = true;
  const deadline = Date.now() + COUNT_ROWS_BUDGET_MS;
  try {
    for await (const { cells } of table.rows) {
      counted++;
      if (sample.length < SAMPLE_ROWS)
        sample.push(cells.map((c) => (c instanceof Date ? c.toISOString() : c)));
      if (counted % 1000 === 0 && Date.now() > deadline) {
        finished = false;
        break;
      }
    }
  } finally {
    await table.close();
  }
  if (counted === 0) {
    throw new KeleiError('EmptyFile', {
      en: `${fileName} has a header row but no data rows`,
      zh: `文件 ${fileName} 只有表头，没有数据行`,
    });
  }
  let rowCount: RowCount = { count: counted, kind: finished ? 'exact' : 'atLeast' };
  if (!finished) {
    // Line breaks inside quoted cells, or blank rows inside a sheet's range, make this an
    // estimate; it is never below what was counted.
    const lastRow =
      table.format === 'xlsx'
        ? await xlsxDeclaredLastRow(file)
        : /^utf-?16/i.test(table.encoding ?? '')
          ? null
          : await countLineBreaks(file);
    const estimate = lastRow === null ? 0 : lastRow - (table.headerRow ?? 0);
    if (estimate > counted) rowCount = { count: estimate, kind: 'estimate' };
  }
  return {
    format: table.format,
    encoding: table.encoding ?? null,
    delimiter:
      table.delimiter === undefined ? null : table.delimiter === 'whitespace' ? 'spaces' : table.delimiter,
    sheet: table.sheet ?? null,
    headers: table.headers,
    headerRow: table.headerRow,
    rowCount,
    sample,
  };
}

/**
 * The last row a workbook's only worksheet declares (`<dimension ref="A1:E3001"/>`, written
 * by Excel and exceljs), read from the first inflated bytes of the sheet; null when there
 * are several worksheets or no such element.
 */
async function xlsxDeclaredLastRow(file: string): Promise<number | null> {
  try {
    const listing = await listZipEntries(file);
    if ('problem' in listing) return null;
    const sheets = listing.entries.filter((e) => /^xl\/worksheets\/sheet\d+\.xml$/.test(e.name));
    if (sheets.length !== 1) return null;
    let head = '';
    for await (const chunk of readZipEntry(file, sheets[0])) {
      head += chunk.toString('utf8');
      if (head.length >= 8192 || head.includes('<sheetData')) break;
    }
    const match = /<dimension\s+ref="[A-Z]+\d+(?::[A-Z]+(\d+))?"/.exec(head);
    return match?.[1] ? Number(match[1]) : null;
  } catch {
    // an estimate only: the import itself reports a damaged sheet properly
    return null;
  }
}

/** Lines of a text file (a last line without a break counts too); bytes only, nothing decoded. */
async function countLineBreaks(file: string): Promise<number> {
  let lines = 0;
  let last = 0x0a;
  for await (const chunk of fs.createReadStream(file, {
    highWaterMark: 1024 * 1024,
  }) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) lines++;
    if (chunk.length > 0) last = chunk[chunk.length - 1];
  }
  return last === 0x0a ? lines : lines + 1;
}
