import type { ColumnDefinitionBuilder, Expression, Kysely, RawBuilder } from 'kysely';
import type { Database } from '../schema.ts';
import type { StatementPreparer } from './sqlite/sqlite-prepared.ts';

/**
 * What differs between the engines, as capabilities. Repositories, migrations, services
 * and the rule compiler ask for a capability; they never test which engine they run on.
 * Each engine's values live in its folder (sqlite/sqlite-capabilities.ts,
 * postgres/postgres-capabilities.ts).
 */
export type DialectCapabilities = {
  /** engine name, for messages and test names only */
  name: 'sqlite' | 'postgres';
  /** column type of an auto-increment integer primary key */
  idType: 'integer' | 'bigint';
  /** the schema unqualified table names resolve to (undefined where schemas do not exist) */
  currentSchema(db: Kysely<Database>): Promise<string | undefined>;
  /**
   * Overwrites the bytes of deleted or replaced rows of `tables` that the engine still
   * keeps on disk (after an erase, so erased personal data does not linger in free pages
   * or logs): 'complete' when done, 'pending' when another connection holds it up and a
   * later call must finish it (docs/security.md says what each engine guarantees).
   */
  purgeFreedPages(
    db: Kysely<Database>,
    options: { tables: readonly string[] },
  ): Promise<'complete' | 'pending'>;
  /** modifier that makes an id column an auto-numbered primary key */
  primaryKeyId(column: ColumnDefinitionBuilder): ColumnDefinitionBuilder;
  /** DDL that makes a table refuse UPDATE and DELETE */
  appendOnlyStatements(table: string): string[];
  /** column type for integers that may exceed 2^31 (money sums, counts) */
  bigintType: 'integer' | 'bigint';
  /** column type of a business date ('YYYY-MM-DD') */
  dateType: 'text' | 'date';
  /** column type of a wall-clock time without zone */
  wallTimeType: 'text' | 'timestamp';
  /** column type of a UTC instant */
  instantType: 'text' | 'timestamptz';
  /** column type for floating-point numbers */
  floatType: 'real' | 'double precision';
  /** largest number of bound parameters one statement may carry */
  maxParameters: number;
  /** `expr` as an IEEE double, so division and comparison match JavaScript */
  toFloat(expr: Expression<unknown>): RawBuilder<number | null>;
  /** 1-based position of `needle` in `haystack`, 0 when absent, null when either is null */
  position(haystack: Expression<unknown>, needle: Expression<unknown>): RawBuilder<number | null>;
  /** a 'YYYY-MM-DD' text as the engine's business date, comparable with date columns */
  toDate(expr: Expression<unknown>): RawBuilder<string | null>;
  /**
   * A token that differs whenever rows may have changed since it was read, written by
   * this process or any other: results computed after reading it stay valid while it
   * reads the same. Any write may change it (even to another table or database); no
   * committed insert, update or delete leaves it unchanged.
   */
  changeStamp(db: Kysely<Database>): Promise<string>;
  /**
   * Statements prepared once on the connection a handle writes through and run many
   * times, inside whatever transaction is open there (SQLite: its driver otherwise
   * prepares every statement anew). Pass the handle's `db`, not a transaction.
   */
  prepare?(db: Kysely<Database>): StatementPreparer;
  /**
   * Whether a transaction that writes most of a table's rows should drop the table's
   * secondary indexes and build them again at the end. True on SQLite: inserting into
   * the middle of a B-tree splits pages far more slowly than sorting once, and readers
   * keep seeing the committed index meanwhile. False on PostgreSQL, where dropping an
   * index locks the table against readers until the transaction ends.
   */
  rebuildIndexesAfterBulkWrites: boolean;
  /**
   * Whether a table can be stored as the B-tree of its primary key, with no row id and
   * no separate table (SQLite's WITHOUT ROWID). PostgreSQL keeps every table as a heap.
   */
  clusteredTables: boolean;
  /**
   * Runs `build`, statements that create indexes over many rows, with the engine's memory
   * set for sorting them. SQLite sorts inside its page cache: sorted runs as large as the
   * 128 MB cache miss the processor's caches at every step, where runs of 8 MB, merged,
   * do not (four million class rows index in 1.5 s instead of 3.1 s).
   */
  buildIndexes<T>(db: Kysely<Database>, build: () => Promise<T>): Promise<T>;
};
