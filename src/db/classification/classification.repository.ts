import { sql } from 'kysely';
import { insertInBatches } from '../batch.ts';
import type { BulkIndex } from '../bulk.ts';
import type { Db } from '../database.ts';
import type { DialectCapabilities } from '../dialects/capabilities.ts';
import type { ClassChangesTable, CustomerClassesTable } from '../schema.ts';

export type CurrentClass = { classKey: string; since: string };

/** Every customer's current class under one scheme. */
export async function loadCurrentClasses(db: Db, schemeId: number): Promise<Map<number, CurrentClass>> {
  const rows = await db
    .selectFrom('customer_classes')
    .select(['customer_id', 'class_key', 'since'])
    .where('scheme_id', '=', schemeId)
    .execute();
  return new Map(rows.map((r) => [Number(r.customer_id), { classKey: r.class_key, since: r.since }]));
}

export type RunRecord = {
  id: number;
  schemeId: number;
  schemeVersionId: number;
  previousRunId: number | null;
  asOf: string;
  startedAt: string;
  finishedAt: string | null;
  status: string;
  population: number;
  stats: Record<string, number | null>;
  counts: Record<string, number>;
  transitions: Record<string, Record<string, number>>;
  changed: number;
};

type RunRow = {
  id: number;
  scheme_id: number;
  scheme_version_id: number;
  previous_run_id: number | null;
  as_of: string;
  started_at: string;
  finished_at: string | null;
  status: string;
  population: number;
  stats: string;
  counts: string;
  transitions: string;
  changed: number;
};

function toRun(r: RunRow): RunRecord {
  return {
    id: Number(r.id),
    schemeId: Number(r.scheme_id),
    schemeVersionId: Number(r.scheme_version_id),
    previousRunId: r.previous_run_id === null ? null : Number(r.previous_run_id),
    asOf: r.as_of,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    status: r.status,
    population: Number(r.population),
    stats: JSON.parse(r.stats),
    counts: JSON.parse(r.counts),
    transitions: JSON.parse(r.transitions),
    changed: Number(r.changed),
  };
}

export async function findLatestRun(db: Db, schemeId: number): Promise<RunRecord | undefined> {
  const row = await db
    .selectFrom('classification_runs')
    .selectAll()
    .where('scheme_id', '=', schemeId)
    .where('status', '=', 'succeeded')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? toRun(row) : undefined;
}

export async function findRun(db: Db, runId: number): Promise<RunRecord | undefined> {
  const row = await db
    .selectFrom('classification_runs')
    .selectAll()
    .where('id', '=', runId)
    .executeTakeFirst();
  return row ? toRun(row) : undefined;
}

export type NewRun = Omit<RunRecord, 'id'>;

export async function insertRun(db: Db, run: NewRun): Promise<number> {
  const row = await db
    .insertInto('classification_runs')
    .values({
      scheme_id: run.schemeId,
      scheme_version_id: run.schemeVersionId,
      previous_run_id: run.previousRunId,
      as_of: run.asOf,
      started_at: run.startedAt,
      finished_at: run.finishedAt,
      status: run.status,
      population: run.population,
      stats: JSON.stringify(run.stats),
      counts: JSON.stringify(run.counts),
      transitions: JSON.stringify(run.transitions),
      changed: run.changed,
    })
    .returning(['id'])
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/** Replaces a scheme's current classes and appends the changes (call inside a transaction). */
export async function writeClasses(
  db: Db,
  options: {
    caps: DialectCapabilities;
    schemeId: number;
    classes: readonly CustomerClassesTable[];
    changes: readonly Omit<ClassChangesTable, 'id'>[];
  },
): Promise<void> {
  const { caps, schemeId } = options;
  await db.deleteFrom('customer_classes').where('scheme_id', '=', schemeId).execute();
  await insertInBatches({ db, caps, table: 'customer_classes', rows: options.classes });
  await insertInBatches({ db, caps, table: 'class_changes', rows: options.changes });
}

export type ClassHistoryEntry = { runId: number; from: string | null; to: string; at: string };

export async function loadClassHistory(
  db: Db,
  options: { customerId: number; schemeId: number },
): Promise<ClassHistoryEntry[]> {
  const rows = await db
    .selectFrom('class_changes')
    .select(['run_id', 'from_class', 'to_class', 'at'])
    .where('customer_id', '=', options.customerId)
    .where('scheme_id', '=', options.schemeId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ runId: Number(r.run_id), from: r.from_class, to: r.to_class, at: r.at }));
}

/**
 * Current classes, one page at a time in customer id order (those after
 * `afterCustomerId`), so a whole population never sits in memory as objects. Rows of
 * schemes other than `schemeIds` may come too: the caller skips them.
 */
