import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Db } from '../../database.ts';
import type { Database } from '../../schema.ts';
import { openSqlite, type SqliteHandle } from './sqlite-open.ts';
import { rememberSqliteConnection, type StatementPreparer, sqlitePreparer } from './sqlite-prepared.ts';

/**
 * The side connection of a handle for short reads (`DbHandle.reader`), opened on first
 * use: WAL lets it read the last committed state while the writing connection writes.
 * An in-memory database has no second connection: its reads go through `db`.
 */
export function sideReader(target: string, db: Db): { reader(): Db; close(): Promise<void> } {
  let reader: Db | undefined;
  return {
    reader: () => {
      if (target === ':memory:') return db;
      reader ??= openSqlite(target, { busyTimeoutMs: 0 }).db;
      return reader;
    },
    close: async () => {
      await reader?.destroy();
    },
  };
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
 * A reader for a worker thread that reads part of a population from the file of a
 * handle (`DbHandle.readerFile`), with statements prepared on its connection.
 */
export function openWorkerReader(file: string): { db: Db; prepare: StatementPreparer } {
  const { db } = openSqliteReader(file);
  return { db, prepare: sqlitePreparer(db) };
}
