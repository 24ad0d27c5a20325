import { findField } from '../fields.ts';
import {
  type CompareOp,
  type Expr,
  positionOf,
  type RuleParams,
  type RuleParamValue,
  setPosition,
  type ValueType,
} from './rule.ast.ts';
import { nearestName, RuleAbort, type RuleError, TYPE_NAMES } from './rule.errors.ts';
import { isValidDate } from './rule.parser.ts';
import { printForDisplay } from './rule.printer.ts';

export type CheckOptions = { params?: RuleParams };

export type CheckResult = { ok: true; ast: Expr } | { ok: false; error: RuleError };

/**
 * Type-checks a parsed rule against the field registry and the parameters, and
 * returns the AST the back ends run: string literals (and string parameters)
 * compared with a date become dates. A rule must be a condition.
 */
export function checkRule(ast: Expr, options: CheckOptions = {}): CheckResult {
  try {
    const checked = new Checker(options.params ?? {}).check(ast);
    if (checked.type !== 'boolean') {
      throw new RuleAbort({
        code: 'TypeMismatch',
        pos: positionOf(ast),
        zh: `规则必须是条件（结果为真/假），而这里是${TYPE_NAMES[checked.type].zh}；例如：累计消费金额 >= 10000`,
        en: `A rule must be a condition (true/false), not a ${TYPE_NAMES[checked.type].en}; e.g. total_amount >= 10000`,
      });
    }
    return { ok: true, ast: checked.expr };
  } catch (e) {
    if (e instanceof RuleAbort) return { ok: false, error: e.error };
    throw e;
  }
}

/** number and money compare and compute together. */
type Category = 'numeric' | 'string' | 'date' | 'boolean';

function categoryOf(t: ValueType): Category {
  return t === 'number' || t === 'money' ? 'numeric' : t;
}

/** Result type of arithmetic, for display only (money is shown with two decimals). */
export function arithmeticType(op: '+' | '-' | '*' | '/', left: ValueType, right: ValueType): ValueType {
  const lm = left === 'money';
  const rm = right === 'money';
  if (op === '+' || op === '-') return lm || rm ? 'money' : 'number';
  if (op === '*') return lm !== rm ? 'money' : 'number';
  return lm && !rm ? 'money' : 'number';
}

/** The language type of a parameter value, or undefined when the value cannot be used. */
export function paramType(value: RuleParamValue | undefined): ValueType | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? 'number' : undefined;
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  return undefined;
}

type Typed = { expr: Expr; type: ValueType };

const ORDERING: ReadonlySet<CompareOp> = new Set(['<', '<=', '>', '>=']);

class Checker {
  constructor(private readonly params: RuleParams) {}

  check(e: Expr): Typed {
    const pos = positionOf(e);
    const at = <T extends Expr>(node: T): T => setPosition(node, pos);
    switch (e.kind) {
      case 'number':
        if (!Number.isFinite(e.value)) {
          throw new RuleAbort({
            code: 'InvalidLiteral',
            pos,
            zh: '数值超出范围',
            en: 'Number out of range',
          });
        }
        return { expr: e, type: 'number' };
      case 'string':
        return { expr: e, type: 'string' };
      case 'boolean':
        return { expr: e, type: 'boolean' };
      case 'date':
        if (!isValidDate(e.value)) throw this.badDate(e.value, e);
        return { expr: e, type: 'date' };
      case 'param': {
        const value = Object.hasOwn(this.params, e.name) ? this.params[e.name] : undefined;
        if (value === undefined) {
          const suggestion = nearestName(e.name, Object.keys(this.params));
          throw new RuleAbort({
            code: 'UnknownParam',
            pos,
            zh: `未提供参数 $${e.name}${suggestion ? `，是否要写 $${suggestion}？` : ''}`,
            en: `No value for parameter $${e.name}${suggestion ? `; did you mean $${suggestion}?` : ''}`,
            suggestion,
          });
        }
        const type = paramType(value);
        if (type === undefined) {
          throw new RuleAbort({
            code: 'InvalidLiteral',
            pos,
            zh: `参数 $${e.name} 的值无效`,
            en: `Parameter $${e.name} has an unusable value`,
          });
        }
        if (e.asDate) {
          if (typeof value !== 'string' || !isValidDate(value)) throw this.badDate(String(value), e);
          return { expr: e, type: 'date' };
        }
        return { expr: e, type };
      }
      case 'field': {
        const f = findField(e.key);
        if (!f) {
          throw new RuleAbort({
            code: 'UnknownField',
            pos,
            zh: `未知字段“${e.key}”`,
            en: `Unknown field "${e.key}"`,
          });
        }
        return { expr: e, type: f.type };
      }
      case 'stat': {
        const f = findField(e.stat.field);
        if (!f || categoryOf(f.type) !== 'numeric') {
          const name = f ? f.zh : e.stat.field;
          throw new RuleAbort({
            code: f ? 'TypeMismatch' : 'UnknownField',
            pos,
            zh: `${e.stat.kind}() 只能用于数值或金额字段，“${name}”不是`,
            en: `${e.stat.kind}() needs a number or money field; "${f ? f.en : e.stat.field}" is not one`,
          });
        }
        return { expr: e, type: f.type };
      }
      case 'has_tag':
        return { expr: e, type: 'boolean' };
      case 'neg': {
        const arg = this.numeric(this.check(e.arg), e);
        return { expr: at({ kind: 'neg', arg: arg.expr }), type: arg.type };
      }
      case 'arith': {
        const left = this.numeric(this.check(e.left), e);
        const right = this.numeric(this.check(e.right), e);
        return {
          expr: at({ kind: 'arith', op: e.op, left: left.expr, right: right.expr }),
          type: arithmeticType(e.op, left.type, right.type),
        };
      }
      case 'compare': {
        const allowed: Category[] = ORDERING.has(e.op)
          ? ['numeric', 'date']
          : ['numeric', 'string', 'date', 'boolean'];
        const [left, right] = this.operands([e.left, e.right], allowed, e, e.op);
        return { expr: at({ kind: 'compare', op: e.op, left, right }), type: 'boolean' };
      }
      case 'in': {
        const [arg, ...list] = this.operands(
          [e.arg, ...e.list],
          ['numeric', 'string', 'date'],
          e,
          e.negated ? 'not in' : 'in',
        );
        return { expr: at({ kind: 'in', negated: e.negated, arg, list }), type: 'boolean' };
      }
      case 'between': {
        const [arg, low, high] = this.operands([e.arg, e.low, e.high], ['numeric', 'date'], e, 'between');
        return { expr: at({ kind: 'between', negated: e.negated, arg, low, high }), type: 'boolean' };
      }
      case 'contains':
      case 'starts_with': {
        const [left, right] = this.operands([e.left, e.right], ['string'], e, e.kind);
        return { expr: at({ kind: e.kind, left, right }), type: 'boolean' };
      }
      case 'is_null': {
        const arg = this.check(e.arg);
        return { expr: at({ kind: 'is_null', negated: e.negated, arg: arg.expr }), type: 'boolean' };
      }
      case 'not': {
        const arg = this.condition(this.check(e.arg), e);
        return { expr: at({ kind: 'not', arg: arg.expr }), type: 'boolean' };
      }
      case 'and':
      case 'or': {
        const args = e.args.map((a) => this.condition(this.check(a), e).expr);
        return { expr: at({ kind: e.kind, args }), type: 'boolean' };
      }
    }
  }

