import { CompiledQuery, type Insertable, sql } from 'kysely';
import type { Db } from './connect.ts';
import type { DialectCapabilities } from './dialects/capabilities.ts';
import type { Database } from './schema.ts';

/** Rows as positional values, in the order of `columns`. */
export type BulkRows = {
  table: keyof Database & string;
  columns: readonly string[];
  rows: readonly (readonly unknown[])[];
  /**
   * Rows whose `key` columns match an existing row update that row's other columns in
   * place instead of failing (`on conflict (key) do update`, on both engines).
   */
  upsertOn?: readonly string[];
};

/** The `on conflict … do update` clause of an upsert, or nothing. */
export function upsertClause(columns: readonly string[], key: readonly string[] | undefined): string {
  if (!key || key.length === 0) return '';
  const set = columns.filter((c) => !key.includes(c)).map((c) => `"${c}" = excluded."${c}"`);
  return ` on conflict (${key.map((c) => `"${c}"`).join(',')}) do update set ${set.join(',')}`;
}

/**
 * Appends many rows with as little per-row work as the engine allows: statements are
 * built once per shape and reused, values are bound positionally. `db` is the
 * connection or transaction the rows belong to.
 */
export type BulkInsert = (db: Db, rows: BulkRows) => Promise<void>;

const ROWS_PER_STATEMENT = 256;

/**
 * Multi-row INSERTs whose SQL text is compiled once per (table, columns, row count)
 * and then executed with fresh parameters: no query tree is built per row.
 */
export function compiledBulkInsert(maxParameters: number): BulkInsert {
  const texts = new Map<string, string>();
  const textFor = (
    db: Db,
    shape: { table: string; columns: readonly string[]; n: number; upsertOn?: readonly string[] },
  ): string => {
    const { table, columns, n } = shape;
    const key = `${table}\u0000${columns.join(',')}\u0000${n}\u0000${shape.upsertOn?.join(',') ?? ''}`;
    let text = texts.get(key);
    if (text === undefined) {
      const row = sql`(${sql.join(columns.map(() => sql.val(null)))})`;
      text =
        sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))}) values ${sql.join(
          Array.from({ length: n }, () => row),
        )}`.compile(db).sql + upsertClause(columns, shape.upsertOn);
      texts.set(key, text);
    }
    return text;
  };
  return async (db, { table, columns, rows, upsertOn }) => {
    const per = Math.max(1, Math.min(ROWS_PER_STATEMENT, Math.floor(maxParameters / columns.length)));
    for (let i = 0; i < rows.length; i += per) {
      const chunk = rows.slice(i, i + per);
      const parameters: unknown[] = [];
      for (const r of chunk) for (const v of r) parameters.push(v);
      await db.executeQuery(
        CompiledQuery.raw(textFor(db, { table, columns, n: chunk.length, upsertOn }), parameters),
      );
    }
  };
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
