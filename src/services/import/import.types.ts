import type { ImportEntity } from '../../core/import/header-mapping.ts';

export { IMPORT_ENTITIES, type ImportEntity } from '../../core/import/header-mapping.ts';

/** One problem with one row: where (row, column) and why, in both languages. */
export type RowError = {
  row: number;
  column: string | null;
  value: string | null;
  reason: { zh: string; en: string };
};

export type ImportCounts = {
  /** data rows read from the file */
  rows: number;
  /** records (customers, orders, …) the file holds after aggregation */
  records: number;
  new: number;
  updated: number;
  unchanged: number;
  invalid: number;
  duplicate: number;
  /** customers created because an order, interaction or feedback named an unknown code */
  newCustomers: number;
};

export type ImportReport = {
  jobId: number | null;
  entity: ImportEntity;
  file: string;
  format: string;
  encoding: string | null;
  delimiter: string | null;
  /** target field → header it was read from */
  mapping: Record<string, string>;
  unmappedHeaders: string[];
  dryRun: boolean;
  committed: boolean;
  counts: ImportCounts;
  /** the first errors (all of them are in the error report file) */
  errors: RowError[];
  /**
   * rows not written: a new code whose phone or e-mail belongs to an existing customer,
   * a code repeated in the file, or the code of a customer erased on request
   */
  duplicates: {
    row: number;
    code: string;
    existingCode: string;
    by: 'phone' | 'email' | 'code' | 'erased';
  }[];
  errorReportFile: string | null;
};

export type ImportProgress = { rows: number; bytes?: number };
