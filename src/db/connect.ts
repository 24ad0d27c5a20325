import { type Kysely, type Migration, type MigrationProvider, Migrator, type Transaction } from 'kysely';
import { type BulkInsert, compiledBulkInsert } from './bulk.ts';
import type { DialectCapabilities } from './dialects/capabilities.ts';
import { openPostgres, postgresCapabilities } from './dialects/postgres.ts';
import {
  openSqlite,
  sqliteBulkInsert,
  sqliteBulkTransaction,
  sqliteCapabilities,
} from './dialects/sqlite.ts';
import { initialMigration } from './migrations/0001-initial.migration.ts';
import { authMigration } from './migrations/0002-auth.migration.ts';
import { scaleMigration } from './migrations/0003-scale.migration.ts';
import { listIndexesMigration } from './migrations/0004-list-indexes.migration.ts';
import { erasedCustomersMigration } from './migrations/0005-erased-customers.migration.ts';
import { clusteredClassesMigration } from './migrations/0006-clustered-classes.migration.ts';
import { unusedChangeIndexMigration } from './migrations/0007-unused-change-index.migration.ts';
import { keyCheckMigration } from './migrations/0008-key-check.migration.ts';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;

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
   * The SQLite file, for worker threads that read it on their own connections (absent
   * for an in-memory database and on PostgreSQL, which parallelises inside the server).
   */
  readerFile?: string;
  /** what was opened, with any password removed: safe to print */
  label: string;
  close(): Promise<void>;
};

export function isPostgresUrl(target: string): boolean {
  return /^postgres(ql)?:\/\//i.test(target);
}

/** Opens `./data/kelei.db`, any SQLite path, or a `postgres://` URL. */
export function openDatabase(target: string): DbHandle {
  if (isPostgresUrl(target)) {
    const { db } = openPostgres(target);
    return {
      db,
      caps: postgresCapabilities,
      reader: () => db,
      bulkInsert: compiledBulkInsert(postgresCapabilities.maxParameters),
      bulkTransaction: (work) => db.transaction().execute(work),
      label: redactUrl(target),
      close: () => db.destroy(),
    };
  }
  const { db, raw } = openSqlite(target);
  let reader: Db | undefined;
  return {
    db,
    caps: sqliteCapabilities,
    // WAL lets this connection read the last committed state while `db` writes.
    reader: () => {
      if (target === ':memory:') return db;
      reader ??= openSqlite(target, { busyTimeoutMs: 0 }).db;
      return reader;
    },
    bulkInsert: sqliteBulkInsert(raw),
    bulkTransaction: sqliteBulkTransaction(db),
    ...(target === ':memory:' ? {} : { readerFile: target }),
    label: target,
    close: async () => {
      await reader?.destroy();
      await db.destroy();
    },
  };
}

function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}

function migrationsFor(caps: DialectCapabilities): Record<string, Migration> {
  return {
    '0001-initial': initialMigration(caps),
    '0002-auth': authMigration(caps),
    '0003-scale': scaleMigration(caps),
    '0004-list-indexes': listIndexesMigration(caps),
    '0005-erased-customers': erasedCustomersMigration,
    '0006-clustered-classes': clusteredClassesMigration(caps),
    '0007-unused-change-index': unusedChangeIndexMigration,
    '0008-key-check': keyCheckMigration(caps),
  };
}

/** Kelei's migrator for a database: its migrations, tables and schema. */
export async function keleiMigrator(handle: DbHandle): Promise<Migrator> {
  const provider: MigrationProvider = { getMigrations: async () => migrationsFor(handle.caps) };
  // Name the schema: Kysely otherwise finds a migration table of another schema on the same server.
  const schema = await handle.caps.currentSchema(handle.db);
  return new Migrator({
    db: handle.db,
    provider,
    migrationTableName: 'kelei_migrations',
    migrationLockTableName: 'kelei_migrations_lock',
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
}

/** Brings the schema to the latest version; returns the names of the migrations applied. */
export async function migrateToLatest(handle: DbHandle): Promise<string[]> {
  const { error, results } = await (await keleiMigrator(handle)).migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
