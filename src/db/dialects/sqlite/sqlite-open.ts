import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from '../../schema.ts';
import { rememberSqliteConnection } from './sqlite-prepared.ts';

/** The page cache of a writing connection, in KB: 128 MB. */
export const CACHE_KB = 131_072;

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
