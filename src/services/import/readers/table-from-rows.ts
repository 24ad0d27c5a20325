import { ReaderError } from './reader.error.ts';
import type { HeaderMode, Table, TableCell, TableRow } from './table.types.ts';
import { looksLikeData } from './text.sniffer.ts';

export type TableFromRowsOptions = {
  /** every row of the file in order, in batches, empty ones included (they are skipped here) */
  source: AsyncGenerator<TableRow[], void, undefined>;
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

/** A reader that yields one row at a time, as batches of one. */
export async function* singleRows(
  rows: AsyncGenerator<TableRow, void, undefined>,
): AsyncGenerator<TableRow[], void, undefined> {
  for await (const row of rows) yield [row];
}

/**
 * Turns a file's row stream into a Table: finds the header (the first non-empty row,
 * unless it looks like data), then streams the remaining non-empty rows, enforcing
 * `maxRows`. The source is pulled lazily, so memory stays flat.
 */
export async function tableFromRows(options: TableFromRowsOptions): Promise<Table> {
  const { source, label } = options;
  let first: TableRow | null = null;
  // Rows of the batch the header came from that follow it.
  let after: TableRow[] = [];
  try {
    for (;;) {
      const next = await source.next();
      if (next.done) break;
      const batch = next.value;
      const at = batch.findIndex((r) => !isEmptyRow(r.cells));
      if (at !== -1) {
        first = batch[at];
        after = batch.slice(at + 1);
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
  const pending: TableRow[] = headerless ? [first, ...after] : after;
  const maxRows = options.maxRows ?? Number.POSITIVE_INFINITY;

  let count = 0;
  let overflow: ReaderError | null = null;
  /** The non-empty rows of a batch up to `maxRows`; past it, `overflow` is set. */
  function dataRows(batch: readonly TableRow[]): TableRow[] {
    const out: TableRow[] = [];
    for (const r of batch) {
      if (isEmptyRow(r.cells)) continue;
      if (++count > maxRows) {
        overflow = new ReaderError({
          code: 'FileTooLarge',
          reason: 'too_many_rows',
          zh: `文件 ${label} 超过 ${maxRows} 行数据，请拆分后再导入`,
          en: `${label} has more than ${maxRows} data rows; split it and import the parts`,
          row: r.row,
        });
        break;
      }
      out.push(r);
    }
    return out;
  }

  async function* batches(): AsyncGenerator<TableRow[], void, undefined> {
    try {
      let rows = dataRows(pending);
      for (;;) {
        if (rows.length > 0) yield rows;
        if (overflow) throw overflow;
        const next = await source.next();
        if (next.done) return;
        rows = dataRows(next.value);
      }
    } finally {
      await source.return(undefined);
    }
  }

  async function* rows(): AsyncGenerator<TableRow, void, undefined> {
    for await (const batch of batchIterator) yield* batch;
  }

  const batchIterator = batches();
  const rowIterator = rows();
  return {
    ...options.meta(),
    headers,
    headerRow: headerless ? null : first.row,
    rows: rowIterator,
    batches: batchIterator,
    close: async () => {
      await rowIterator.return(undefined);
      await batchIterator.return(undefined);
      await source.return(undefined);
    },
  };
}
