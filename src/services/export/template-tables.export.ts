import type { Db } from '../../db/database.ts';
import type { PiiCipher } from '../privacy/pii-cipher.ts';
import { classificationSheet } from './classification-table.export.ts';
import { customersSheet } from './customers-table.export.ts';
import { ordersSheet } from './orders-table.export.ts';
import { plansSheet } from './plans-table.export.ts';
import { type ExportFormat, type SheetSpec, type WriteTableResult, writeTable } from './table.writer.ts';

/** The four template tables of the seed documents, by the name the CLI and API use. */
export type TemplateTable = 'customers' | 'orders' | 'classification' | 'plans';

export const TEMPLATE_TABLES: readonly TemplateTable[] = ['customers', 'orders', 'classification', 'plans'];

export type TemplateSheetOptions = {
  db: Db;
  cipher?: PiiCipher;
  /** full phone and e-mail in 客户基本信息表; the caller checks permission and audits */
  revealPii?: boolean;
  batchSize?: number;
};

/** The sheet spec of one template table: `await templateSheet({ db, table: 'orders' })`. */
export async function templateSheet(
  options: TemplateSheetOptions & { table: TemplateTable },
): Promise<SheetSpec> {
  const { db, table, batchSize } = options;
  switch (table) {
    case 'customers':
      return customersSheet({ db, cipher: options.cipher, revealPii: options.revealPii, batchSize });
    case 'orders':
      return ordersSheet({ db, batchSize });
    case 'classification':
      return classificationSheet({ db, batchSize });
    case 'plans':
      return plansSheet({ db });
  }
}

/** One template table as CSV or XLSX: `exportTable({ db, table: 'customers', format: 'csv', out })`. */
export async function exportTable(
  options: TemplateSheetOptions & { table: TemplateTable; format: ExportFormat; out: string },
): Promise<WriteTableResult> {
  const sheet = await templateSheet(options);
  return writeTable({ format: options.format, out: options.out, sheets: [sheet] });
}

/** All four template tables as the sheets of one XLSX file. */
export async function exportWorkbook(
  options: TemplateSheetOptions & { out: string },
): Promise<WriteTableResult> {
  const sheets: SheetSpec[] = [];
  // Sheets are specs with lazy rows: building all four first reads no customer yet.
  for (const table of TEMPLATE_TABLES) sheets.push(await templateSheet({ ...options, table }));
  return writeTable({ format: 'xlsx', out: options.out, sheets });
}
