import type { CellValue } from '../../core/import/clean.ts';
import type { DbHandle } from '../../db/database.ts';
import type { PiiCipher } from '../privacy/pii-cipher.ts';
import type { ImportCounts, ImportReport, RowError } from './import.types.ts';

/** Reads the cells of one row by target field, through the column mapping. */
export type CellReader = {
  /** raw cell of a target field; undefined when the file has no column for it */
  raw(field: string): CellValue | undefined;
  /** the header text a target field was read from (for error messages) */
  header(field: string): string | null;
  /** non-empty cells of columns that map to no target field, by header */
  extras(): Record<string, string>;
};

/** Where an entity's rows go: `add` one row at a time, `finish` flushes what is left. */
export type RowSink = {
  add(row: number, cells: CellReader): Promise<void>;
  finish(): Promise<void>;
};

export type SinkContext = {
  handle: DbHandle;
  /** the transaction every write of this import goes through */
  trx: DbHandle['db'];
  jobId: number;
  source: string;
  cipher: PiiCipher;
  timeZone: string;
  now: string;
  counts: ImportCounts;
  error(e: RowError): void;
  duplicate(d: ImportReport['duplicates'][number]): void;
};
