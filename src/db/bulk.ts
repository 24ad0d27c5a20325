import { CompiledQuery, type Insertable, sql } from 'kysely';
import type { Db } from './connect.ts';
import type { Database } from './schema.ts';

/** Rows as positional values, in the order of `columns`. */
export type BulkRows = {
  table: keyof Database & string;
  columns: readonly string[];
  rows: readonly (readonly unknown[])[];
};

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
  const textFor = (db: Db, table: string, columns: readonly string[], n: number): string => {
    const key = `${table}\u0000${columns.join(',')}\u0000${n}`;
    let text = texts.get(key);
    if (text === undefined) {
      const row = sql`(${sql.join(columns.map(() => sql.val(null)))})`;
      text =
        sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))}) values ${sql.join(
          Array.from({ length: n }, () => row),
        )}`.compile(db).sql;
      texts.set(key, text);
    }
    return text;
  };
  return async (db, { table, columns, rows }) => {
    const per = Math.max(1, Math.min(ROWS_PER_STATEMENT, Math.floor(maxParameters / columns.length)));
    for (let i = 0; i < rows.length; i += per) {
      const chunk = rows.slice(i, i + per);
      const parameters: unknown[] = [];
      for (const r of chunk) for (const v of r) parameters.push(v);
      await db.executeQuery(CompiledQuery.raw(textFor(db, table, columns, chunk.length), parameters));
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
