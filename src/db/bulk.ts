import type { Insertable } from 'kysely';
import type { BulkInsert, Db } from './database.ts';
import type { DialectCapabilities } from './dialects/capabilities.ts';
import type { Database } from './schema.ts';

/** The `on conflict … do update` clause of an upsert, or nothing. */
export function upsertClause(columns: readonly string[], key: readonly string[] | undefined): string {
  if (!key || key.length === 0) return '';
  const set = columns.filter((c) => !key.includes(c)).map((c) => `"${c}" = excluded."${c}"`);
  return ` on conflict (${key.map((c) => `"${c}"`).join(',')}) do update set ${set.join(',')}`;
}

/**
 * Rows given as objects (every row naming the same columns), appended through `bulk`:
 * `await insertObjects({ bulk: handle.bulkInsert, db: trx, table: 'orders', rows })`.
 */
export async function insertObjects<T extends keyof Database & string>(options: {
  bulk: BulkInsert;
  db: Db;
  table: T;
  rows: readonly Insertable<Database[T]>[];
}): Promise<void> {
  const { rows } = options;
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]);
  const values = rows.map((r) => {
    const record = r as Record<string, unknown>;
    return columns.map((c) => record[c] ?? null);
  });
  await options.bulk(options.db, { table: options.table, columns, rows: values });
}

/**
 * A secondary index that a transaction writing most of its table drops first and builds
 * again at its end, where the engine gains by it (`caps.rebuildIndexesAfterBulkWrites`):
 * sorting every entry once is faster than inserting each into the middle of the index.
 */
export type BulkIndex = { name: string; table: keyof Database & string; columns: readonly string[] };

/** Drops `index` inside the transaction about to fill its table. */
export async function suspendIndex(db: Db, index: BulkIndex): Promise<void> {
  await db.schema.dropIndex(index.name).execute();
}

/** Builds `index` again, as its migration did, with the engine's memory set for sorting. */
export async function restoreIndex(db: Db, caps: DialectCapabilities, index: BulkIndex): Promise<void> {
  await caps.buildIndexes(db, () =>
    db.schema
      .createIndex(index.name)
      .on(index.table)
      .columns([...index.columns])
      .execute(),
  );
}
