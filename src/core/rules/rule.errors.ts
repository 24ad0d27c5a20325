import { KeleiError } from '../errors.ts';
import type { Pos, ValueType } from './rule.ast.ts';

export type RuleErrorCode =
  | 'SyntaxError'
  | 'UnknownField'
  | 'UnknownFunction'
  | 'UnknownParam'
  | 'TypeMismatch'
  | 'InvalidLiteral'
  /** a population statistic was not supplied to the evaluator or the SQL compiler */
  | 'MissingStat';

export type RuleErrorInit = {
  code: RuleErrorCode;
  pos?: Pos;
  zh: string;
  en: string;
  suggestion?: string;
};

/**
 * The one error shape of the rule language, plain data so it travels to the API
 * and into logs as is. Parsing and checking return it; evaluation and SQL
 * compilation throw it inside a KeleiError('InvalidRule') when the caller forgot a
 * parameter or statistic.
 */
export type RuleError = {
  kind: 'RuleError';
  code: RuleErrorCode;
  /** 1-based; 0 when the error has no position (e.g. a statistic missing at run time) */
  line: number;
  column: number;
  message: { zh: string; en: string };
  /** nearest known name for a misspelt field, function or parameter */
  suggestion?: string;
};

export function ruleError(init: RuleErrorInit): RuleError {
  return {
    kind: 'RuleError',
    code: init.code,
    line: init.pos?.line ?? 0,
    column: init.pos?.column ?? 0,
    message: { zh: init.zh, en: init.en },
    ...(init.suggestion === undefined ? {} : { suggestion: init.suggestion }),
  };
}

/** Unwinds the recursive parser and checker; never escapes this folder's entry points. */
export class RuleAbort extends Error {
  readonly error: RuleError;

  constructor(init: RuleErrorInit) {
    const error = ruleError(init);
    super(error.line > 0 ? `${error.line}:${error.column}: ${error.message.en}` : error.message.en);
    this.error = error;
  }
}

/** What evaluation and SQL compilation throw: the Kelei error with the rule error as details. */
export function ruleFailure(init: RuleErrorInit): KeleiError {
  const error = ruleError(init);
  return new KeleiError('InvalidRule', error.message, error);
}

export const TYPE_NAMES: Record<ValueType, { zh: string; en: string }> = {
  number: { zh: '数值', en: 'number' },
  money: { zh: '金额', en: 'money' },
  string: { zh: '文本', en: 'text' },
  date: { zh: '日期', en: 'date' },
  boolean: { zh: '布尔', en: 'boolean' },
};

/** Edit distance (insert, delete, substitute), over UTF-16 code units. */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
    }
    prev = cur;
  }
  return prev[b.length];
}

/**
 * The candidate closest to `name` (case-insensitive), if it is close enough to be a
 * plausible typo: `nearestName('totl_amount', names) === 'total_amount'`.
 */
export function nearestName(name: string, candidates: Iterable<string>): string | undefined {
  const target = name.toLowerCase();
  // About one edit in three characters; at least one so short names get suggestions too.
  const limit = Math.max(1, Math.round(target.length * 0.4));
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const d = levenshtein(target, c.toLowerCase());
    if (d < bestDistance || (d === bestDistance && best !== undefined && c.length < best.length)) {
      best = c;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : undefined;
}
