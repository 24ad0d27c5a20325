import type { DbHandle } from '../../db/database.ts';
import type { ImportCounts } from './import.types.ts';

/** One recorded import, as the import page lists it. */
export type ImportHistoryEntry = {
  id: number;
  entity: string;
  fileName: string;
  fileSize: number;
  /** committed | failed (invalid rows, nothing written) | dry_run | running */
  status: string;
  counts: Partial<ImportCounts> | null;
  startedAt: string;
  finishedAt: string | null;
  /** who committed it through the API (from the audit log); null for the CLI and dry runs */
  actor: string | null;
};

/**
 * The newest imports, newest first: `listImportHistory(handle, { limit: 20 })`.
 * Dry runs are left out unless asked for: every check of the wizard records one.
 * Reads through the reader connection so a commit running on SQLite does not hold it up
 * (nor show its uncommitted rows).
 */
export async function listImportHistory(
  handle: DbHandle,
  options: { limit: number; includeDryRuns?: boolean },
): Promise<ImportHistoryEntry[]> {
  const db = handle.reader();
  const rows = await db
    .selectFrom('import_jobs')
    .select(['id', 'entity', 'file_name', 'file_size', 'status', 'counts', 'started_at', 'finished_at'])
    .$if(options.includeDryRuns !== true, (q) => q.where('status', '!=', 'dry_run'))
    .orderBy('id', 'desc')
    .limit(options.limit)
    .execute();
  if (rows.length === 0) return [];
  const ids = rows.map((r) => String(r.id));
  const audits = await db
    .selectFrom('audit_log')
    .select(['entity_id', 'actor'])
    .where('action', '=', 'import.commit')
    .where('entity', '=', 'import_job')
    .where('entity_id', 'in', ids)
    .execute();
  const actorOf = new Map(audits.map((a) => [a.entity_id, a.actor]));
  return rows.map((r) => ({
    id: Number(r.id),
    entity: r.entity,
    fileName: r.file_name,
    fileSize: Number(r.file_size),
    status: r.status,
    counts: parseCounts(r.counts),
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    actor: actorOf.get(String(r.id)) ?? null,
  }));
}

function parseCounts(text: string | null): Partial<ImportCounts> | null {
  if (!text) return null;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null) return null;
    const out: Partial<ImportCounts> = {};
    for (const [k, v] of Object.entries(parsed)) {
      if (typeof v === 'number') out[k as keyof ImportCounts] = v;
    }
    return out;
  } catch {
    return null;
  }
}