  /** Checks the operands of one comparison-like operator, coercing strings next to a date. */
  private operands(exprs: readonly Expr[], allowed: Category[], node: Expr, op: string): Expr[] {
    let typed = exprs.map((x) => this.check(x));
    if (typed.some((t) => t.type === 'date')) typed = typed.map((t) => this.asDate(t));
    const first = typed[0];
    const category = categoryOf(first.type);
    const other = typed.find((t) => categoryOf(t.type) !== category);
    if (other) {
      throw new RuleAbort({
        code: 'TypeMismatch',
        pos: positionOf(node),
        zh: `无法比较 ${this.describe(first, 'zh')} 与 ${this.describe(other, 'zh')}`,
        en: `Cannot compare ${this.describe(first, 'en')} with ${this.describe(other, 'en')}`,
      });
    }
    if (!allowed.includes(category)) {
      const usable: Record<Category, { zh: string; en: string }> = {
        numeric: { zh: '= != < <= > >= in between', en: '= != < <= > >= in between' },
        string: { zh: '= != in contains starts_with', en: '= != in contains starts_with' },
        date: { zh: '= != < <= > >= in between', en: '= != < <= > >= in between' },
        boolean: { zh: '= != and or not', en: '= != and or not' },
      };
      throw new RuleAbort({
        code: 'TypeMismatch',
        pos: positionOf(node),
        zh: `“${op}”不能用于${TYPE_NAMES[first.type].zh}（${this.describe(first, 'zh')}）；可用：${usable[category].zh}`,
        en: `"${op}" does not apply to ${TYPE_NAMES[first.type].en} (${this.describe(first, 'en')}); use ${usable[category].en}`,
      });
    }
    return typed.map((t) => t.expr);
  }

  /** A 'YYYY-MM-DD' string literal or string parameter next to a date is a date. */
  private asDate(t: Typed): Typed {
    if (t.type !== 'string') return t;
    const pos = positionOf(t.expr);
    if (t.expr.kind === 'string') {
      if (!isValidDate(t.expr.value)) throw this.badDate(t.expr.value, t.expr);
      return { expr: setPosition({ kind: 'date', value: t.expr.value }, pos), type: 'date' };
    }
    if (t.expr.kind === 'param') {
      const value = this.params[t.expr.name];
      if (typeof value !== 'string' || !isValidDate(value)) throw this.badDate(String(value), t.expr);
      return { expr: setPosition({ ...t.expr, asDate: true }, pos), type: 'date' };
    }
    return t;
  }

  private numeric(t: Typed, node: Expr): Typed {
    if (categoryOf(t.type) === 'numeric') return t;
    throw new RuleAbort({
      code: 'TypeMismatch',
      pos: positionOf(node),
      zh: `算术运算只能用于数值或金额，${this.describe(t, 'zh')} 不是`,
      en: `Arithmetic needs numbers or money; ${this.describe(t, 'en')} is not one`,
    });
  }

  private condition(t: Typed, node: Expr): Typed {
    if (t.type === 'boolean') return t;
    throw new RuleAbort({
      code: 'TypeMismatch',
      pos: positionOf(node),
      zh: `“${node.kind}”两边应为条件，${this.describe(t, 'zh')} 不是；是否缺少比较，例如 >= 100？`,
      en: `"${node.kind}" needs conditions; ${this.describe(t, 'en')} is not one; missing a comparison such as >= 100?`,
    });
  }

  private describe(t: Typed, locale: 'zh' | 'en'): string {
    return `${printForDisplay(t.expr, locale)} (${TYPE_NAMES[t.type][locale]})`;
  }

  private badDate(value: string, node: Expr): RuleAbort {
    return new RuleAbort({
      code: 'InvalidLiteral',
      pos: positionOf(node),
      zh: `“${value}”不是有效日期，应为 YYYY-MM-DD`,
      en: `"${value}" is not a valid date; write YYYY-MM-DD`,
    });
  }
}
