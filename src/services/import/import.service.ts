import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { KeleiError } from '../../core/errors.ts';
import type { Db, DbHandle } from '../../db/database.ts';
import { finishImportJob, startImportJob } from '../../db/imports/import-jobs.repository.ts';
import type { PiiCipher } from '../privacy/pii-cipher.ts';
import { createActivitySink } from './activities.sink.ts';
import { type ResolvedMapping, resolveMapping } from './cells.ts';
import { createCustomerSink } from './customers.sink.ts';
import type { RowSink, SinkContext } from './import.sink.ts';
import type { ImportCounts, ImportEntity, ImportProgress, ImportReport, RowError } from './import.types.ts';
import { orderColumns } from './order-batches.ts';
import { type OrderParsing, startOrderParsing } from './order-source.ts';
import { writeOrders } from './orders.sink.ts';
import { openTable, type Table } from './readers/index.ts';

const FIRST_ERRORS = 100;

/** Orders handed from parsing to writing at a time. */
const ORDERS_PER_BATCH = 8192;

class DryRunRollback extends Error {}

export type ImportOptions = {
  entity: ImportEntity;
  file: string;
  /** target field → header text, overriding the automatic mapping */
  mapping?: Record<string, string>;
  dryRun?: boolean;
  skipInvalid?: boolean;
  /** orders: the source system, so external ids are unique per source */
  source?: string;
  cipher: PiiCipher;
  timeZone: string;
  now: () => Date;
  /** where to write every row error as CSV (default: beside the database) */
  errorReportDir: string;
  onProgress?: (p: ImportProgress) => void;
  /**
   * orders: parse the file in a worker thread while this one writes; default: for
   * files of 8 MiB or more on a machine with two cores or more
   */
  parseInWorker?: boolean;
};

function emptyCounts(): ImportCounts {
  return { rows: 0, records: 0, new: 0, updated: 0, unchanged: 0, invalid: 0, duplicate: 0, newCustomers: 0 };
}

/**
 * Imports one file as one job. Everything happens in a single transaction: a dry run
 * rolls it back, a file with invalid rows rolls back unless `skipInvalid`, and a
 * process killed midway leaves the database as it was. Re-importing a file changes
 * nothing (rows are matched by code or external id and compared).
 */
export async function runImport(handle: DbHandle, options: ImportOptions): Promise<ImportReport> {
  if (!fs.existsSync(options.file)) {
    throw new KeleiError('FileNotFound', {
      en: `no such file: ${options.file}`,
      zh: `文件不存在：${options.file}`,
    });
  }
  const table = await openTable(options.file);
  try {
    return await importTable(handle, options, table);
  } finally {
    await table.close();
  }
}

async function importTable(handle: DbHandle, options: ImportOptions, table: Table): Promise<ImportReport> {
  const mapping = resolveMapping(options.entity, table.headers, options.mapping);
  // Orders are parsed from now on (in a worker for a large file) while the rest gets ready.
  const orders =
    options.entity === 'orders'
      ? await startOrderParsing({
          file: options.file,
          fileSize: fs.statSync(options.file).size,
          table,
          setup: {
            columns: orderColumns(mapping.index),
            headers: table.headers,
            timeZone: options.timeZone,
            capacity: ORDERS_PER_BATCH,
          },
          inWorker: options.parseInWorker,
        })
      : null;
  try {
    return await importRows(handle, { options, table, mapping, orders });
  } finally {
    await orders?.close();
  }
}

