import type { TFunction } from 'i18next';
import { ApiError } from '../../api/client.ts';
import type { ParamUse, ParamValue, SchemeClass, SchemeDefinition } from './use-schemes.ts';

/** Problems of a definition by path (`classes.2.rule`, `params.high`, `name.zh`), as sentences. */
export type DraftErrors = Record<string, string>;

const KEY = /^[a-z][a-z0-9_]*$/;

/** What can be said before asking the server: required names, key format, unique keys, finite numbers. */
export function validateDraft(definition: SchemeDefinition, t: TFunction): DraftErrors {
  const errors: DraftErrors = {};
  if (!definition.name.zh.trim()) errors['name.zh'] = t('schemes:validation.nameRequired');
  if (!definition.name.en.trim()) errors['name.en'] = t('schemes:validation.nameRequired');
  if (definition.classes.length === 0) errors.classes = t('schemes:validation.noClasses');
  const seen = new Map<string, number>();
  definition.classes.forEach((c, i) => {
    const at = `classes.${i}`;
    if (!KEY.test(c.key)) errors[`${at}.key`] = t('schemes:validation.key');
    else if (seen.has(c.key)) errors[`${at}.key`] = t('schemes:validation.duplicateKey', { key: c.key });
    seen.set(c.key, i);
    if (!c.name.zh.trim()) errors[`${at}.name.zh`] = t('schemes:validation.nameRequired');
    if (!c.name.en.trim()) errors[`${at}.name.en`] = t('schemes:validation.nameRequired');
    if (!c.rule.trim()) errors[`${at}.rule`] = t('schemes:validation.ruleRequired');
  });
  for (const [name, value] of Object.entries(definition.params ?? {})) {
    if (typeof value === 'number' && !Number.isFinite(value))
      errors[`params.${name}`] = t('schemes:validation.number');
  }
  return errors;
}

type RuleDetail = {
  classKey?: string;
  line?: number;
  column?: number;
  message?: { zh: string; en: string } | string;
};

/**
 * The server's 400 answer spread over the form: an InvalidRule names the class (and the
 * line and column), an InvalidScheme names the path of the bad value.
 */
export function serverDraftErrors(
  error: unknown,
  definition: SchemeDefinition,
  t: TFunction,
  lang: string,
): DraftErrors {
  if (!(error instanceof ApiError) || error.status !== 400 || !Array.isArray(error.details)) return {};
  const errors: DraftErrors = {};
  const zh = lang.startsWith('zh');
  for (const d of error.details as (RuleDetail & { path?: string })[]) {
    const message =
      typeof d.message === 'string' ? d.message : d.message ? (zh ? d.message.zh : d.message.en) : '';
    if (d.classKey !== undefined) {
      const index = definition.classes.findIndex((c) => c.key === d.classKey);
      const where =
        d.line && d.line > 0 ? t('schemes:validation.position', { line: d.line, column: d.column }) : '';
      errors[index >= 0 ? `classes.${index}.rule` : 'classes'] = `${where}${message}`;
    } else if (typeof d.path === 'string') {
      const path = d.path.replace(/^definition\.?/, '') || 'classes';
      errors[path] = message;
    }
  }
  return errors;
}

/** Known thresholds of the built-in schemes get a name; others show their key. */
export const PARAM_LABELS: Record<string, { zh: string; en: string }> = {
  high: { zh: '高档门槛', en: 'High threshold' },
  medium: { zh: '中档门槛', en: 'Medium threshold' },
  churn_days: { zh: '流失天数', en: 'Churn after (days)' },
  risk_days: { zh: '流失预警天数', en: 'At risk after (days)' },
  new_days: { zh: '新客户期限（天）', en: 'New for (days)' },
  stable_orders: { zh: '稳定客户最少订单数', en: 'Stable: minimum orders' },
  stable_days: { zh: '稳定客户最短客龄（天）', en: 'Stable: minimum tenure (days)' },
};

/** The unit a parameter is entered in, from the fields it is compared with. */
export function paramUnit(use: ParamUse | undefined): 'yuan' | 'days' | null {
  if (!use) return null;
  if (use.type === 'money') return 'yuan';
  if (use.type === 'number' && use.fields.some((f) => f.endsWith('_days'))) return 'days';
  return null;
}

