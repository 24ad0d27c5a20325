import { type CompiledScheme, compileScheme } from '../classify.ts';
import { KeleiError } from '../errors.ts';
import { duplicateClassKey, invalidScheme, schemeKeyMismatch } from './scheme.errors.ts';
import { type SchemeDefinition, schemeDefinitionSchema } from './scheme.ts';

/**
 * The one check of a scheme definition before it is stored or previewed, for the API,
 * the CLI and the services alike: class keys are unique and every rule parses and
 * type-checks. Throws InvalidScheme (duplicate key) or InvalidRule (every rule error in
 * the details, with class, line and column; the message names the first).
 */
export function checkSchemeDefinition(definition: SchemeDefinition): SchemeDefinition {
  compileCheckedScheme(definition);
  return definition;
}

/** {@link checkSchemeDefinition}, returning the compiled scheme for a caller about to classify with it. */
export function compileCheckedScheme(definition: SchemeDefinition): CompiledScheme {
  const seen = new Set<string>();
  for (const c of definition.classes) {
    if (seen.has(c.key)) throw duplicateClassKey(c.key);
    seen.add(c.key);
  }
  const compiled = compileScheme(definition);
  if (compiled.ok) return compiled.scheme;
  const details = compiled.errors.map((e) => ({
    classKey: e.classKey,
    code: e.error.code,
    line: e.error.line,
    column: e.error.column,
    message: e.error.message,
    ...(e.error.suggestion === undefined ? {} : { suggestion: e.error.suggestion }),
  }));
  const first = details[0];
  throw new KeleiError(
    'InvalidRule',
    {
      en: `class ${first.classKey}, line ${first.line}, column ${first.column}: ${first.message.en}`,
      zh: `类别 ${first.classKey} 第 ${first.line} 行第 ${first.column} 列：${first.message.zh}`,
    },
    details,
  );
}

/**
 * A definition from outside (a file, a request body): checked against the scheme schema
 * (InvalidScheme with the path of every issue), then by {@link checkSchemeDefinition}.
 */
export function parseSchemeDefinition(raw: unknown): SchemeDefinition {
  const parsed = schemeDefinitionSchema.safeParse(raw);
  if (!parsed.success) {
    throw invalidScheme({
      issues: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    });
  }
  return checkSchemeDefinition(parsed.data);
}

/** A definition saved or previewed under a scheme must carry that scheme's key. */
export function assertSchemeKey(key: string, definition: SchemeDefinition): void {
  if (definition.key !== key) throw schemeKeyMismatch({ key, definitionKey: definition.key });
}
