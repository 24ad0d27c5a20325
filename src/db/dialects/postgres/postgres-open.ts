import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from '../../schema.ts';
import { claimablePool } from './postgres-copy.ts';

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
