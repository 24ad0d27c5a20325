import { KeleiError } from '../../core/errors.ts';
import { schemeNotFound } from '../../core/schemes/scheme.errors.ts';
import {
  findRunReport,
  listRuns,
  loadRunMoves,
  type RunReport,
} from '../../db/classification/classification-reports.repository.ts';
import type { Db, DbHandle } from '../../db/database.ts';
import { findSchemeByKey } from '../../db/schemes/schemes.repository.ts';
import { populationScope, type Viewer } from '../auth/policy.ts';
import { NO_PREVIOUS_CLASS } from './classification.service.ts';

export type { RunReport };

/**
 * Runs, newest first, of every scheme or of the one named (SchemeNotFound when unknown),
 * as `viewer` may see them; `before` pages by id.
 */
export async function listRunReports(
  handle: DbHandle,
  options: { viewer: Viewer; schemeKey?: string; limit: number; before?: number },
): Promise<RunReport[]> {
  let schemeId: number | undefined;
  if (options.schemeKey !== undefined) {
    const scheme = await findSchemeByKey(handle.db, options.schemeKey);
    if (!scheme) throw schemeNotFound(options.schemeKey);
    schemeId = scheme.id;
  }
  const stored = await listRuns(handle.db, { schemeId, limit: options.limit, beforeId: options.before });
  return runReportsFor(handle.db, { viewer: options.viewer, runs: stored });
}

/** One run with its counts and transitions as `viewer` may see them, or NotFound. */
export async function getRunReport(
  handle: DbHandle,
  options: { viewer: Viewer; id: number },
): Promise<RunReport> {
  const { id } = options;
  const run = await findRunReport(handle.db, id);
  if (!run) {
    throw new KeleiError('NotFound', { en: `no classification run ${id}`, zh: `分类运行 ${id} 不存在` });
  }
  const [seen] = await runReportsFor(handle.db, { viewer: options.viewer, runs: [run] });
  return seen;
}

/**
 * Stored runs as a caller may see them (policy view `runCounts`). A run stores its
 * population, counts per class, changes and transition matrix over every customer;
 * for a role that sees only its own customers they are rebuilt from the class changes
 * of those customers, so a run's figures never count anyone the caller cannot open.
 * `runReportsFor(db, { viewer: sales, runs })` → the same runs with own-scope figures.
 */
export async function runReportsFor(
  db: Db,
  options: { viewer: Viewer; runs: readonly RunReport[] },
): Promise<RunReport[]> {
  const { runs } = options;
  const { ownerUserId } = populationScope(options.viewer, 'runCounts');
  if (ownerUserId === undefined || runs.length === 0) return [...runs];
  const moves = await loadRunMoves(db, { runIds: runs.map((r) => r.id), ownerUserId });
  return runs.map((run) => {
    // Every class the run knew stays listed, at zero when none of the caller's customers is in it.
    const counts: Record<string, number> = Object.fromEntries(Object.keys(run.counts).map((k) => [k, 0]));
    const transitions: Record<string, Record<string, number>> = {};
    let population = 0;
    let changed = 0;
    for (const m of moves) {
      if (m.runId !== run.id) continue;
      const from = m.from ?? NO_PREVIOUS_CLASS;
      counts[m.to] = (counts[m.to] ?? 0) + m.customers;
      transitions[from] ??= {};
      transitions[from][m.to] = (transitions[from][m.to] ?? 0) + m.customers;
      population += m.customers;
      if (from !== m.to) changed += m.customers;
    }
    return { ...run, population, counts, transitions, changed };
  });
}

/** {@link runReportsFor} of the latest run of each scheme, by scheme id (a scheme's "last run"). */
export async function latestRunsFor(
  db: Db,
  options: { viewer: Viewer; runs: ReadonlyMap<number, RunReport> },
): Promise<Map<number, RunReport>> {
  const seen = await runReportsFor(db, { viewer: options.viewer, runs: [...options.runs.values()] });
  return new Map(seen.map((r) => [r.schemeId, r]));
}
