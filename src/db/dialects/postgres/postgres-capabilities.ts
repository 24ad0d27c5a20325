import { sql } from 'kysely';
import type { DialectCapabilities } from '../capabilities.ts';

export const postgresCapabilities: DialectCapabilities = {
  name: 'postgres',
  idType: 'bigint',
  bigintType: 'bigint',
  dateType: 'date',
  wallTimeType: 'timestamp',
  instantType: 'timestamptz',
  floatType: 'double precision',
  rebuildIndexesAfterBulkWrites: false,
  clusteredTables: false,
  // Kelei builds no index in bulk there (see rebuildIndexesAfterBulkWrites).
  buildIndexes: (_db, build) => build(),
  maxParameters: 65_000,
  currentSchema: async (db) => {
    const r = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
    return r.rows[0]?.schema;
  },
  // Dead tuples are removed by VACUUM; autovacuum reclaims them, a manual VACUUM cannot run in a transaction.
  // VACUUM marks the erased row versions dead and their space free for reuse; the bytes
  // stay in the heap files until overwritten (VACUUM FULL rewrites the tables, under an
  // exclusive lock: a maintenance-window job, see docs/security.md).
  purgeFreedPages: async (db, { tables }) => {
    for (const table of tables) await sql`vacuum ${sql.table(table)}`.execute(db);
    return 'complete';
  },
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
};