async function importRows(
  handle: DbHandle,
  input: { options: ImportOptions; table: Table; mapping: ResolvedMapping; orders: OrderParsing | null },
): Promise<ImportReport> {
  const { options, table, mapping, orders } = input;
  const startedAt = options.now().toISOString();
  const fileHash = await hashFile(options.file);
  const counts = emptyCounts();
  const errors: RowError[] = [];
  const duplicates: ImportReport['duplicates'] = [];
  const errorFile = path.join(
    options.errorReportDir,
    `${options.entity}-${startedAt.replace(/[:.]/g, '-')}-errors.csv`,
  );
  let errorStream: fs.WriteStream | null = null;
  const recordError = (e: RowError) => {
    counts.invalid++;
    if (errors.length < FIRST_ERRORS) errors.push(e);
    if (!errorStream) {
      fs.mkdirSync(options.errorReportDir, { recursive: true, mode: 0o700 });
      // The report quotes rejected values, which may be personal data: owner only.
      errorStream = fs.createWriteStream(errorFile, { encoding: 'utf8', mode: 0o600 });
      errorStream.write('\uFEFFrow,column,value,reason,原因\n');
    }
    errorStream.write(
      `${[e.row, e.column ?? '', e.value ?? '', e.reason.en, e.reason.zh].map(csvCell).join(',')}\n`,
    );
  };

  const report: ImportReport = {
    jobId: null,
    entity: options.entity,
    file: options.file,
    format: table.format,
    encoding: table.encoding ?? null,
    delimiter:
      table.delimiter === undefined ? null : table.delimiter === 'whitespace' ? 'spaces' : table.delimiter,
    mapping: mapping.byField,
    unmappedHeaders: mapping.unmapped,
    dryRun: options.dryRun === true,
    committed: false,
    counts,
    errors,
    duplicates,
    errorReportFile: null,
  };

  const jobValues = {
    entity: options.entity,
    file_name: path.basename(options.file),
    file_size: fs.statSync(options.file).size,
    file_hash: fileHash,
    mapping: JSON.stringify(mapping.byField),
    options: JSON.stringify({
      dryRun: !!options.dryRun,
      skipInvalid: !!options.skipInvalid,
      source: options.source,
    }),
    started_at: startedAt,
  };

  try {
    const work = async (trx: Db) => {
      const jobId = await startImportJob(trx, jobValues);
      const ctx: SinkContext = {
        handle,
        trx,
        jobId,
        source: options.source ?? 'import',
        cipher: options.cipher,
        timeZone: options.timeZone,
        now: startedAt,
        counts,
        error: recordError,
        duplicate: (d) => {
          counts.duplicate++;
          if (duplicates.length < FIRST_ERRORS) duplicates.push(d);
        },
      };
      if (options.entity === 'orders') {
        if (!orders) throw new Error('orders import without parsing');
        await writeOrders(ctx, { batches: orders.batches, onRows: (rows) => options.onProgress?.({ rows }) });
      } else {
        const sink = sinkFor(options.entity, ctx);
        for await (const { row, cells } of table.rows) {
          counts.rows++;
          await sink.add(row, mapping.reader(cells));
          if (counts.rows % 1000 === 0) {
            options.onProgress?.({ rows: counts.rows });
            // SQLite calls are synchronous: let the server answer other requests (progress polls) now and then.
            await new Promise((resolve) => setImmediate(resolve));
          }
        }
        await sink.finish();
      }
      options.onProgress?.({ rows: counts.rows });
      if (counts.rows === 0) {
        throw new KeleiError('EmptyFile', {
          en: `${options.file} has a header but no data rows`,
          zh: `${options.file} 只有表头，没有数据行`,
        });
      }
      if (options.dryRun || (counts.invalid > 0 && !options.skipInvalid)) throw new DryRunRollback();
      report.jobId = jobId;
      report.committed = true;
      await finishImportJob(trx, jobId, {
        status: 'committed',
        counts,
        errors,
        finishedAt: options.now().toISOString(),
      });
    };
    // An orders import resolves each customer id itself: looked up by code or created here.
    if (options.entity === 'orders') await handle.bulkTransaction(work);
    else await handle.db.transaction().execute(work);
  } catch (e) {
    if (!(e instanceof DryRunRollback)) {
      await closeStream(errorStream);
      throw e;
    }
  }
  await closeStream(errorStream);
  if (errorStream) report.errorReportFile = errorFile;

  if (!report.committed) {
    // The rolled-back transaction took its job row with it; record the outcome now.
    report.jobId = await handle.db.transaction().execute(async (trx) => {
      const id = await startImportJob(trx, jobValues);
      await finishImportJob(trx, id, {
        status: options.dryRun ? 'dry_run' : 'failed',
        counts,
        errors,
        finishedAt: options.now().toISOString(),
      });
      return id;
    });
  }
  return report;
}

function sinkFor(entity: Exclude<ImportEntity, 'orders'>, ctx: SinkContext): RowSink {
  switch (entity) {
    case 'customers':
      return createCustomerSink(ctx);
    case 'interactions':
    case 'feedback':
      return createActivitySink(ctx, entity);
  }
}

async function hashFile(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function closeStream(stream: fs.WriteStream | null): Promise<void> {
  return new Promise((resolve) => (stream ? stream.end(() => resolve()) : resolve()));
}

function csvCell(v: string | number): string {
  const s = String(v);
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
