import type { Insertable } from 'kysely';
import type { Db } from './database.ts';
import type { DialectCapabilities } from './dialects/capabilities.ts';
import type { Database } from './schema.ts';

/**
 * Splits rows so one multi-row statement stays within the engine's parameter limit
 * (and 5,000 rows). Every row must name the same columns: SQLite has no DEFAULT
 * inside a multi-row VALUES list.
 */
export function* rowChunks<Row extends object>(
  rows: readonly Row[],
  caps: DialectCapabilities,
): Generator<Row[]> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]).length || 1;
  const size = Math.max(1, Math.min(5000, Math.floor(caps.maxParameters / columns)));
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

/** Multi-row INSERTs sized by {@link rowChunks}: one statement per chunk, not per row. */
export async function insertInBatches<T extends keyof Database & string>(options: {
  db: Db;
  caps: DialectCapabilities;
  table: T;
  rows: readonly Insertable<Database[T]>[];
}): Promise<void> {
  const { db, caps, table, rows } = options;
  for (const chunk of rowChunks(rows, caps)) {
    // Kysely cannot narrow a generic table name to its row type; the rows were typed by the caller.
    await db
      .insertInto(table)
      .values(chunk as never)
      .execute();
  }
}
