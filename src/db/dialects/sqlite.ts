import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import type { Database } from '../schema.ts';
import type { DialectCapabilities } from './capabilities.ts';

export const sqliteCapabilities: DialectCapabilities = {
  name: 'sqlite',
  idType: 'integer',
  bigintType: 'integer',
  dateType: 'text',
  wallTimeType: 'text',
  instantType: 'text',
  floatType: 'real',
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
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('secure_delete = ON');
  raw.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
  raw.pragma('cache_size = -131072');
  raw.pragma('temp_store = MEMORY');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: raw }) });
  return { db, raw };
}
