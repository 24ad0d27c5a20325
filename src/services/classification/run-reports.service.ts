import { KeleiError } from '../../core/errors.ts';
import { schemeNotFound } from '../../core/schemes/scheme.errors.ts';
import { findRunReport, listRuns, type RunReport } from '../../db/classification-reports.repository.ts';
import type { DbHandle } from '../../db/connect.ts';
import { findSchemeByKey } from '../../db/schemes.repository.ts';

export type { RunReport };

/** Runs, newest first, of every scheme or of the one named (SchemeNotFound when unknown); `before` pages by id. */
export async function listRunReports(
  handle: DbHandle,
  options: { schemeKey?: string; limit: number; before?: number },
): Promise<RunReport[]> {
  let schemeId: number | undefined;
  if (options.schemeKey !== undefined) {
    const scheme = await findSchemeByKey(handle.db, options.schemeKey);
    if (!scheme) throw schemeNotFound(options.schemeKey);
    schemeId = scheme.id;
  }
  return listRuns(handle.db, { schemeId, limit: options.limit, beforeId: options.before });
}

/** One run with its counts and transitions, or NotFound. */
export async function getRunReport(handle: DbHandle, id: number): Promise<RunReport> {
  const run = await findRunReport(handle.db, id);
  if (!run) {
    throw new KeleiError('NotFound', { en: `no classification run ${id}`, zh: `分类运行 ${id} 不存在` });
  }
  return run;
}
