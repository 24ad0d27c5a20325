import { findField } from '../fields.ts';
import { type Expr, positionOf, statKey, type ValueType } from './rule.ast.ts';
import { arithmeticType } from './rule.checker.ts';
import type { RuleContext, RuleValue } from './rule.context.ts';
import { ruleFailure } from './rule.errors.ts';
import { arithmetic, compareValues, fieldValue, ruleMatcher } from './rule.matcher.ts';
import { printRule } from './rule.printer.ts';

export type { RuleContext, RuleRow, RuleValue } from './rule.context.ts';

export type TraceOperand = {
  /** the operand as written, with field keys */
  text: string;
  expr: Expr;
  value: RuleValue;
  type: ValueType;
};

/**
 * Why a rule held or not, mirroring the AST: one node per condition with its
 * printed text, the actual operand values and its result. `and` / `or` / `not`
 * have `children`; comparisons and other leaves have `operands`.
 */
export type RuleTrace = {
  expr: Expr;
  text: string;
  result: boolean | null;
  operands: TraceOperand[];
  children: RuleTrace[];
};

/** The trace type under the name other layers use. */
export type Trace = RuleTrace;

export type Evaluation = {
  /** SQL three-valued result; null (unknown) counts as not matched */
  result: boolean | null;
  matched: boolean;
  trace: RuleTrace;
};

type Typed = { value: RuleValue; type: ValueType };

/**
 * Evaluates a checked rule for one customer with SQL semantics (nulls propagate,
 * Kleene and/or/not), so it agrees with `ruleToSql`:
 * `evaluateRule(ast, { row, stats }).matched`. The result comes from the compiled
 * matcher; the trace is built on first access, so classifying a population does
 * not pay for explanations nobody reads (read it before mutating `ctx.row`).
 */
export function evaluateRule(ast: Expr, ctx: RuleContext): Evaluation {
  return new LazyEvaluation(ast, ctx, ruleMatcher(ast)(ctx));
}

class LazyEvaluation implements Evaluation {
  readonly matched: boolean;
  #trace: RuleTrace | undefined;

  constructor(
    private readonly ast: Expr,
    private readonly ctx: RuleContext,
    readonly result: boolean | null,
  ) {
    this.matched = result === true;
  }

  get trace(): RuleTrace {
    this.#trace ??= new Evaluator(this.ctx).condition(this.ast);
    return this.#trace;
  }

  toJSON(): { result: boolean | null; matched: boolean; trace: RuleTrace } {
    return { result: this.result, matched: this.matched, trace: this.trace };
  }
}

/** Kleene conjunction over SQL truth values. */
export function and3(values: ReadonlyArray<boolean | null>): boolean | null {
  if (values.includes(false)) return false;
  return values.includes(null) ? null : true;
}

/** Kleene disjunction over SQL truth values. */
export function or3(values: ReadonlyArray<boolean | null>): boolean | null {
  if (values.includes(true)) return true;
  return values.includes(null) ? null : false;
}

function not3(v: boolean | null): boolean | null {
  return v === null ? null : !v;
}

// Printing is the costly part of a trace; a rule's nodes are printed once, not once per customer.
const printed = new WeakMap<Expr, string>();
function textOf(e: Expr): string {
  let text = printed.get(e);
  if (text === undefined) {
    text = printRule(e);
    printed.set(e, text);
  }
  return text;
}

// A module function rather than a closure per call: tsx/esbuild wraps every named closure in a costly __name().
function node(
  e: Expr,
  result: boolean | null,
  operands: TraceOperand[] = [],
  children: RuleTrace[] = [],
): RuleTrace {
  return { expr: e, text: textOf(e), result, operands, children };
}

class Evaluator {
  constructor(private readonly ctx: RuleContext) {}

