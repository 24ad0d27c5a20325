import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Database } from '../../schema.ts';

/** A statement compiled once and run many times with fresh values. */
export type PreparedStatement = {
  /** runs a writing statement: rows changed and the last rowid it inserted */
  run(
    values: readonly unknown[],
    named?: Record<string, unknown>,
  ): { changes: number; lastInsertRowid: number };
  /** runs a reading statement */
  all(values: readonly unknown[], named?: Record<string, unknown>): Record<string, unknown>[];
  /** runs a reading statement and gives each row as an array, in column order (cheaper than objects) */
  rows(values: readonly unknown[]): unknown[][];
};

/** Prepares statements on the connection a database handle writes through. */
export type StatementPreparer = (sqlText: string) => PreparedStatement;

// SQLite has one writing connection per handle; statements prepared on it join whatever
// transaction Kysely has open there.
const connections = new WeakMap<Kysely<Database>, SQLite.Database>();

/** Remembers the connection under a Kysely instance (done by openSqlite). */
export function rememberSqliteConnection(db: Kysely<Database>, raw: SQLite.Database): void {
  connections.set(db, raw);
}

/** Whether the connection under `db` is inside a transaction (false when it is not one of ours). */
export function sqliteInTransaction(db: Kysely<Database>): boolean {
  return connections.get(db)?.inTransaction ?? false;
}

/**
 * Statements prepared on the connection of `db` (a handle's `db`, not a transaction:
 * run them inside the transaction that is open on it). Kysely prepares every statement
 * anew; a multi-row INSERT prepared once and rerun is several times cheaper.
 */
export function sqlitePreparer(db: Kysely<Database>): StatementPreparer {
  const raw = connections.get(db);
  if (!raw) throw new Error('prepared statements need a database opened by openSqlite');
  return (sqlText) => {
    const statement = raw.prepare(sqlText);
    let arrays: SQLite.Statement | undefined;
    return {
      run: (values, named) => {
        const r = named === undefined ? statement.run(values) : statement.run(values, named);
        return { changes: r.changes, lastInsertRowid: Number(r.lastInsertRowid) };
      },
      all: (values, named) =>
        (named === undefined ? statement.all(values) : statement.all(values, named)) as Record<
          string,
          unknown
        >[],
      rows: (values) => {
        // A second statement in array mode: raw() is only allowed on statements that read.
        arrays ??= raw.prepare(sqlText).raw(true);
        return arrays.all(values) as unknown[][];
      },
    };
  };
}
