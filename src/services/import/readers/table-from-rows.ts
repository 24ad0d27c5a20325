import { ReaderError } from './reader.error.ts';
import type { HeaderMode, Table, TableCell, TableRow } from './table.types.ts';
import { looksLikeData } from './text.sniffer.ts';

export type TableFromRowsOptions = {
  /** every row of the file in order, empty ones included (they are skipped here) */
  source: AsyncGenerator<TableRow, void, undefined>;
  /** read once the header row is found, so a reader can report what it learnt on the way (the sheet) */
  meta: () => Pick<Table, 'format' | 'encoding' | 'delimiter' | 'sheet'>;
  header: HeaderMode;
  /** the file name for messages */
  label: string;
  maxRows?: number;
};

function isEmptyRow(cells: readonly TableCell[]): boolean {
  return cells.every((c) => c === null || (typeof c === 'string' && c.trim() === ''));
}

function headerText(cell: TableCell, index: number): string {
  if (cell === null) return `column${index + 1}`;
  const text = cell instanceof Date ? cell.toISOString().slice(0, 10) : String(cell).trim();
  return text === '' ? `column${index + 1}` : text;
}

/**
 * Turns a file's row stream into a Table: finds the header (the first non-empty row,
 * unless it looks like data), then streams the remaining non-empty rows, enforcing
 * `maxRows`. The source is pulled lazily, so memory stays flat.
 */
export async function tableFromRows(options: TableFromRowsOptions): Promise<Table> {
  const { source, label } = options;
  let first: TableRow | null = null;
  try {
    for (;;) {
      const next = await source.next();
      if (next.done) break;
      if (!isEmptyRow(next.value.cells)) {
        first = next.value;
        break;
      }
    }
  } catch (e) {
    await source.return(undefined).catch(() => undefined);
    throw e;
  }
  if (first === null) {
    await source.return(undefined);
    throw new ReaderError({
      code: 'EmptyFile',
      reason: 'empty',
      zh: `文件 ${label} 是空的，没有表头也没有数据`,
      en: `${label} is empty: no header and no data`,
    });
  }

  const headerless = options.header === 'absent' || (options.header === 'auto' && looksLikeData(first.cells));
  let headers: string[];
  if (headerless) {
    headers = first.cells.map((_, i) => `column${i + 1}`);
  } else {
    // Trailing empty header cells name no column (Excel often carries a few).
    let width = first.cells.length;
    while (width > 1 && isEmptyRow([first.cells[width - 1]])) width--;
    headers = first.cells.slice(0, width).map(headerText);
  }
  const pending: TableRow | null = headerless ? first : null;
  const maxRows = options.maxRows ?? Number.POSITIVE_INFINITY;

  async function* rows(): AsyncGenerator<TableRow, void, undefined> {
    let count = 0;
    try {
      if (pending) {
        count++;
        yield pending;
      }
      for (;;) {
        const next = await source.next();
        if (next.done) return;
        if (isEmptyRow(next.value.cells)) continue;
        if (++count > maxRows) {
          throw new ReaderError({
            code: 'FileTooLarge',
            reason: 'too_many_rows',
            zh: `文件 ${label} 超过 ${maxRows} 行数据，请拆分后再导入`,
            en: `${label} has more than ${maxRows} data rows; split it and import the parts`,
            row: next.value.row,
          });
        }
        yield next.value;
      }
    } finally {
      await source.return(undefined);
    }
  }

  const iterator = rows();
  return {
    ...options.meta(),
    headers,
    headerRow: headerless ? null : first.row,
    rows: iterator,
    close: async () => {
      await iterator.return(undefined);
      await source.return(undefined);
    },
  };
}
