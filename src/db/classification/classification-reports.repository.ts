import { sql } from 'kysely';
import type { Db } from '../database.ts';

/**
 * Read models of classification results for the API and the dashboard: runs with
 * their scheme, and class counts. Every query is one set-based statement; an owner
 * narrows customer-level counts to `customers.owner_user_id`.
 */

export type RunReport = {
  id: number;
  schemeId: number;
  schemeKey: string;
  schemeVersion: number;
  previousRunId: number | null;
  asOf: string;
  startedAt: string;
  finishedAt: string | null;
  status: string;
  population: number;
  counts: Record<string, number>;
  transitions: Record<string, Record<string, number>>;
  changed: number;
};

function runsQuery(db: Db) {
  return db
    .selectFrom('classification_runs as r')
    .innerJoin('schemes as s', 's.id', 'r.scheme_id')
    .innerJoin('scheme_versions as v', 'v.id', 'r.scheme_version_id')
    .select([
      'r.id as id',
      'r.scheme_id as scheme_id',
      's.key as scheme_key',
      'v.version as scheme_version',
      'r.previous_run_id as previous_run_id',
      'r.as_of as as_of',
      'r.started_at as started_at',
      'r.finished_at as finished_at',
      'r.status as status',
      'r.population as population',
      'r.counts as counts',
      'r.transitions as transitions',
      'r.changed as changed',
    ]);
}

type RunJoinRow = {
  id: number;
  scheme_id: number;
  scheme_key: string;
  scheme_version: number;
  previous_run_id: number | null;
  as_of: string;
  started_at: string;
  finished_at: string | null;
  status: string;
  population: number;
  counts: string;
  transitions: string;
  changed: number;
};

function toReport(r: RunJoinRow): RunReport {
  return {
    id: Number(r.id),
    schemeId: Number(r.scheme_id),
    schemeKey: r.scheme_key,
    schemeVersion: Number(r.scheme_version),
    previousRunId: r.previous_run_id === null ? null : Number(r.previous_run_id),
    asOf: r.as_of,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    status: r.status,
    population: Number(r.population),
    counts: JSON.parse(r.counts),
    transitions: JSON.parse(r.transitions),
    changed: Number(r.changed),
  };
}

/** Runs, newest first, optionally of one scheme. */
export async function listRuns(
  db: Db,
  options: { schemeId?: number; limit: number; beforeId?: number },
): Promise<RunReport[]> {
  const rows = await runsQuery(db)
    .$if(options.schemeId !== undefined, (q) => q.where('r.scheme_id', '=', options.schemeId ?? 0))
    .$if(options.beforeId !== undefined, (q) => q.where('r.id', '<', options.beforeId ?? 0))
    .orderBy('r.id', 'desc')
    .limit(options.limit)
    .execute();
  return rows.map(toReport);
}

export async function findRunReport(db: Db, id: number): Promise<RunReport | undefined> {
  const row = await runsQuery(db).where('r.id', '=', id).executeTakeFirst();
  return row ? toReport(row) : undefined;
}

/** The newest successful run of every scheme that has one, by scheme id. */
export async function latestRuns(db: Db): Promise<Map<number, RunReport>> {
  const rows = await runsQuery(db)
    .where('r.id', 'in', (eb) =>
      eb
        .selectFrom('classification_runs')
        .select((e) => e.fn.max('id').as('id'))
        .where('status', '=', 'succeeded')
        .groupBy('scheme_id'),
    )
    .execute();
  return new Map(rows.map((r) => [Number(r.scheme_id), toReport(r)]));
}

/** The newest `perScheme` successful runs of every scheme, oldest first within a scheme. */
export async function recentRuns(db: Db, options: { perScheme: number }): Promise<RunReport[]> {
  // A window over run ids: one statement, whatever the number of schemes.
  const rows = await runsQuery(db)
    .where('r.id', 'in', (eb) =>
      eb
        .selectFrom((inner) =>
          inner
            .selectFrom('classification_runs')
            .select((e) => [
              'id',
              e.fn
                .agg<number>('row_number')
                .over((o) => o.partitionBy('scheme_id').orderBy('id', 'desc'))
                .as('rn'),
            ])
            .where('status', '=', 'succeeded')
            .as('ranked'),
        )
        .select('ranked.id')
        .where('ranked.rn', '<=', options.perScheme),
    )
    .orderBy('r.scheme_id')
    .orderBy('r.id')
    .execute();
  return rows.map(toReport);
}

