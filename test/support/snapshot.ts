import { sql } from 'kysely';
import type { Db } from '../../src/db/database.ts';

/** Every row of the given tables, ordered, for before/after comparisons. */
export async function tableSnapshot(db: Db, tables: readonly string[]): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of tables) {
    const result = await sql<Record<string, unknown>>`select * from ${sql.table(table)} order by 1`.execute(
      db,
    );
    out[table] = result.rows;
  }
  return out;
}
