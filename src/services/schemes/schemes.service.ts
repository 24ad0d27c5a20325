import type { Bilingual } from '../../core/bilingual.ts';
import { todayIn } from '../../core/dates.ts';
import { type ParamUse, paramUsesOf } from '../../core/schemes/param-uses.ts';
import {
  noSchemeDraft,
  schemeExists,
  schemeNotFound,
  staleSchemeVersion,
} from '../../core/schemes/scheme.errors.ts';
import type { ClassDefinition, SchemeDefinition } from '../../core/schemes/scheme.ts';
import { assertSchemeKey, checkSchemeDefinition } from '../../core/schemes/scheme.validation.ts';
import { latestRuns, type RunReport } from '../../db/classification/classification-reports.repository.ts';
import type { Db, DbHandle } from '../../db/database.ts';
import {
  deleteDraft,
  findDraft,
  listPublishedVersions,
  saveDraft,
  type VersionStamp,
  versionStamps,
} from '../../db/schemes/scheme-drafts.repository.ts';
import {
  findSchemeByKey,
  listSchemes,
  lockSchemeRow,
  publishSchemeVersion,
  type StoredScheme,
} from '../../db/schemes/schemes.repository.ts';
import { audit } from '../audit/audit.service.ts';
import { queryAuditLog } from '../auth/audit-log.service.ts';
import type { Viewer } from '../auth/policy.ts';
import {
  assertMayPreview,
  ensureBuiltinSchemes,
  previewScheme,
  previewSchemeAs,
  type RunSummary,
} from '../classification/classification.service.ts';
import { latestRunsFor } from '../classification/run-reports.service.ts';

/**
 * Classification schemes as use cases, for the API and the CLI alike: list and read
 * them with their current version, keep one draft per scheme, preview a definition
 * against the current classes, publish (the draft, or a definition from a file) as
 * the next version, and create custom schemes. Every definition is checked by
 * `checkSchemeDefinition` before it is stored; every publication checks the version
 * it was based on when the caller names one, and writes exactly one audit row.
 */

export type SchemeServiceDeps = {
  handle: DbHandle;
  clock: () => Date;
  /** workspace time zone: the default as-of date of a preview, audit-log dates */
  timeZone: string;
  /**
   * The user on whose behalf the service works (the API): their role decides what a
   * scheme's last run shows and whether they may preview (docs/security.md). Absent
   * for the operator at the command line, who sees everything.
   */
  viewer?: Viewer;
};

/** The latest run of each scheme as the caller may see it. */
async function latestRunsSeen(deps: SchemeServiceDeps): Promise<Map<number, RunReport>> {
  const runs = await latestRuns(deps.handle.db);
  return deps.viewer ? latestRunsFor(deps.handle.db, { viewer: deps.viewer, runs }) : runs;
}

/** A scheme as callers see it: current version, draft state, parameters and last run. */
export type SchemeView = {
  key: string;
  name: Bilingual;
  description: { zh?: string; en?: string } | null;
  builtin: boolean;
  active: boolean;
  version: number;
  publishedAt: string | null;
  publishedBy: string | null;
  hasDraft: boolean;
  draftSavedAt: string | null;
  params: Record<string, number | string | boolean>;
  /** per parameter: the fields rules compare it with and their type */
  paramUses: Record<string, ParamUse>;
  scores: string[];
  classes: ClassDefinition[];
  lastRun: {
    id: number;
    schemeVersion: number;
    asOf: string;
    finishedAt: string | null;
    population: number;
    counts: Record<string, number>;
    changed: number;
  } | null;
};

export type SchemeDraftView = { savedAt: string; definition: SchemeDefinition };

export type SchemeVersionView = {
  version: number;
  current: boolean;
  createdAt: string;
  publishedAt: string | null;
  publishedBy: string | null;
  /** what the publisher wrote about the change */
  note: string | null;
  definition: SchemeDefinition;
};

export type SchemeVersions = {
  key: string;
  currentVersion: number;
  versions: SchemeVersionView[];
  draft: SchemeDraftView | null;
};

export type SchemePreview = RunSummary & {
  /** customers per current class */
  currentCounts: Record<string, number>;
};

/** Who publishes, and what they said about it. */
export type Publication = {
  actor: string;
  /** the current version the change was based on; a stale one is refused (Conflict) */
  expectedVersion?: number;
  note?: string;
};

const builtins = (deps: SchemeServiceDeps) => ensureBuiltinSchemes(deps.handle, deps.clock().toISOString());

async function schemeOrThrow(db: Db, key: string): Promise<StoredScheme> {
  const scheme = await findSchemeByKey(db, key);
  if (!scheme) throw schemeNotFound(key);
  return scheme;
}