export type DraftChange =
  | { kind: 'param'; name: string; before?: ParamValue; after?: ParamValue }
  | { kind: 'schemeName'; before: string; after: string }
  | { kind: 'classAdded'; key: string; name: string }
  | { kind: 'classRemoved'; key: string; name: string }
  | { kind: 'classMoved'; key: string; name: string; before: number; after: number }
  | { kind: 'classField'; key: string; name: string; field: string; before: string; after: string };

function text(v: unknown): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

const CLASS_FIELDS: { field: string; read: (c: SchemeClass) => unknown }[] = [
  { field: 'rule', read: (c) => c.rule },
  { field: 'nameZh', read: (c) => c.name.zh },
  { field: 'nameEn', read: (c) => c.name.en },
  { field: 'color', read: (c) => c.color },
  { field: 'goal', read: (c) => c.plan?.goal },
  { field: 'actions', read: (c) => c.plan?.actions },
  { field: 'contactEvery', read: (c) => c.plan?.contact_every_days },
  { field: 'ownerRole', read: (c) => c.plan?.owner_role },
];

/** What changed from `before` to `after`: parameters, names, classes added, removed, moved or edited. */
export function diffDefinitions(before: SchemeDefinition, after: SchemeDefinition): DraftChange[] {
  const changes: DraftChange[] = [];
  const bp = before.params ?? {};
  const ap = after.params ?? {};
  for (const name of new Set([...Object.keys(bp), ...Object.keys(ap)])) {
    if (bp[name] !== ap[name]) changes.push({ kind: 'param', name, before: bp[name], after: ap[name] });
  }
  for (const lang of ['zh', 'en'] as const) {
    if (before.name[lang] !== after.name[lang])
      changes.push({ kind: 'schemeName', before: before.name[lang], after: after.name[lang] });
  }
  const beforeKeys = before.classes.map((c) => c.key);
  const afterKeys = after.classes.map((c) => c.key);
  for (const c of before.classes) {
    if (!afterKeys.includes(c.key)) changes.push({ kind: 'classRemoved', key: c.key, name: c.name.zh });
  }
  after.classes.forEach((c, i) => {
    const j = beforeKeys.indexOf(c.key);
    if (j < 0) {
      changes.push({ kind: 'classAdded', key: c.key, name: c.name.zh });
      return;
    }
    const old = before.classes[j];
    // Position among the classes both versions share, so one insertion does not "move" the rest.
    const shared = (keys: string[], other: string[]) => keys.filter((k) => other.includes(k));
    const was = shared(beforeKeys, afterKeys).indexOf(c.key);
    const now = shared(afterKeys, beforeKeys).indexOf(c.key);
    if (was !== now) changes.push({ kind: 'classMoved', key: c.key, name: c.name.zh, before: j, after: i });
    for (const { field, read } of CLASS_FIELDS) {
      const b = text(read(old));
      const a = text(read(c));
      if (a !== b)
        changes.push({ kind: 'classField', key: c.key, name: c.name.zh, field, before: b, after: a });
    }
  });
  return changes;
}

/** Stable text of a definition, to tell whether the editor holds unsaved changes. */
export function definitionFingerprint(definition: SchemeDefinition): string {
  return JSON.stringify(definition);
}

/** Colours offered for classes, distinct at a glance. */
export const CLASS_COLORS = [
  '#cf1322',
  '#fa541c',
  '#fa8c16',
  '#faad14',
  '#52c41a',
  '#13c2c2',
  '#1677ff',
  '#2f54eb',
  '#722ed1',
  '#eb2f96',
  '#595959',
  '#8c8c8c',
];

/** A fresh class for a custom scheme: a unique key and a rule that matches nobody until edited. */
export function newClass(existing: SchemeClass[]): SchemeClass {
  let n = existing.length + 1;
  while (existing.some((c) => c.key === `class_${n}`)) n++;
  const used = new Set(existing.map((c) => c.color?.toLowerCase()));
  return {
    key: `class_${n}`,
    name: { zh: `类别 ${n}`, en: `Class ${n}` },
    color: CLASS_COLORS.find((c) => !used.has(c)) ?? CLASS_COLORS[0],
    rule: 'false',
  };
}
