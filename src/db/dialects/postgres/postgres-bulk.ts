import { CompiledQuery, sql } from 'kysely';
import { upsertClause } from '../../bulk.ts';
import type { BulkInsert, Db } from '../../database.ts';

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