function schemeViewOf(
  scheme: StoredScheme,
  stamp: VersionStamp | undefined,
  run: RunReport | undefined,
): SchemeView {
  const d = scheme.definition;
  return {
    key: scheme.key,
    name: d.name,
    description: d.description ?? null,
    builtin: scheme.builtin,
    active: scheme.active,
    version: scheme.version,
    publishedAt: stamp?.publishedAt ?? null,
    publishedBy: stamp?.publishedBy ?? null,
    hasDraft: (stamp?.draftSavedAt ?? null) !== null,
    draftSavedAt: stamp?.draftSavedAt ?? null,
    params: d.params ?? {},
    paramUses: paramUsesOf(d),
    scores: d.scores ?? [],
    classes: d.classes,
    lastRun: run
      ? {
          id: run.id,
          schemeVersion: run.schemeVersion,
          asOf: run.asOf,
          finishedAt: run.finishedAt,
          population: run.population,
          counts: run.counts,
          changed: run.changed,
        }
      : null,
  };
}

async function viewOf(deps: SchemeServiceDeps, scheme: StoredScheme): Promise<SchemeView> {
  const { db } = deps.handle;
  const [stamps, runs] = await Promise.all([versionStamps(db), latestRunsSeen(deps)]);
  return schemeViewOf(scheme, stamps.get(scheme.id), runs.get(scheme.id));
}

/** Every scheme, active or not, in creation order (the built-ins first). */
export async function listSchemeViews(deps: SchemeServiceDeps): Promise<SchemeView[]> {
  const { db } = deps.handle;
  await builtins(deps);
  const [schemes, stamps, runs] = await Promise.all([
    listSchemes(db, { activeOnly: false }),
    versionStamps(db),
    latestRunsSeen(deps),
  ]);
  return schemes.map((s) => schemeViewOf(s, stamps.get(s.id), runs.get(s.id)));
}

export async function getSchemeView(deps: SchemeServiceDeps, key: string): Promise<SchemeView> {
  await builtins(deps);
  return viewOf(deps, await schemeOrThrow(deps.handle.db, key));
}

/** Publish notes by version: they live in the audit rows of the publications. */
async function publishNotes(deps: SchemeServiceDeps, key: string): Promise<Map<number, string>> {
  const log = await queryAuditLog(deps.handle.db, {
    filter: { action: 'scheme.publish', entity: 'scheme', entityId: key },
    page: 1,
    pageSize: 500,
    timeZone: deps.timeZone,
  });
  const notes = new Map<number, string>();
  for (const entry of log.items) {
    const { version, note } = entry.details ?? {};
    if (typeof version === 'number' && typeof note === 'string' && !notes.has(version)) {
      notes.set(version, note);
    }
  }
  return notes;
}

/** Published versions, newest first, with their notes, and the draft. */
export async function getSchemeVersions(deps: SchemeServiceDeps, key: string): Promise<SchemeVersions> {
  const { db } = deps.handle;
  await builtins(deps);
  const scheme = await schemeOrThrow(db, key);
  const [versions, draft, notes] = await Promise.all([
    listPublishedVersions(db, scheme.id),
    findDraft(db, scheme.id),
    publishNotes(deps, scheme.key),
  ]);
  return {
    key: scheme.key,
    currentVersion: scheme.version,
    versions: versions.map((v) => ({
      version: v.version,
      current: v.versionId === scheme.versionId,
      createdAt: v.createdAt,
      publishedAt: v.publishedAt,
      publishedBy: v.publishedBy,
      note: notes.get(v.version) ?? null,
      definition: v.definition,
    })),
    draft: draft ? { savedAt: draft.savedAt, definition: draft.definition } : null,
  };
}

/** The scheme's draft, or NotFound. */
export async function getSchemeDraft(deps: SchemeServiceDeps, key: string): Promise<SchemeDraftView> {
  await builtins(deps);
  const scheme = await schemeOrThrow(deps.handle.db, key);
  const draft = await findDraft(deps.handle.db, scheme.id);
  if (!draft) throw noSchemeDraft(scheme.key);
  return { savedAt: draft.savedAt, definition: draft.definition };
}

/** Checks `definition` and stores it as the scheme's draft, replacing any earlier one. */
export async function saveSchemeDraft(
  deps: SchemeServiceDeps,
  options: { key: string; definition: SchemeDefinition },
): Promise<SchemeDraftView> {
  const definition = checkSchemeDefinition(options.definition);
  await builtins(deps);
  const scheme = await schemeOrThrow(deps.handle.db, options.key);
  assertSchemeKey(scheme.key, definition);
  const now = deps.clock().toISOString();
  await saveDraft(deps.handle.db, { schemeId: scheme.id, definition, now });
  return { savedAt: now, definition };
}

/** Removes the scheme's draft; NotFound when it has none. */
export async function discardSchemeDraft(deps: SchemeServiceDeps, key: string): Promise<void> {
  const scheme = await schemeOrThrow(deps.handle.db, key);
  if (!(await deleteDraft(deps.handle.db, scheme.id))) throw noSchemeDraft(scheme.key);
}

