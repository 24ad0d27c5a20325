import type { Db } from '../../db/database.ts';

/** A class as exports need it: its key, Chinese name and maintenance plan. */
export type ExportClass = { key: string; nameZh: string; plan: ExportPlan | null };

export type ExportPlan = {
  goal: string | null;
  actions: string | null;
  contactEveryDays: number | null;
  ownerRole: string | null;
};

/** An active scheme with the classes of its current version, in definition order. */
export type ExportScheme = {
  id: number;
  key: string;
  nameZh: string;
  classes: ExportClass[];
  /** the metric scores the current version's rules use (`r_score`, …), kept with each class */
  scores: string[];
  /** Chinese name of a class key, from the current version, then older ones, else the key itself */
  className(key: string): string;
};

type JsonObject = Record<string, unknown>;

/**
 * Reads the classes out of a scheme version's definition JSON. Tolerant on purpose:
 * exports must not fail on a definition written by an older or hand-edited version,
 * so anything unreadable yields fewer classes rather than an error.
 */
export function readDefinitionClasses(definition: unknown): ExportClass[] {
  const parsed = typeof definition === 'string' ? parseJson(definition) : definition;
  const classes = isObject(parsed) ? parsed.classes : undefined;
  if (!Array.isArray(classes)) return [];
  const result: ExportClass[] = [];
  for (const item of classes) {
    if (!isObject(item)) continue;
    const key =
      typeof item.key === 'string' ? item.key : typeof item.key === 'number' ? String(item.key) : null;
    if (key === null) continue;
    const nameZh = localized(item.name) ?? localized(item.name_zh) ?? localized(item.label) ?? key;
    result.push({ key, nameZh, plan: readPlan(item.plan) });
  }
  return result;
}

/** Active schemes (ordered by id) with their current version's classes. */
export async function loadActiveSchemes(db: Db): Promise<ExportScheme[]> {
  const schemes = await db
    .selectFrom('schemes')
    .select(['id', 'key', 'name_zh', 'current_version_id'])
    .where('active', '=', 1)
    .orderBy('id')
    .execute();
  return loadSchemeClasses(db, schemes);
}

/** One scheme by key, whether active or not; undefined when no such scheme. */
export async function loadSchemeByKey(db: Db, key: string): Promise<ExportScheme | undefined> {
  const schemes = await db
    .selectFrom('schemes')
    .select(['id', 'key', 'name_zh', 'current_version_id'])
    .where('key', '=', key)
    .execute();
  return (await loadSchemeClasses(db, schemes))[0];
}

async function loadSchemeClasses(
  db: Db,
  schemes: Array<{ id: number; key: string; name_zh: string; current_version_id: number | null }>,
): Promise<ExportScheme[]> {
  if (schemes.length === 0) return [];
  const versions = await db
    .selectFrom('scheme_versions')
    .select(['id', 'scheme_id', 'version', 'definition'])
    .where(
      'scheme_id',
      'in',
      schemes.map((s) => s.id),
    )
    .orderBy('scheme_id')
    .orderBy('version', 'desc')
    .execute();
  return schemes.map((scheme) => {
    const own = versions.filter((v) => Number(v.scheme_id) === Number(scheme.id));
    // Without a current version pointer the newest version stands in.
    const current = own.find((v) => Number(v.id) === Number(scheme.current_version_id)) ?? own[0];
    const classes = current ? readDefinitionClasses(current.definition) : [];
    const names = new Map<string, string>();
    // Newest last so it wins; customers may still carry a class an older version had.
    for (const version of [...own].reverse()) {
      for (const c of readDefinitionClasses(version.definition)) names.set(c.key, c.nameZh);
    }
    for (const c of classes) names.set(c.key, c.nameZh);
    return {
      id: Number(scheme.id),
      key: scheme.key,
      nameZh: scheme.name_zh,
      classes,
      scores: current ? readDefinitionScores(current.definition) : [],
      className: (key: string) => names.get(key) ?? key,
    };
  });
}

function readDefinitionScores(definition: unknown): string[] {
  const parsed = typeof definition === 'string' ? parseJson(definition) : definition;
  const scores = isObject(parsed) ? parsed.scores : undefined;
  return Array.isArray(scores) ? scores.filter((s): s is string => typeof s === 'string') : [];
}

function readPlan(value: unknown): ExportPlan | null {
  if (!isObject(value)) return null;
  const days = value.contact_every_days ?? value.contactEveryDays;
  return {
    goal: localized(value.goal),
    actions: actionsText(value.actions),
    contactEveryDays: typeof days === 'number' && Number.isFinite(days) ? days : null,
    ownerRole: localized(value.owner_role ?? value.ownerRole),
  };
}

/** Plan actions may be one text or a list of steps; a list reads as one line. */
export function actionsText(value: unknown): string | null {
  if (Array.isArray(value)) {
    const steps = value.map((v) => localized(v)).filter((v): v is string => v !== null && v !== '');
    return steps.length > 0 ? steps.join('；') : null;
  }
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (trimmed.startsWith('[')) {
      const parsed = parseJson(trimmed);
      if (Array.isArray(parsed)) return actionsText(parsed);
    }
    return value;
  }
  return localized(value);
}

/** A text that may be plain or `{ zh, en }`; Chinese preferred. */
function localized(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (isObject(value)) {
    if (typeof value.zh === 'string') return value.zh;
    if (typeof value['zh-CN'] === 'string') return value['zh-CN'];
    if (typeof value.en === 'string') return value.en;
  }
  return null;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