export async function loadCurrentClassPage(
  db: Db,
  options: { schemeIds: readonly number[]; afterCustomerId: number; limit: number },
): Promise<{ customerId: number; schemeId: number; classKey: string; since: string }[]> {
  if (options.schemeIds.length === 0) return [];
  // No scheme condition in SQL: with one, engines pick the (scheme_id, class_key) index
  // and sort every class of the schemes for each page; the primary key walks in order.
  const rows = await db
    .selectFrom('customer_classes')
    .select(['customer_id', 'scheme_id', 'class_key', 'since'])
    .where('customer_id', '>', options.afterCustomerId)
    .orderBy('customer_id')
    .orderBy('scheme_id')
    .limit(options.limit)
    .execute();
  return rows.map((r) => ({
    customerId: Number(r.customer_id),
    schemeId: Number(r.scheme_id),
    classKey: r.class_key,
    since: r.since,
  }));
}

/**
 * A reader of the current classes of the customers whose ids lie in [low, high], every
 * scheme, handed to `visit` one by one in no particular order. Full runs read every
 * stored class this way, page by page. Where the engine allows, one prepared statement
 * gives a page as a single string: a run reads four million classes at a million
 * customers, and one value per page instead of three per class halves the reading.
 * `db` must be the handle's own connection (reads join the transaction open on it).
 */
export function classRangeReader(
  db: Db,
  caps: DialectCapabilities,
): (range: { low: number; high: number }, visit: ClassVisitor) => Promise<void> {
  if (caps.prepare) {
    // Class keys are [a-z][a-z0-9_]* (scheme.ts): a space separates the fields safely.
    const statement = caps.prepare(db)(
      `select group_concat(customer_id || ' ' || scheme_id || ' ' || class_key, ' ')
       from customer_classes where customer_id >= ? and customer_id <= ?`,
    );
    return async ({ low, high }, visit) => {
      const text = statement.rows([low, high])[0]?.[0];
      if (typeof text !== 'string' || text === '') return;
      const parts = text.split(' ');
      for (let k = 0; k + 2 < parts.length; k += 3)
        visit(Number(parts[k]), Number(parts[k + 1]), parts[k + 2]);
    };
  }
  return async ({ low, high }, visit) => {
    const rows = await db
      .selectFrom('customer_classes')
      .select(['customer_id', 'scheme_id', 'class_key'])
      .where('customer_id', '>=', low)
      .where('customer_id', '<=', high)
      .execute();
    for (const r of rows) visit(Number(r.customer_id), Number(r.scheme_id), r.class_key);
  };
}

/** Receives one stored class: the customer, the scheme and the class key. */
export type ClassVisitor = (customerId: number, schemeId: number, classKey: string) => void;

/** The score columns of customer_metrics that schemes may keep with their classes. */
export const SCORE_COLUMNS = {
  r_score: true,
  f_score: true,
  m_score: true,
  value_score: true,
  potential_score: true,
} as const;

/**
 * A page of one scheme's class rows with the cached metrics' scores beside them, in
 * customer order (those after `afterCustomerId`).
 */
export async function loadClassScoresPage(
  db: Db,
  options: { schemeId: number; afterCustomerId: number; limit: number },
): Promise<
  {
    customerId: number;
    classKey: string;
    runId: number;
    since: string;
    scores: Record<keyof typeof SCORE_COLUMNS, number | null>;
  }[]
> {
  const rows = await db
    .selectFrom('customer_classes as cc')
    .leftJoin('customer_metrics as m', 'm.customer_id', 'cc.customer_id')
    .select([
      'cc.customer_id as customer_id',
      'cc.class_key as class_key',
      'cc.run_id as run_id',
      'cc.since as since',
      'm.r_score as r_score',
      'm.f_score as f_score',
      'm.m_score as m_score',
      'm.value_score as value_score',
      'm.potential_score as potential_score',
    ])
    .where('cc.scheme_id', '=', options.schemeId)
    .where('cc.customer_id', '>', options.afterCustomerId)
    .orderBy('cc.customer_id')
    .limit(options.limit)
    .execute();
  const n = (v: number | string | null) => (v === null ? null : Number(v));
  return rows.map((r) => ({
    customerId: Number(r.customer_id),
    classKey: r.class_key,
    runId: Number(r.run_id),
    since: r.since,
    scores: {
      r_score: n(r.r_score),
      f_score: n(r.f_score),
      m_score: n(r.m_score),
      value_score: n(r.value_score),
      potential_score: n(r.potential_score),
    },
  }));
}

