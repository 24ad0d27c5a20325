import type { SchemeDefinition } from '../../core/schemes/scheme.ts';
import type { Db } from '../database.ts';

/**
 * A scheme's draft is its scheme_versions row with version 0 and no published_at:
 * at most one per scheme (the (scheme_id, version) key is unique), never current,
 * and below every published version, so `publishSchemeVersion` numbering and the
 * "newest version" readers are unaffected. No migration needed.
 */
export const DRAFT_VERSION = 0;

export type SchemeDraft = { versionId: number; definition: SchemeDefinition; savedAt: string };

export type PublishedVersion = {
  versionId: number;
  version: number;
  definition: SchemeDefinition;
  createdAt: string;
  publishedAt: string | null;
  publishedBy: string | null;
};

export async function findDraft(db: Db, schemeId: number): Promise<SchemeDraft | undefined> {
  const row = await db
    .selectFrom('scheme_versions')
    .select(['id', 'definition', 'created_at'])
    .where('scheme_id', '=', schemeId)
    .where('version', '=', DRAFT_VERSION)
    .executeTakeFirst();
  return row
    ? { versionId: Number(row.id), definition: JSON.parse(row.definition), savedAt: row.created_at }
    : undefined;
}

/** Stores `definition` as the scheme's draft, replacing any earlier draft. */
export async function saveDraft(
  db: Db,
  options: { schemeId: number; definition: SchemeDefinition; now: string },
): Promise<void> {
  const values = { definition: JSON.stringify(options.definition), created_at: options.now };
  const update = () =>
    db
      .updateTable('scheme_versions')
      .set(values)
      .where('scheme_id', '=', options.schemeId)
      .where('version', '=', DRAFT_VERSION)
      .executeTakeFirst();
  if (Number((await update()).numUpdatedRows) > 0) return;
  try {
    await db
      .insertInto('scheme_versions')
      .values({
        scheme_id: options.schemeId,
        version: DRAFT_VERSION,
        ...values,
        published_at: null,
        published_by: null,
      })
      .execute();
  } catch (e) {
    // Another request created the draft in between: overwrite it instead.
    if (Number((await update()).numUpdatedRows) === 0) throw e;
  }
}

/** Removes the scheme's draft; false when it had none. */
export async function deleteDraft(db: Db, schemeId: number): Promise<boolean> {
  const result = await db
    .deleteFrom('scheme_versions')
    .where('scheme_id', '=', schemeId)
    .where('version', '=', DRAFT_VERSION)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Every published version of a scheme, newest first. */
export async function listPublishedVersions(db: Db, schemeId: number): Promise<PublishedVersion[]> {
  const rows = await db
    .selectFrom('scheme_versions')
    .select(['id', 'version', 'definition', 'created_at', 'published_at', 'published_by'])
    .where('scheme_id', '=', schemeId)
    .where('version', '>', DRAFT_VERSION)
    .orderBy('version', 'desc')
    .execute();
  return rows.map((r) => ({
    versionId: Number(r.id),
    version: Number(r.version),
    definition: JSON.parse(r.definition),
    createdAt: r.created_at,
    publishedAt: r.published_at,
    publishedBy: r.published_by,
  }));
}

export type VersionStamp = {
  publishedAt: string | null;
  publishedBy: string | null;
  /** when the scheme's draft was last saved, or null without a draft */
  draftSavedAt: string | null;
};

/** Publication time of each scheme's current version and its draft's save time, by scheme id. */
export async function versionStamps(db: Db): Promise<Map<number, VersionStamp>> {
  const rows = await db
    .selectFrom('schemes as s')
    .leftJoin('scheme_versions as v', 'v.id', 's.current_version_id')
    .leftJoin('scheme_versions as d', (join) =>
      join.onRef('d.scheme_id', '=', 's.id').on('d.version', '=', DRAFT_VERSION),
    )
    .select([
      's.id as id',
      'v.published_at as published_at',
      'v.published_by as published_by',
      'd.created_at as draft_saved_at',
    ])
    .execute();
  return new Map(
    rows.map((r) => [
      Number(r.id),
      { publishedAt: r.published_at, publishedBy: r.published_by, draftSavedAt: r.draft_saved_at },
    ]),
  );
}
