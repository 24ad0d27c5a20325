import type { Db } from '../../db/database.ts';
import type { PiiCipher } from '../privacy/pii-cipher.ts';
import { scrubText } from '../privacy/pii-scrub.ts';
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
  /**
   * For a caller without pii.view: phone numbers, e-mail addresses and ID numbers typed
   * into any text cell (a name, a note) come out masked, as on the screen.
   */
  scrubFreeText?: boolean;
  batchSize?: number;
};

/** The sheet with every text cell scrubbed of personal data (docs/security.md). */
function scrubbedSheet(sheet: SheetSpec): SheetSpec {
  async function* rows(): AsyncGenerator<Record<string, unknown>> {
    for await (const row of sheet.rows) {
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(row))
        out[key] = typeof value === 'string' ? scrubText(value) : value;
      yield out;
    }
  }
  return { ...sheet, rows: rows() };
}

/** The sheet spec of one template table: `await templateSheet({ db, table: 'orders' })`. */
export async function templateSheet(
  options: TemplateSheetOptions & { table: TemplateTable },
): Promise<SheetSpec> {
  const sheet = await unscrubbedSheet(options);
  return options.scrubFreeText ? scrubbedSheet(sheet) : sheet;
}

async function unscrubbedSheet(options: TemplateSheetOptions & { table: TemplateTable }): Promise<SheetSpec> {
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
