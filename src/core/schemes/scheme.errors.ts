import { KeleiError } from '../errors.ts';

/** The errors of classification schemes, written once for every caller (API, CLI, services). */

export function schemeNotFound(key: string): KeleiError {
  return new KeleiError('SchemeNotFound', {
    en: `no classification scheme "${key}"`,
    zh: `没有名为“${key}”的分类方案`,
  });
}

/** A request parameter (a list filter's `scheme`) naming no scheme: the caller's argument is wrong (400, not 404). */
export function unknownSchemeArgument(options: { key: string; field: string }): KeleiError {
  return new KeleiError('InvalidArgument', schemeNotFound(options.key).messages, { field: options.field });
}

export function schemeExists(key: string): KeleiError {
  return new KeleiError('Conflict', {
    en: `a scheme "${key}" already exists; save a draft of it instead`,
    zh: `分类方案“${key}”已存在，请改为编辑其草稿`,
  });
}

/** A publication based on a version that is no longer current (someone published since). */
export function staleSchemeVersion(options: { key: string; current: number; expected: number }): KeleiError {
  const { key, current, expected } = options;
  return new KeleiError(
    'Conflict',
    {
      en: `scheme ${key} is at version ${current} now, not ${expected}; review the draft again`,
      zh: `分类方案 ${key} 当前已是第 ${current} 版（不是第 ${expected} 版），请重新检查草稿`,
    },
    { currentVersion: current },
  );
}

export function noSchemeDraft(key: string): KeleiError {
  return new KeleiError('NotFound', {
    en: `scheme ${key} has no draft; save one with PUT /api/v1/schemes/${key}/draft`,
    zh: `分类方案 ${key} 没有草稿，请先保存草稿`,
  });
}

export type SchemeIssue = { path: string; message: string };

/** A definition that breaks the scheme schema; `issues` say where, the message names the first. */
export function invalidScheme(options: { issues: readonly SchemeIssue[]; fallback?: string }): KeleiError {
  const first = options.issues[0];
  const where = first ? `${first.path || '(root)'}: ${first.message}` : (options.fallback ?? '');
  return new KeleiError(
    'InvalidScheme',
    { en: `invalid scheme definition — ${where}`, zh: `分类方案定义不合法——${where}` },
    options.issues,
  );
}

export function duplicateClassKey(classKey: string): KeleiError {
  return new KeleiError(
    'InvalidScheme',
    { en: `class key "${classKey}" appears twice`, zh: `类别键“${classKey}”重复` },
    [{ path: 'classes', message: `duplicate class key ${classKey}` }],
  );
}

export function schemeKeyMismatch(options: { key: string; definitionKey: string }): KeleiError {
  const { key, definitionKey } = options;
  return new KeleiError(
    'InvalidScheme',
    {
      en: `the definition's key "${definitionKey}" differs from the scheme "${key}"`,
      zh: `定义中的键“${definitionKey}”与分类方案“${key}”不一致`,
    },
    [{ path: 'definition.key', message: `expected ${key}` }],
  );
}