  condition(e: Expr): RuleTrace {
    switch (e.kind) {
      case 'and':
      case 'or': {
        // Every branch is evaluated (no short circuit) so the trace shows all of them.
        const children = e.args.map((a) => this.condition(a));
        const results = children.map((c) => c.result);
        return node(e, e.kind === 'and' ? and3(results) : or3(results), [], children);
      }
      case 'not': {
        const child = this.condition(e.arg);
        return node(e, not3(child.result), [], [child]);
      }
      case 'compare': {
        const [a, b] = this.operands([e.left, e.right]);
        return node(e, compareValues(e.op, a.value, b.value), [a, b]);
      }
      case 'in': {
        const [x, ...list] = this.operands([e.arg, ...e.list]);
        const found = or3(list.map((item) => compareValues('=', x.value, item.value)));
        return node(e, e.negated ? not3(found) : found, [x, ...list]);
      }
      case 'between': {
        const [x, low, high] = this.operands([e.arg, e.low, e.high]);
        const inside = and3([
          compareValues('>=', x.value, low.value),
          compareValues('<=', x.value, high.value),
        ]);
        return node(e, e.negated ? not3(inside) : inside, [x, low, high]);
      }
      case 'contains':
      case 'starts_with': {
        const [a, b] = this.operands([e.left, e.right]);
        if (a.value === null || b.value === null) return node(e, null, [a, b]);
        const s = String(a.value);
        const t = String(b.value);
        return node(e, e.kind === 'contains' ? s.includes(t) : s.startsWith(t), [a, b]);
      }
      case 'is_null': {
        const [x] = this.operands([e.arg]);
        const isNull = x.value === null;
        return node(e, e.negated ? !isNull : isNull, [x]);
      }
      case 'has_tag':
        return node(e, this.ctx.tags?.has(e.tag) ?? false);
      default: {
        // A boolean literal, parameter or field used as a condition.
        const [x] = this.operands([e]);
        return node(e, x.value === null ? null : Boolean(x.value), [x]);
      }
    }
  }

  private operands(exprs: readonly Expr[]): TraceOperand[] {
    return exprs.map((x) => {
      const { value, type } = this.value(x);
      return { text: textOf(x), expr: x, value, type };
    });
  }

  value(e: Expr): Typed {
    switch (e.kind) {
      case 'number':
        return { value: e.value, type: 'number' };
      case 'string':
        return { value: e.value, type: 'string' };
      case 'boolean':
        return { value: e.value, type: 'boolean' };
      case 'date':
        return { value: e.value, type: 'date' };
      case 'param': {
        const params = this.ctx.params ?? {};
        const v = Object.hasOwn(params, e.name) ? params[e.name] : undefined;
        if (v === undefined) {
          throw ruleFailure({
            code: 'UnknownParam',
            pos: positionOf(e),
            zh: `未提供参数 $${e.name}`,
            en: `No value for parameter $${e.name}`,
          });
        }
        if (e.asDate) return { value: String(v), type: 'date' };
        return {
          value: v,
          type: typeof v === 'number' ? 'number' : typeof v === 'string' ? 'string' : 'boolean',
        };
      }
      case 'field': {
        const f = findField(e.key);
        if (!f)
          throw ruleFailure({
            code: 'UnknownField',
            zh: `未知字段“${e.key}”`,
            en: `Unknown field "${e.key}"`,
          });
        return { value: fieldValue(f.type, this.ctx.row[f.key]), type: f.type };
      }
      case 'stat': {
        const key = statKey(e.stat);
        const v = Object.hasOwn(this.ctx.stats, key) ? this.ctx.stats[key] : undefined;
        if (v === undefined) {
          throw ruleFailure({
            code: 'MissingStat',
            pos: positionOf(e),
            zh: `缺少总体统计值 ${key}`,
            en: `Population statistic ${key} was not computed`,
          });
        }
        return { value: v, type: findField(e.stat.field)?.type ?? 'number' };
      }
      case 'neg': {
        const a = this.value(e.arg);
        return { value: a.value === null ? null : -Number(a.value), type: a.type };
      }
      case 'arith': {
        const a = this.value(e.left);
        const b = this.value(e.right);
        const type = arithmeticType(e.op, a.type, b.type);
        if (a.value === null || b.value === null) return { value: null, type };
        return { value: arithmetic(e.op, Number(a.value), Number(b.value)), type };
      }
      default:
        return { value: this.condition(e).result, type: 'boolean' };
    }
  }
}