export type ClassCount = { schemeId: number; classKey: string; customers: number };

/** Customers per current class of every scheme (or the given ones), optionally only an owner's. */
export async function countCurrentClasses(
  db: Db,
  options: { schemeIds?: readonly number[]; ownerUserId?: number },
): Promise<ClassCount[]> {
  const { schemeIds, ownerUserId } = options;
  if (schemeIds && schemeIds.length === 0) return [];
  const rows = await db
    .selectFrom('customer_classes as cc')
    .select(['cc.scheme_id', 'cc.class_key', (eb) => eb.fn.countAll<number>().as('n')])
    .$if(schemeIds !== undefined, (q) => q.where('cc.scheme_id', 'in', schemeIds ?? []))
    .$if(ownerUserId !== undefined, (q) =>
      q.where('cc.customer_id', 'in', (eb) =>
        eb
          .selectFrom('customers')
          .select('id')
          .where('owner_user_id', '=', ownerUserId ?? 0),
      ),
    )
    .groupBy(['cc.scheme_id', 'cc.class_key'])
    .execute();
  return rows.map((r) => ({ schemeId: Number(r.scheme_id), classKey: r.class_key, customers: Number(r.n) }));
}

/** A customer's id and owner by code, or undefined; erased customers are not found. */
export async function findCustomerOwner(
  db: Db,
  code: string,
): Promise<{ id: number; ownerUserId: number | null } | undefined> {
  const row = await db
    .selectFrom('customers')
    .select(['id', 'owner_user_id'])
    .where('code', '=', code)
    .where('erased_at', 'is', null)
    .executeTakeFirst();
  return row
    ? { id: Number(row.id), ownerUserId: row.owner_user_id === null ? null : Number(row.owner_user_id) }
    : undefined;
}

/** Customers of a run who came from one class (null: none before the run) and were put in another. */
export type RunMove = { runId: number; from: string | null; to: string; customers: number };

/**
 * The moves of each of `runIds`, rebuilt from the class changes: a customer's class at
 * a run is the target of their latest change up to it, and the class they came from is
 * the same at the run before. Over every customer it equals what the run stored; with
 * `ownerUserId`, over the live customers that user owns now.
 */
export async function loadRunMoves(
  db: Db,
  options: { runIds: readonly number[]; ownerUserId?: number },
): Promise<RunMove[]> {
  const { runIds, ownerUserId } = options;
  if (runIds.length === 0) return [];
  const owned =
    ownerUserId === undefined
      ? sql``
      : sql` and x.customer_id in (select id from customers where owner_user_id = ${ownerUserId} and erased_at is null)`;
  const classAt = (upTo: 'id' | 'previous_run_id') => sql`
    select r.id as run_id, x.customer_id as customer_id, x.to_class as to_class,
      row_number() over (partition by r.id, x.customer_id order by x.run_id desc, x.id desc) as rn
    from classification_runs r
    join class_changes x on x.scheme_id = r.scheme_id and x.run_id <= r.${sql.raw(upTo)}
    where r.id in (${sql.join(runIds)})${owned}`;
  const r = await sql<{ run_id: unknown; from_class: string | null; to_class: string; n: unknown }>`
    select a.run_id as run_id, b.to_class as from_class, a.to_class as to_class, count(*) as n
    from (${classAt('id')}) a
    left join (${classAt('previous_run_id')}) b on b.run_id = a.run_id and b.customer_id = a.customer_id and b.rn = 1
    where a.rn = 1
    group by a.run_id, b.to_class, a.to_class
  `.execute(db);
  return r.rows.map((row) => ({
    runId: Number(row.run_id),
    from: row.from_class,
    to: row.to_class,
    customers: Number(row.n),
  }));
}
