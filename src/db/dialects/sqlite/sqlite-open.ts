import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql, type Transaction } from 'kysely';
import { type BulkInsert, upsertClause } from '../../bulk.ts';
import type { Database } from '../../schema.ts';
import type { DialectCapabilities } from '../capabilities.ts';
import { rememberSqliteConnection, sqliteInTransaction, sqlitePreparer } from './sqlite-prepared.ts';

/** The page cache of a writing connection, in KB: 128 MB. */
const CACHE_KB = 131_072;
/** The page cache while indexes are built (see DialectCapabilities.buildIndexes). */
const SORT_CACHE_KB = 8_192;
/**
 * Threads that help the one building an index sort its runs: the other cores are idle
 * by then (ten million order entries sort in 1.6 s instead of 2.2 s on two cores).
 */
const SORT_THREADS = Math.min(3, os.availableParallelism() - 1);

/** Stamps handed out while a transaction is open: each one new, so nothing is kept. */
let transactionStamps = 0;

export const sqliteCapabilities: DialectCapabilities = {
  name: 'sqlite',
  idType: 'integer',
  bigintType: 'integer',
  dateType: 'text',
  wallTimeType: 'text',
  instantType: 'text',
  floatType: 'real',
  rebuildIndexesAfterBulkWrites: true,
  buildIndexes: async (db, build) => {
    await sql.raw(`pragma cache_size = -${SORT_CACHE_KB}`).execute(db);
    await sql.raw(`pragma threads = ${SORT_THREADS}`).execute(db);
    try {
      return await build();
    } finally {
      await sql.raw('pragma threads = 0').execute(db);
      await sql.raw(`pragma cache_size = -${CACHE_KB}`).execute(db);
    }
  },
  maxParameters: 32_000,
  currentSchema: async () => undefined,
  // secure_delete zeroes freed cells as pages are written; the checkpoint moves the
  // WAL's pages into the file and truncates the WAL, which held the old versions.
  purgeFreedPages: async (db) => {
    await sql`pragma wal_checkpoint(TRUNCATE)`.execute(db);
  },
  primaryKeyId: (c) => c.primaryKey().autoIncrement(),
  appendOnlyStatements: (t) => [
    `create trigger ${t}_no_update before update on ${t} begin select raise(abort, '${t} is append-only'); end`,
    `create trigger ${t}_no_delete before delete on ${t} begin select raise(abort, '${t} is append-only'); end`,
  ],
  toFloat: (e) => sql<number | null>`cast(${e} as real)`,
  position: (h, n) => sql<number | null>`instr(${h}, ${n})`,
  toDate: (e) => sql<string | null>`cast(${e} as text)`,
  // data_version moves when another connection (another process) commits; total_changes
  // counts every row this connection wrote (better-sqlite3 runs one connection per
  // handle, so that is every write of this process), rolled back or not.
  // Inside a transaction (an import, a run) the connection sees rows that may yet be
  // rolled back, and a rollback leaves total_changes where it was: no result read then
  // may be kept, so each read gets a stamp of its own.
  changeStamp: async (db) => {
    if (sqliteInTransaction(db)) return `transaction:${++transactionStamps}`;
    const r = await sql<{
      v: number;
      n: number;
    }>`select (select data_version from pragma_data_version) as v, total_changes() as n`.execute(db);
    const row = r.rows[0];
    return `${row?.v}:${row?.n}`;
  },
  prepare: sqlitePreparer,
};

export type SqliteHandle = { db: Kysely<Database>; raw: SQLite.Database };

/**
 * Opens (creating if needed) a SQLite file in WAL mode: `openSqlite('./data/kelei.db')`.
 * `busyTimeoutMs: 0` gives a side connection that fails at once instead of waiting
 * (better-sqlite3 waits synchronously, which would stall the whole process).
 */
