import { insertInBatches } from './batch.ts';
import type { Db } from './connect.ts';
import type { DialectCapabilities } from './dialects/capabilities.ts';
import type { ClassChangesTable, CustomerClassesTable } from './schema.ts';

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