/** How many classes are stored under the schemes, counting no further than `limit`. */
export async function countStoredClasses(
  db: Db,
  options: { schemeIds: readonly number[]; limit: number },
): Promise<number> {
  if (options.schemeIds.length === 0) return 0;
  const row = await db
    .selectFrom((eb) =>
      eb
        .selectFrom('customer_classes')
        .select(sql`1`.as('one'))
        .where('scheme_id', 'in', [...options.schemeIds])
        .limit(options.limit)
        .as('stored'),
    )
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * The (scheme, class) index of customer_classes: a run that writes most classes (the
 * first) drops it and builds it once at the end (four million entries in about 1 s).
 */
export const CLASS_INDEX: BulkIndex = {
  name: 'customer_classes_scheme_class',
  table: 'customer_classes',
  columns: ['scheme_id', 'class_key'],
};

/** Removes the classes erased customers still hold under the given schemes (call inside a run). */
export async function deleteClassesOfErased(db: Db, schemeIds: readonly number[]): Promise<void> {
  if (schemeIds.length === 0) return;
  await db
    .deleteFrom('customer_classes')
    .where('scheme_id', 'in', [...schemeIds])
    .where('customer_id', 'in', (eb) =>
      eb.selectFrom('customers').select('id').where('erased_at', 'is not', null),
    )
    .execute();
}

/** Records the outcome of a run written class by class. */
export async function finishRun(
  db: Db,
  runId: number,
  outcome: Pick<RunRecord, 'finishedAt' | 'counts' | 'transitions' | 'changed'>,
): Promise<void> {
  await db
    .updateTable('classification_runs')
    .set({
      finished_at: outcome.finishedAt,
      counts: JSON.stringify(outcome.counts),
      transitions: JSON.stringify(outcome.transitions),
      changed: outcome.changed,
    })
    .where('id', '=', runId)
    .execute();
}

/** Removes a scheme's current classes (before a run writes them anew; call inside a transaction). */
export async function clearClasses(db: Db, schemeId: number): Promise<void> {
  await db.deleteFrom('customer_classes').where('scheme_id', '=', schemeId).execute();
}

/** Column order of the positional rows bulk inserts take for customer_classes. */
export const CLASS_COLUMNS = ['customer_id', 'scheme_id', 'class_key', 'run_id', 'since', 'scores'] as const;
/** Column order of the positional rows for class_changes. */
export const CHANGE_COLUMNS = ['customer_id', 'scheme_id', 'run_id', 'from_class', 'to_class', 'at'] as const;

/**
 * The history of a run that found no class stored under its schemes (the first): every
 * class it wrote is a change from none, so the entries are copied from the classes in
 * one statement, in (customer, scheme) order, instead of sent row by row.
 */
export async function recordFirstClassChanges(db: Db, schemeIds: readonly number[]): Promise<void> {
  if (schemeIds.length === 0) return;
  await db
    .insertInto('class_changes')
    .columns(CHANGE_COLUMNS)
    .expression((eb) =>
      eb
        .selectFrom('customer_classes')
        .select([
          'customer_id',
          'scheme_id',
          'run_id',
          sql<null>`null`.as('from_class'),
          'class_key',
          'since',
        ])
        .where('scheme_id', 'in', [...schemeIds])
        .orderBy('customer_id')
        .orderBy('scheme_id'),
    )
    .execute();
}

/** One customer's current class under a scheme, replaced or created (one-customer reclassification). */
export async function upsertClass(db: Db, row: CustomerClassesTable): Promise<void> {
  const updated = await db
    .updateTable('customer_classes')
    .set({ class_key: row.class_key, run_id: row.run_id, since: row.since, scores: row.scores })
    .where('customer_id', '=', row.customer_id)
    .where('scheme_id', '=', row.scheme_id)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) await db.insertInto('customer_classes').values(row).execute();
}

export type LatestRun = {
  runId: number;
  schemeId: number;
  schemeKey: string;
  schemeVersionId: number;
  asOf: string;
  stats: Record<string, number | null>;
};

/** The latest successful run of every active scheme, in one query. */
export async function findLatestRunsOfActiveSchemes(db: Db): Promise<LatestRun[]> {
  const rows = await db
    .selectFrom('classification_runs as r')
    .innerJoin('schemes as s', 's.id', 'r.scheme_id')
    .select([
      'r.id as id',
      'r.scheme_id as scheme_id',
      's.key as key',
      'r.scheme_version_id as version_id',
      'r.as_of as as_of',
      'r.stats as stats',
    ])
    .where('s.active', '=', 1)
    .where('r.id', 'in', (eb) =>
      eb
        .selectFrom('classification_runs')
        .select((e) => e.fn.max('id').as('id'))
        .where('status', '=', 'succeeded')
        .groupBy('scheme_id'),
    )
    .orderBy('s.id')
    .execute();
  return rows.map((r) => ({
    runId: Number(r.id),
    schemeId: Number(r.scheme_id),
    schemeKey: r.key,
    schemeVersionId: Number(r.version_id),
    asOf: r.as_of,
    stats: JSON.parse(r.stats),
  }));
}
