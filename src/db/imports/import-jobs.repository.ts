import type { Db } from '../database.ts';

export type NewImportJob = {
  entity: string;
  file_name: string;
  file_size: number;
  file_hash: string;
  mapping: string | null;
  options: string | null;
  started_at: string;
};

export async function startImportJob(db: Db, job: NewImportJob): Promise<number> {
  const row = await db
    .insertInto('import_jobs')
    .values({ ...job, status: 'running', counts: null, errors: null, finished_at: null })
    .returning(['id'])
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function finishImportJob(
  db: Db,
  id: number,
  outcome: {
    status: 'committed' | 'dry_run' | 'failed';
    counts: unknown;
    errors: unknown;
    finishedAt: string;
  },
): Promise<void> {
  await db
    .updateTable('import_jobs')
    .set({
      status: outcome.status,
      counts: JSON.stringify(outcome.counts),
      errors: JSON.stringify(outcome.errors),
      finished_at: outcome.finishedAt,
    })
    .where('id', '=', id)
    .execute();
}
