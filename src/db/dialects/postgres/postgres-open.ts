import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database } from '../../schema.ts';
import type { DialectCapabilities } from '../capabilities.ts';
import { claimablePool, openCopy } from './postgres-copy.ts';

export const postgresCapabilities: DialectCapabilities = {
  name: 'postgres',
  idType: 'bigint',
  bigintType: 'bigint',
  dateType: 'date',
  wallTimeType: 'timestamp',
  instantType: 'timestamptz',
  floatType: 'double precision',
  rebuildIndexesAfterBulkWrites: false,
  // Kelei builds no index in bulk there (see rebuildIndexesAfterBulkWrites).
  buildIndexes: (_db, build) => build(),
  maxParameters: 65_000,
  currentSchema: async (db) => {
    const r = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
    return r.rows[0]?.schema;
  },
  // Dead tuples are removed by VACUUM; autovacuum reclaims them, a manual VACUUM cannot run in a transaction.
  purgeFreedPages: async () => {},
  primaryKeyId: (c) => c.primaryKey().generatedByDefaultAsIdentity(),
  appendOnlyStatements: (t) => [
    `create or replace function ${t}_append_only() returns trigger language plpgsql as $$ begin raise exception '${t} is append-only'; end $$`,
    `create trigger ${t}_no_change before update or delete on ${t} for each row execute function ${t}_append_only()`,
  ],
  toFloat: (e) => sql<number | null>`cast(${e} as double precision)`,
  position: (h, n) => sql<number | null>`strpos(${h}, ${n})`,
  toDate: (e) => sql<string | null>`cast(${e} as date)`,
  // Two equal snapshots see the same committed transactions: a commit anywhere in the
  // cluster either leaves the in-progress list or moves its upper bound.
  changeStamp: async (db) => {
    const r = await sql<{ s: string }>`select cast(pg_current_snapshot() as text) as s`.execute(db);
    return r.rows[0]?.s ?? '';
  },
  openCopy,
};

// Ids, counts and money sums are bigint/numeric on PostgreSQL; they stay far below 2^53,
// so they are read as JavaScript numbers like SQLite returns them.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.FLOAT8, (v) => Number(v));
// Business dates stay 'YYYY-MM-DD' strings, as on SQLite.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);
// Wall times keep the 'YYYY-MM-DD HH:MM:SS' text; instants come back as ISO-8601 UTC.
pg.types.setTypeParser(pg.types.builtins.TIMESTAMP, (v) => v);
pg.types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, (v) => new Date(v).toISOString());

export type PostgresHandle = { db: Kysely<Database>; pool: pg.Pool };

export function openPostgres(url: string): PostgresHandle {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // A dropped idle connection must not crash the process.
  pool.on('error', () => {});
  // Claimable clients let a transaction find its own connection for COPY (openCopy).
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: claimablePool(pool) }) });
  return { db, pool };
}

export { sql };
