import type { Insertable } from 'kysely';
import type { Db } from './connect.ts';
import type { DialectCapabilities } from './dialects/capabilities.ts';
import type { Database } from './schema.ts';

/**
 * Multi-row INSERTs sized to the engine's parameter limit: one statement per
 * batch instead of one per row.
 */
export async function insertInBatches<T extends keyof Database & string>(options: {
  db: Db;
  caps: DialectCapabilities;
  table: T;
  rows: readonly Insertable<Database[T]>[];
}): Promise<void> {
  const { db, caps, table, rows } = options;
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0] as object).length || 1;
  const perStatement = Math.max(1, Math.min(5000, Math.floor(caps.maxParameters / columns)));
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement) as Insertable<Database[T]>[];
    // Kysely cannot narrow a generic table name to its row type; the rows were typed by the caller.
    await db
      .insertInto(table)
      .values(chunk as never)
      .execute();
  }
}