export function openSqlite(file: string, options: { busyTimeoutMs?: number } = {}): SqliteHandle {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const raw = new SQLite(file);
  // A new file gets 16 KB pages (an existing one keeps its own; in WAL mode the size is
  // fixed): an import or a full run writes and checkpoints a quarter of the pages, and
  // the indexes are a level shallower. Ten million orders import about 12% faster, a
  // first full run about 9% (docs/scaling.md).
  raw.pragma('page_size = 16384');
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('secure_delete = ON');
  raw.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
  raw.pragma(`cache_size = -${CACHE_KB}`);
  // Temporary data stays in files (the system's page cache, not this process): a sort
  // larger than the cache, such as building an index over millions of class rows, then
  // spills there instead of growing the process by hundreds of MB it keeps afterwards.
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: raw }) });
  rememberSqliteConnection(db, raw);
  return { db, raw };
}

/**
 * A read-only connection to a SQLite file for a worker thread: it reads the last
 * committed state (WAL) and can never write.
 */
export function openSqliteReader(file: string): SqliteHandle {
  const raw = new SQLite(file, { readonly: true, fileMustExist: true });
  raw.pragma('busy_timeout = 5000');
  // Readers go through their range once, in order: a small cache reads as fast, and each
  // reader's cache is memory the whole process holds while they run.
  raw.pragma('cache_size = -8192');
  raw.pragma('temp_store = MEMORY');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: raw }) });
  rememberSqliteConnection(db, raw);
  return { db, raw };
}

/**
 * Transactions for bulk writes on the connection of `db` with its foreign keys unchecked
 * (see DbHandle.bulkTransaction). The pragma has no effect inside a transaction: it is
 * set on the connection around it, and set back whatever the work does.
 */
export function sqliteBulkTransaction(
  db: Kysely<Database>,
): <T>(work: (trx: Transaction<Database>) => Promise<T>) => Promise<T> {
  return (work) =>
    db.connection().execute(async (connection) => {
      await sql`pragma foreign_keys = off`.execute(connection);
      try {
        return await connection.transaction().execute(work);
      } finally {
        await sql`pragma foreign_keys = on`.execute(connection);
      }
    });
}

/**
 * Rows per statement: each run of a statement has a fixed cost (for a table with an
 * AUTOINCREMENT id, reading and writing its sequence), so up to 256 rows go in one, as
 * far as SQLite's limit of bound values allows. Four million history rows go in 6.2 s
 * instead of 7.3 s with 64 rows a statement.
 */
const ROWS_PER_STATEMENT = 256;
const MAX_VALUES = 32_000;

/**
 * Bulk INSERTs through statements prepared once per shape on the raw connection.
 * SQLite has one writing connection, so the rows join whatever transaction is open on
 * it: call this only from inside the transaction the rows belong to (or none).
 */
export function sqliteBulkInsert(raw: SQLite.Database): BulkInsert {
  const statements = new Map<string, SQLite.Statement>();
  const statementFor = (
    table: string,
    columns: readonly string[],
    shape: { n: number; upsertOn?: readonly string[] },
  ): SQLite.Statement => {
    const key = `${table}\u0000${columns.join(',')}\u0000${shape.n}\u0000${shape.upsertOn?.join(',') ?? ''}`;
    let statement = statements.get(key);
    if (!statement) {
      const row = `(${columns.map(() => '?').join(',')})`;
      statement = raw.prepare(
        `insert into "${table}" (${columns.map((c) => `"${c}"`).join(',')}) values ${Array.from({ length: shape.n }, () => row).join(',')}${upsertClause(columns, shape.upsertOn)}`,
      );
      statements.set(key, statement);
    }
    return statement;
  };
  return async (_db, { table, columns, rows, upsertOn }) => {
    const per = Math.max(1, Math.min(ROWS_PER_STATEMENT, Math.floor(MAX_VALUES / columns.length)));
    // Full statements, then the rest in one statement of its own size (pages of a run
    // leave the same few sizes, so the cache of statements stays small).
    if (statements.size > 64) statements.clear();
    const full: unknown[] = rows.length >= per ? new Array(per * columns.length) : [];
    for (let i = 0; i < rows.length; i += per) {
      const n = Math.min(per, rows.length - i);
      const parameters = n === per ? full : new Array<unknown>(n * columns.length);
      let k = 0;
      for (let j = i; j < i + n; j++) for (const v of rows[j]) parameters[k++] = v;
      statementFor(table, columns, { n, upsertOn }).run(parameters);
    }
  };
}