/**
 * What a definition (default: the scheme's draft) would do as of a date (default: today
 * in the workspace zone): counts per class and moves from the current classes. Writes nothing.
 */
export async function previewSchemeChange(
  deps: SchemeServiceDeps,
  options: { key: string; definition?: SchemeDefinition; asOf?: string },
): Promise<SchemePreview> {
  // Refused before the definition or the draft is looked at (docs/security.md).
  if (deps.viewer) assertMayPreview(deps.viewer);
  await builtins(deps);
  const scheme = await schemeOrThrow(deps.handle.db, options.key);
  let definition = options.definition;
  if (definition) {
    checkSchemeDefinition(definition);
    assertSchemeKey(scheme.key, definition);
  } else {
    const draft = await findDraft(deps.handle.db, scheme.id);
    if (!draft) throw noSchemeDraft(scheme.key);
    definition = draft.definition;
  }
  const asOf = options.asOf ?? todayIn(deps.timeZone, deps.clock());
  const summary = deps.viewer
    ? await previewSchemeAs(deps.handle, { viewer: deps.viewer, definition, asOf })
    : await previewScheme(deps.handle, { definition, asOf });
  const currentCounts: Record<string, number> = {};
  for (const [from, row] of Object.entries(summary.transitions)) {
    currentCounts[from] = Object.values(row).reduce((n, v) => n + v, 0);
  }
  return { ...summary, currentCounts };
}

/** Conflict when the caller based its change on a version that is no longer current; a new scheme is at 0. */
function assertCurrentVersion(options: {
  key: string;
  current: StoredScheme | undefined;
  expected: number | undefined;
}): void {
  const { key, expected } = options;
  const current = options.current?.version ?? 0;
  if (expected !== undefined && expected !== current) throw staleSchemeVersion({ key, current, expected });
}

/**
 * Stores `definition` as the next version of `current` (or as a new scheme's version 1)
 * inside the caller's transaction, after the version check, with one audit row.
 */
async function publishChecked(
  deps: SchemeServiceDeps,
  trx: Db,
  options: Publication & { current: StoredScheme | undefined; definition: SchemeDefinition },
): Promise<StoredScheme> {
  const { current, definition } = options;
  assertCurrentVersion({ key: definition.key, current, expected: options.expectedVersion });
  const stored = await publishSchemeVersion(trx, {
    definition,
    by: options.actor,
    now: deps.clock().toISOString(),
  });
  await audit(trx, {
    actor: options.actor,
    action: 'scheme.publish',
    entity: 'scheme',
    entityId: stored.key,
    details: {
      version: stored.version,
      ...(current ? { previousVersion: current.version } : { created: true }),
      ...(options.note ? { note: options.note } : {}),
    },
    at: deps.clock(),
  });
  return stored;
}

/** Publishes the scheme's draft as its next version and discards the draft. */
export async function publishSchemeDraft(
  deps: SchemeServiceDeps,
  options: Publication & { key: string },
): Promise<SchemeView> {
  await builtins(deps);
  const published = await deps.handle.db.transaction().execute(async (trx) => {
    await lockSchemeRow(trx, options.key);
    const current = await schemeOrThrow(trx, options.key);
    assertCurrentVersion({ key: current.key, current, expected: options.expectedVersion });
    const draft = await findDraft(trx, current.id);
    if (!draft) throw noSchemeDraft(current.key);
    checkSchemeDefinition(draft.definition);
    await deleteDraft(trx, current.id);
    return publishChecked(deps, trx, { ...options, current, definition: draft.definition });
  });
  return viewOf(deps, published);
}

/**
 * Publishes a whole definition (a file given to the CLI) as the next version of the
 * scheme with its key, creating the scheme when it is new. The scheme's draft, if
 * any, stays as it is.
 */
export async function publishSchemeDefinition(
  deps: SchemeServiceDeps,
  options: Publication & { definition: SchemeDefinition },
): Promise<SchemeView> {
  const definition = checkSchemeDefinition(options.definition);
  await builtins(deps);
  const published = await deps.handle.db.transaction().execute(async (trx) => {
    await lockSchemeRow(trx, definition.key);
    const current = await findSchemeByKey(trx, definition.key);
    return publishChecked(deps, trx, { ...options, current, definition });
  });
  return viewOf(deps, published);
}

/** Creates a custom scheme as version 1; Conflict when the key is taken. */
export async function createScheme(
  deps: SchemeServiceDeps,
  options: { definition: SchemeDefinition; actor: string },
): Promise<SchemeView> {
  const definition = checkSchemeDefinition(options.definition);
  await builtins(deps);
  const created = await deps.handle.db.transaction().execute(async (trx) => {
    if (await findSchemeByKey(trx, definition.key)) throw schemeExists(definition.key);
    return publishChecked(deps, trx, { actor: options.actor, current: undefined, definition });
  });
  return viewOf(deps, created);
}
