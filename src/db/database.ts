import type { Kysely, Transaction } from 'kysely';
import type { OrderBatch } from '../core/import/order-batch.ts';
import type { DialectCapabilities } from './dialects/capabilities.ts';
import type { Database } from './schema.ts';

/**
 * The types every part of src/db shares: a connection, and the handle through which an
 * engine (src/db/dialects/sqlite/, src/db/dialects/postgres/) is used. This file imports
 * no engine, so engines, bulk writers and repositories can all depend on it.
 */
export type Db = Kysely<Database>;

/** Rows as positional values, in the order of `columns`. */
export type BulkRows = {
  table: keyof Database & string;
  columns: readonly string[];
  rows: readonly (readonly unknown[])[];
  /**
   * Rows whose `key` columns match an existing row update that row's other columns in
   * place instead of failing (`on conflict (key) do update`, on both engines).
   */
  upsertOn?: readonly string[];
};

/**
 * Appends many rows with as little per-row work as the engine allows: statements are
 * built once per shape and reused, values are bound positionally. `db` is the
 * connection or transaction the rows belong to.
 */
export type BulkInsert = (db: Db, rows: BulkRows) => Promise<void>;

/** What every order of one import shares. */
export type OrderImportTarget = {
  /** the source system: external ids are unique per source */
  source: string;
  jobId: number;
  /** the import's start, as an ISO instant */
  now: string;
};

/** What an orders import did, counted as it goes (the writer adds to these). */
export type OrderCounts = {
  /** orders the file holds, its lines summed */
  records: number;
  new: number;
  updated: number;
  unchanged: number;
  /** customers created for codes no customer had */
  newCustomers: number;
};

/**
 * Where the orders of an import go, batch after batch, on the engine's fastest path;
 * `finish` settles what is left. Unknown customer codes create customers; an order
 * already stored (same source and external id) is counted unchanged or overwritten when
 * it differs, its lines summed first wherever they sit in the file.
 */
export type OrderWriter = {
  write(batch: OrderBatch): Promise<void>;
  finish(): Promise<void>;
  /** after a failure: leaves the transaction able to roll back */
  abort(): Promise<void>;
};

/** An open database with the capabilities of its engine. */
export type DbHandle = {
  db: Db;
  caps: DialectCapabilities;
  /**
   * A connection for short reads (sign-in checks) that a long write transaction on
   * `db` does not hold up: a second connection on SQLite, the same pool on PostgreSQL.
   */
  reader(): Db;
  /**
   * Appends many rows fast (statements reused, values bound positionally). Pass the
   * transaction the rows belong to: `await handle.bulkInsert(trx, { table, columns, rows })`.
   */
  bulkInsert: BulkInsert;
  /**
   * A transaction for bulk writes whose references the writer has resolved itself: every
   * customer, scheme or run id it writes was read from its table or created in this
   * transaction, and Kelei never deletes such rows (an erased customer keeps its row).
   * On SQLite the foreign keys are then not checked row by row, which saves about 1.5 s
   * per ten million rows written; on PostgreSQL it is a plain transaction.
   * `await handle.bulkTransaction(async (trx) => { … })`
   */
  bulkTransaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
  /**
   * The orders writer of an import running in transaction `trx`; it adds what it does
   * to `counts`: `const w = await handle.openOrderWriter(trx, { target, counts })`.
   */
  openOrderWriter(trx: Db, options: { target: OrderImportTarget; counts: OrderCounts }): Promise<OrderWriter>;
  /**
   * The SQLite file, for worker threads that read it on their own connections (absent
   * for an in-memory database and on PostgreSQL, which parallelises inside the server).
   */
  readerFile?: string;
  /** what was opened, with any password removed: safe to print */
  label: string;
  close(): Promise<void>;
};

/** A database engine: which targets it opens, and how. */
export type Engine = {
  caps: DialectCapabilities;
  /** whether `target` (a file path or URL) names a database of this engine */
  opens(target: string): boolean;
  open(target: string): DbHandle;
};
