import type { SchemeDefinition } from '../../core/schemes/scheme.ts';
import type { Db } from '../database.ts';

export type StoredScheme = {
  id: number;
  key: string;
  nameZh: string;
  nameEn: string;
  active: boolean;
  builtin: boolean;
  versionId: number;
  version: number;
  definition: SchemeDefinition;
};

const schemeColumns = [
  's.id as id',
  's.key as key',
  's.name_zh as name_zh',
  's.name_en as name_en',
  's.active as active',
  's.builtin as builtin',
  'v.id as version_id',
  'v.version as version',
  'v.definition as definition',
] as const;

type SchemeJoinRow = {
  id: number;
  key: string;
  name_zh: string;
  name_en: string;
  active: number;
  builtin: number;
  version_id: number;
  version: number;
  definition: string;
};

function toStored(r: SchemeJoinRow): StoredScheme {
  return {
    id: Number(r.id),
    key: r.key,
    nameZh: r.name_zh,
    nameEn: r.name_en,
    active: Number(r.active) === 1,
    builtin: Number(r.builtin) === 1,
    versionId: Number(r.version_id),
    version: Number(r.version),
    definition: JSON.parse(r.definition) as SchemeDefinition,
  };
}

function selectSchemes(db: Db) {
  return db
    .selectFrom('schemes as s')
    .innerJoin('scheme_versions as v', 'v.id', 's.current_version_id')
    .select(schemeColumns);
}

export async function findSchemeByKey(db: Db, key: string): Promise<StoredScheme | undefined> {
  const row = await selectSchemes(db).where('s.key', '=', key).executeTakeFirst();
  return row ? toStored(row) : undefined;
}

export async function listSchemes(db: Db, options: { activeOnly: boolean }): Promise<StoredScheme[]> {
  let q = selectSchemes(db).orderBy('s.id');
  if (options.activeOnly) q = q.where('s.active', '=', 1);
  return (await q.execute()).map(toStored);
}

/**
 * Stores `definition` as the scheme's next published version, creating the scheme on
 * first publish. Returns the stored scheme.
 */
/**
 * Holds the scheme's row until the transaction ends, so publications of one scheme
 * take turns: a no-op update takes PostgreSQL's row lock (and SQLite's write lock)
 * before the current version is read. The second of two concurrent publications then
 * reads the version the first one made, and its version check refuses it.
 */
export async function lockSchemeRow(db: Db, key: string): Promise<void> {
  await db
    .updateTable('schemes')
    .set((eb) => ({ active: eb.ref('active') }))
    .where('key', '=', key)
    .execute();
}

export async function publishSchemeVersion(
  db: Db,
  options: { definition: SchemeDefinition; builtin?: boolean; by: string; now: string },
): Promise<StoredScheme> {
  const { definition, now } = options;
  let scheme = await db
    .selectFrom('schemes')
    .select(['id'])
    .where('key', '=', definition.key)
    .executeTakeFirst();
  if (!scheme) {
    scheme = await db
      .insertInto('schemes')
      .values({
        key: definition.key,
        name_zh: definition.name.zh,
        name_en: definition.name.en,
        description: definition.description?.zh ?? null,
        builtin: options.builtin ? 1 : 0,
        active: 1,
        current_version_id: null,
        created_at: now,
      })
      .returning(['id'])
      .executeTakeFirstOrThrow();
  }
  const last = await db
    .selectFrom('scheme_versions')
    .select((eb) => eb.fn.max('version').as('v'))
    .where('scheme_id', '=', scheme.id)
    .executeTakeFirst();
  const version = Number(last?.v ?? 0) + 1;
  const inserted = await db
    .insertInto('scheme_versions')
    .values({
      scheme_id: scheme.id,
      version,
      definition: JSON.stringify(definition),
      created_at: now,
      published_at: now,
      published_by: options.by,
    })
    .returning(['id'])
    .executeTakeFirstOrThrow();
  await db
    .updateTable('schemes')
    .set({ current_version_id: inserted.id, name_zh: definition.name.zh, name_en: definition.name.en })
    .where('id', '=', scheme.id)
    .execute();
  const stored = await findSchemeByKey(db, definition.key);
  if (!stored) throw new Error(`scheme ${definition.key} vanished after publish`);
  return stored;
}
