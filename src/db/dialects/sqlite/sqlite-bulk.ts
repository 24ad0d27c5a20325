import type SQLite from 'better-sqlite3';
import { type Kysely, sql, type Transaction } from 'kysely';
import { upsertClause } from '../../bulk.ts';
import type { BulkInsert } from '../../database.ts';
import type { Database } from '../../schema.ts';

/**
 * Transactions for bulk writes on the connection of `db` with its foreign keys unchecked
 * (see DbHandle.bulkTransaction). The pragma has no effect inside a transaction: it is
 * set on the connection around it, and set back whatever the work does.
 */
export function sqliteBulkTransaction(
  db: Kysely<Database>,
): <T>(work: (trx: Transaction<Database>) => Promise<T>) => Promise<T> {
  return (work) =>
    db.connection().execute(async (connection) => {
      await sql`pragma foreign_keys = off`.execute(connection);
      try {
        return await connection.transaction().execute(work);
      } finally {
        await sql`pragma foreign_keys = on`.execute(connection);
      }
    });
}

/**
 * Rows per statement: each run of a statement has a fixed cost (for a table with an
 * AUTOINCREMENT id, reading and writing its sequence), so up to 256 rows go in one, as
 * far as SQLite's limit of bound values allows. Four million history rows go in 6.2 s
 * instead of 7.3 s with 64 rows a statement.
 */
const ROWS_PER_STATEMENT = 256;
const MAX_VALUES = 32_000;

/**
 * Bulk INSERTs through statements prepared once per shape on the raw connection.
 * SQLite has one writing connection, so the rows join whatever transaction is open on
 * it: call this only from inside the transaction the rows belong to (or none).
 */
export function sqliteBulkInsert(raw: SQLite.Database): BulkInsert {
  const statements = new Map<string, SQLite.Statement>();
  const statementFor = (
    table: string,
    columns: readonly string[],
    shape: { n: number; upsertOn?: readonly string[] },
  ): SQLite.Statement => {
    const key = `${table}\u0000${columns.join(',')}\u0000${shape.n}\u0000${shape.upsertOn?.join(',') ?? ''}`;
    let statement = statements.get(key);
    if (!statement) {
      const row = `(${columns.map(() => '?').join(',')})`;
      statement = raw.prepare(
        `insert into "${table}" (${columns.map((c) => `"${c}"`).join(',')}) values ${Array.from({ length: shape.n }, () => row).join(',')}${upsertClause(columns, shape.upsertOn)}`,
      );
      statements.set(key, statement);
    }
    return statement;
  };
  return async (_db, { table, columns, rows, upsertOn }) => {
    const per = Math.max(1, Math.min(ROWS_PER_STATEMENT, Math.floor(MAX_VALUES / columns.length)));
    // Full statements, then the rest in one statement of its own size (pages of a run
    // leave the same few sizes, so the cache of statements stays small).
    if (statements.size > 64) statements.clear();
    const full: unknown[] = rows.length >= per ? new Array(per * columns.length) : [];
    for (let i = 0; i < rows.length; i += per) {
      const n = Math.min(per, rows.length - i);
      const parameters = n === per ? full : new Array<unknown>(n * columns.length);
      let k = 0;
      for (let j = i; j < i + n; j++) for (const v of rows[j]) parameters[k++] = v;
      statementFor(table, columns, { n, upsertOn }).run(parameters);
    }
  };
}
