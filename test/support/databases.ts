import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { migrateToLatest, openDatabase } from '../../src/db/connect.ts';
import type { DbHandle } from '../../src/db/database.ts';

export type DialectName = 'sqlite' | 'postgres';

/** Base URL of the PostgreSQL used by tests; `scripts/test.mjs` sets KELEI_TEST_PG=off when it is absent. */
export const PG_URL = process.env.KELEI_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const IN_CI = process.env.CI === 'true' || process.env.CI === '1';
/** Under CI the PostgreSQL half of the suite always runs: KELEI_TEST_PG=off is ignored there. */
export const PG_ENABLED = IN_CI || process.env.KELEI_TEST_PG !== 'off';

/** The engines every database test runs on: `for (const dialect of DIALECTS)`. */
export const DIALECTS: DialectName[] = PG_ENABLED ? ['sqlite', 'postgres'] : ['sqlite'];

export type TestDb = DbHandle & { target: string; drop(): Promise<void> };

/**
 * A fresh, migrated database: a temporary SQLite file, or a new PostgreSQL schema
 * reached through `search_path`, so test files never see each other's rows.
 */
export async function openTestDb(dialect: DialectName): Promise<TestDb> {
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kelei-test-'));
    const target = path.join(dir, 'kelei.db');
    const handle = openDatabase(target);
    await migrateToLatest(handle);
    return {
      ...handle,
      target,
      drop: async () => {
        await handle.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `t_${RUN_PREFIX}${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const target = withSearchPath(PG_URL, schema);
  const handle = openDatabase(target);
  await migrateToLatest(handle);
  return {
    ...handle,
    target,
    drop: async () => {
      await handle.close();
      // Within a test run, schemas are dropped together at its end (test/support/global-setup.ts):
      // Kysely's migrator reads the whole catalogue, and a schema dropped meanwhile fails it.
      if (RUN_PREFIX) return;
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`drop schema ${schema} cascade`);
      await c.end();
    },
  };
}

/** Set by the global setup of a vitest run: every schema of the run starts with t_<run>_. */
const RUN_PREFIX = process.env.KELEI_TEST_RUN ? `${process.env.KELEI_TEST_RUN}_` : '';

/** Drops every schema made by the test run `run` (its global teardown). */
export async function dropRunSchemas(run: string): Promise<number> {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    const { rows } = await c.query<{ nspname: string }>(
      'select nspname from pg_namespace where nspname like $1',
      [`t\\_${run}\\_%`],
    );
    for (const { nspname } of rows) await c.query(`drop schema "${nspname}" cascade`);
    return rows.length;
  } finally {
    await c.end();
  }
}

/** A PostgreSQL URL whose connections use `schema` first. */
export function withSearchPath(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

/**
 * The indexes of `table` made by CREATE INDEX (not those behind a primary key or a
 * unique constraint), by name: `await createdIndexes(t, 'orders')`.
 */
export async function createdIndexes(t: TestDb, table: string): Promise<string[]> {
  const r =
    t.caps.name === 'sqlite'
      ? await sql<{ name: string }>`select name from sqlite_master
          where type = 'index' and tbl_name = ${table} and sql is not null`.execute(t.db)
      : await sql<{ name: string }>`select indexname as name from pg_indexes i
          where tablename = ${table} and schemaname = current_schema()
            and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`.execute(t.db);
  return r.rows.map((x) => x.name).sort();
}
