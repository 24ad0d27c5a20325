import { UNCLASSIFIED } from '../../core/classify.ts';
import { schemeNotFound } from '../../core/schemes/scheme.errors.ts';
import type { SchemeDefinition } from '../../core/schemes/scheme.ts';
import {
  countCurrentClasses,
  latestRuns,
} from '../../db/classification/classification-reports.repository.ts';
import type { Db, DbHandle } from '../../db/database.ts';
import { findSchemeByKey, listSchemes, type StoredScheme } from '../../db/schemes/schemes.repository.ts';
import { populationScope, type Viewer } from '../auth/policy.ts';
import { ensureBuiltinSchemes } from '../classification/classification.service.ts';

export type ClassLabel = { key: string; name: { zh: string; en: string }; color: string | null };

export type ClassShare = ClassLabel & { customers: number; share: number };

export type SchemeDistribution = {
  schemeKey: string;
  schemeName: { zh: string; en: string };
  version: number;
  total: number;
  lastRun: { id: number; asOf: string; finishedAt: string | null } | null;
  classes: ClassShare[];
};

const UNCLASSIFIED_LABEL: ClassLabel = {
  key: UNCLASSIFIED,
  name: { zh: '未分类', en: 'Unclassified' },
  color: '#d9d9d9',
};

/**
 * The labels of a scheme's classes in its order, then any other keys seen in `extra`
 * (customers still carrying a class an older version had, or `unclassified`).
 */
export function classLabels(definition: SchemeDefinition, extra: Iterable<string> = []): ClassLabel[] {
  const labels: ClassLabel[] = definition.classes.map((c) => ({
    key: c.key,
    name: c.name,
    color: c.color ?? null,
  }));
  const known = new Set(labels.map((l) => l.key));
  for (const key of extra) {
    if (known.has(key)) continue;
    known.add(key);
    labels.push(key === UNCLASSIFIED ? UNCLASSIFIED_LABEL : { key, name: { zh: key, en: key }, color: null });
  }
  return labels;
}

/** The active schemes, or the one named (404 when unknown); built-in schemes are created first. */
export async function schemesFor(
  handle: DbHandle,
  options: { schemeKey?: string; now: Date },
): Promise<StoredScheme[]> {
  await ensureBuiltinSchemes(handle, options.now.toISOString());
  if (options.schemeKey === undefined) return listSchemes(handle.db, { activeOnly: true });
  const scheme = await findSchemeByKey(handle.db, options.schemeKey);
  if (!scheme) throw schemeNotFound(options.schemeKey);
  return [scheme];
}

/**
 * Customers per class of every active scheme (or one), with names and colours, from the
 * current classes, over the customers the policy's `classDistribution` gives the
 * viewer: `classDistribution(handle, { viewer: sales, now })` counts that user's own
 * customers. One GROUP BY for all schemes.
 */
export async function classDistribution(
  handle: DbHandle,
  options: { schemeKey?: string; viewer: Viewer; now: Date },
): Promise<SchemeDistribution[]> {
  const { ownerUserId } = populationScope(options.viewer, 'classDistribution');
  const schemes = await schemesFor(handle, options);
  return distributionOf(handle.db, { schemes, ownerUserId });
}

/** {@link classDistribution} of schemes already loaded. */
export async function distributionOf(
  db: Db,
  options: { schemes: readonly StoredScheme[]; ownerUserId?: number },
): Promise<SchemeDistribution[]> {
  const { schemes } = options;
  const [counts, runs] = await Promise.all([
    countCurrentClasses(db, { schemeIds: schemes.map((s) => s.id), ownerUserId: options.ownerUserId }),
    latestRuns(db),
  ]);
  return schemes.map((scheme) => {
    const own = counts.filter((c) => c.schemeId === scheme.id);
    const byKey = new Map(own.map((c) => [c.classKey, c.customers]));
    const total = own.reduce((n, c) => n + c.customers, 0);
    const run = runs.get(scheme.id);
    return {
      schemeKey: scheme.key,
      schemeName: scheme.definition.name,
      version: scheme.version,
      total,
      lastRun: run ? { id: run.id, asOf: run.asOf, finishedAt: run.finishedAt } : null,
      classes: classLabels(
        scheme.definition,
        own.map((c) => c.classKey),
      ).map((label) => {
        const customers = byKey.get(label.key) ?? 0;
        return { ...label, customers, share: total === 0 ? 0 : customers / total };
      }),
    };
  });
}
