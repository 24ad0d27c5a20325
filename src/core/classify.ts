import {
  collectStatRefs,
  compileRule,
  computeStats,
  type Expr,
  evaluateRule,
  explainTrace,
  RULE_HOLDS,
  type RuleError,
  type RuleRow,
  type RuleTrace,
  ruleMatcher,
  type StatRef,
  type StatValues,
  statKey,
  type VectorInput,
  vectorRule,
} from './rules/index.ts';
import type { ClassDefinition, SchemeDefinition } from './schemes/scheme.ts';

/** Key given to a customer whom no class of the scheme matches. */
export const UNCLASSIFIED = 'unclassified';

export type CompiledClass = { def: ClassDefinition; ast: Expr };

export type CompiledScheme = {
  definition: SchemeDefinition;
  classes: CompiledClass[];
  statRefs: StatRef[];
};

export type SchemeCompileError = { classKey: string; error: RuleError };

/** Parses and type-checks every class rule of a scheme; all errors are returned at once. */
export function compileScheme(
  definition: SchemeDefinition,
): { ok: true; scheme: CompiledScheme } | { ok: false; errors: SchemeCompileError[] } {
  const classes: CompiledClass[] = [];
  const errors: SchemeCompileError[] = [];
  const keys = new Set<string>();
  for (const def of definition.classes) {
    if (keys.has(def.key)) throw new Error(`duplicate class key ${def.key}`);
    keys.add(def.key);
    const compiled = compileRule(def.rule, { params: definition.params ?? {} });
    if (compiled.ok) classes.push({ def, ast: compiled.ast });
    else errors.push({ classKey: def.key, error: compiled.error });
  }
  if (errors.length > 0) return { ok: false, errors };
  const seen = new Map<string, StatRef>();
  for (const c of classes) for (const ref of collectStatRefs(c.ast)) seen.set(statKey(ref), ref);
  return { ok: true, scheme: { definition, classes, statRefs: [...seen.values()] } };
}

export type ClassifyInput = {
  rows: readonly RuleRow[];
  /** tag names per row, for has_tag(); omitted when no rule uses tags */
  tags?: (index: number) => ReadonlySet<string> | undefined;
};

/**
 * The class of every row under `scheme`, first matching class wins, with the
 * population statistics the rules used (stored with the run, so explanations can be
 * reproduced later).
 */
export function classifyPopulation(
  scheme: CompiledScheme,
  input: ClassifyInput,
): { classKeys: string[]; stats: StatValues } {
  const stats = computeStats(scheme.statRefs, input.rows);
  const classKeys = input.rows.map((row, i) => classifyOne(scheme, { row, stats, tags: input.tags?.(i) }));
  return { classKeys, stats };
}

/** The class of one row (first matching class wins) given the population statistics. */
export function classifyOne(
  scheme: CompiledScheme,
  options: { row: RuleRow; stats: StatValues; tags?: ReadonlySet<string> },
): string {
  const params = scheme.definition.params ?? {};
  const context = { row: options.row, stats: options.stats, params, tags: options.tags };
  for (const c of scheme.classes) {
    if (ruleMatcher(c.ast)(context) === true) return c.def.key;
  }
  return UNCLASSIFIED;
}

/**
 * The class of every row of a population held in columns, rules evaluated a column at
 * a time: `classes[i]` indexes `scheme.classes`, and `scheme.classes.length` stands for
 * {@link UNCLASSIFIED}. The same classes as {@link classifyOne} row by row; undefined when
 * a rule needs the row-by-row evaluator (see `vectorRule`).
 */
export function classifyColumns(scheme: CompiledScheme, input: VectorInput): Uint16Array | undefined {
  const params = scheme.definition.params ?? {};
  const unclassified = scheme.classes.length;
  if (unclassified >= 0xffff) return undefined;
  const vectors = scheme.classes.map((c) => vectorRule(c.ast, { params }));
  if (vectors.some((v) => v === undefined)) return undefined;
  const classes = new Uint16Array(input.size).fill(unclassified);
  let left = input.size;
  for (const [k, vector] of vectors.entries()) {
    if (left === 0) break;
    const truths = vector?.evaluate(input);
    if (!truths) return undefined;
    for (let i = 0; i < input.size; i++) {
      if (classes[i] === unclassified && truths[i] === RULE_HOLDS) {
        classes[i] = k;
        left--;
      }
    }
  }
  return classes;
}

export type ClassStep = {
  classKey: string;
  name: { zh: string; en: string };
  rule: string;
  result: boolean | null;
  trace: RuleTrace;
  lines: { zh: string[]; en: string[] };
};

export type Explanation = {
  classKey: string;
  name: { zh: string; en: string };
  /** every class tried in order up to and including the one that matched */
  steps: ClassStep[];
};

/** Why a customer is in their class: each rule tried, with actual values. */
export function explainClass(
  scheme: CompiledScheme,
  options: { row: RuleRow; stats: StatValues; tags?: ReadonlySet<string> },
): Explanation {
  const params = scheme.definition.params ?? {};
  const steps: ClassStep[] = [];
  for (const c of scheme.classes) {
    const { result, trace } = evaluateRule(c.ast, {
      row: options.row,
      stats: options.stats,
      params,
      tags: options.tags,
    });
    steps.push({
      classKey: c.def.key,
      name: c.def.name,
      rule: c.def.rule,
      result,
      trace,
      lines: { zh: explainTrace(trace, 'zh'), en: explainTrace(trace, 'en') },
    });
    if (result === true) return { classKey: c.def.key, name: c.def.name, steps };
  }
  return { classKey: UNCLASSIFIED, name: { zh: '未分类', en: 'Unclassified' }, steps };
}
