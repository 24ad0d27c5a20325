import type { Expr, RuleParams } from './rule.ast.ts';
import { checkRule } from './rule.checker.ts';
import type { RuleError } from './rule.errors.ts';
import { parseRule } from './rule.parser.ts';

export type CompileResult = { ok: true; ast: Expr } | { ok: false; error: RuleError };

/**
 * Parses and type-checks rule text in one step; the AST it returns is what
 * `evaluateRule`, `printRule` and `ruleToSql` take:
 * `compileRule('累计消费金额 >= $min', { params: { min: 10000 } })`.
 */
export function compileRule(text: string, options: { params?: RuleParams } = {}): CompileResult {
  const parsed = parseRule(text);
  return parsed.ok ? checkRule(parsed.ast, options) : parsed;
}
