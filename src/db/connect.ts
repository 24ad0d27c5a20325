import { type Migration, type MigrationProvider, Migrator } from 'kysely';
import type { DbHandle, Engine } from './database.ts';
import type { DialectCapabilities } from './dialects/capabilities.ts';
import { isPostgresUrl, postgresEngine } from './dialects/postgres/postgres-engine.ts';
import { sqliteEngine } from './dialects/sqlite/sqlite-engine.ts';
import { initialMigration } from './migrations/0001-initial.migration.ts';
import { authMigration } from './migrations/0002-auth.migration.ts';
import { scaleMigration } from './migrations/0003-scale.migration.ts';
import { listIndexesMigration } from './migrations/0004-list-indexes.migration.ts';
import { erasedCustomersMigration } from './migrations/0005-erased-customers.migration.ts';
import { clusteredClassesMigration } from './migrations/0006-clustered-classes.migration.ts';
import { unusedChangeIndexMigration } from './migrations/0007-unused-change-index.migration.ts';
import { keyCheckMigration } from './migrations/0008-key-check.migration.ts';

export { isPostgresUrl };

/** The engines Kelei runs on, asked in turn which opens a target (SQLite takes any path). */
const ENGINES: readonly Engine[] = [postgresEngine, sqliteEngine];

/** Opens `./data/kelei.db`, any SQLite path, or a `postgres://` URL. */
export function openDatabase(target: string): DbHandle {
  const engine = ENGINES.find((e) => e.opens(target)) ?? sqliteEngine;
  return engine.open(target);
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
