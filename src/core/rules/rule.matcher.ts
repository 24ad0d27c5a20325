import { findField } from '../fields.ts';
import { type CompareOp, type Expr, positionOf, statKey, type ValueType } from './rule.ast.ts';
import type { RuleContext, RuleValue } from './rule.context.ts';
import { ruleFailure } from './rule.errors.ts';

type ValueFn = (ctx: RuleContext) => RuleValue;
type TruthFn = (ctx: RuleContext) => boolean | null;

/**
 * The rule compiled to closures: the result `evaluateRule` reports, without
 * building a trace, for classifying whole populations. Semantics are those of the
 * traced evaluator (SQL three-valued logic); the agreement tests hold both to it.
 */
export function ruleMatcher(ast: Expr): TruthFn {
  let fn = compiled.get(ast);
  if (!fn) {
    fn = truth(ast);
    compiled.set(ast, fn);
  }
  return fn;
}

const compiled = new WeakMap<Expr, TruthFn>();

/** Orders two non-null values of one category: numbers numerically, dates ('YYYY-MM-DD') as text. */
export function order(a: number | string | boolean, b: number | string | boolean): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  const s = String(a);
  const t = String(b);
  return s < t ? -1 : s > t ? 1 : 0;
}

export function compareValues(op: CompareOp, a: RuleValue, b: RuleValue): boolean | null {
  if (a === null || b === null) return null;
  switch (op) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return order(a, b) < 0;
    case '<=':
      return order(a, b) <= 0;
    case '>':
      return order(a, b) > 0;
    case '>=':
      return order(a, b) >= 0;
  }
}

function truth(e: Expr): TruthFn {
  switch (e.kind) {
    case 'and': {
      const args = e.args.map(truth);
      return (ctx) => {
        let unknown = false;
        for (const f of args) {
          const r = f(ctx);
          if (r === false) return false;
          if (r === null) unknown = true;
        }
        return unknown ? null : true;
      };
    }
    case 'or': {
      const args = e.args.map(truth);
      return (ctx) => {
        let unknown = false;
        for (const f of args) {
          const r = f(ctx);
          if (r === true) return true;
          if (r === null) unknown = true;
        }
        return unknown ? null : false;
      };
    }
    case 'not': {
      const arg = truth(e.arg);
      return (ctx) => {
        const r = arg(ctx);
        return r === null ? null : !r;
      };
    }
    case 'compare': {
      const { op } = e;
      const left = value(e.left);
      const right = value(e.right);
      return (ctx) => compareValues(op, left(ctx), right(ctx));
    }
    case 'in': {
      const arg = value(e.arg);
      const list = e.list.map(value);
      const negated = e.negated;
      return (ctx) => {
        const x = arg(ctx);
        let unknown = x === null;
        if (!unknown) {
          for (const item of list) {
            const v = item(ctx);
            if (v === null) unknown = true;
            else if (v === x) return !negated;
          }
        }
        return unknown ? null : negated;
      };
    }
    case 'between': {
      const arg = value(e.arg);
      const low = value(e.low);
      const high = value(e.high);
      const negated = e.negated;
      return (ctx) => {
        const x = arg(ctx);
        const lo = compareValues('>=', x, low(ctx));
        const hi = compareValues('<=', x, high(ctx));
        const inside = lo === false || hi === false ? false : lo === null || hi === null ? null : true;
        return inside === null ? null : inside !== negated;
      };
    }
    case 'contains':
    case 'starts_with': {
      const left = value(e.left);
      const right = value(e.right);
      const contains = e.kind === 'contains';
      return (ctx) => {
        const a = left(ctx);
        const b = right(ctx);
        if (a === null || b === null) return null;
        return contains ? String(a).includes(String(b)) : String(a).startsWith(String(b));
      };
    }
    case 'is_null': {
      const arg = value(e.arg);
      const negated = e.negated;
      return (ctx) => (arg(ctx) === null) !== negated;
    }
    case 'has_tag': {
      const { tag } = e;
      return (ctx) => ctx.tags?.has(tag) ?? false;
    }
    default: {
      // A boolean literal, parameter or field used as a condition.
      const v = value(e);
      return (ctx) => {
        const x = v(ctx);
        return x === null ? null : Boolean(x);
      };
    }
  }
}

function value(e: Expr): ValueFn {
  switch (e.kind) {
    case 'number':
    case 'string':
    case 'boolean':
    case 'date': {
      const v = e.value;
      return () => v;
    }
    case 'param': {
      const { name, asDate } = e;
      const pos = positionOf(e);
      return (ctx) => {
        const params = ctx.params ?? {};
        const v = Object.hasOwn(params, name) ? params[name] : undefined;
        if (v === undefined) {
          throw ruleFailure({
            code: 'UnknownParam',
            pos,
            zh: `未提供参数 $${name}`,
            en: `No value for parameter $${name}`,
          });
        }
        return asDate ? String(v) : v;
      };
    }
    case 'field': {
      const f = findField(e.key);
      if (!f)
        throw ruleFailure({ code: 'UnknownField', zh: `未知字段“${e.key}”`, en: `Unknown field "${e.key}"` });
      const { key, type } = f;
      return (ctx) => fieldValue(type, ctx.row[key]);
    }
    case 'stat': {
      const key = statKey(e.stat);
      const pos = positionOf(e);
      return (ctx) => {
        const v = Object.hasOwn(ctx.stats, key) ? ctx.stats[key] : undefined;
        if (v === undefined) {
          throw ruleFailure({
            code: 'MissingStat',
            pos,
            zh: `缺少总体统计值 ${key}`,
            en: `Population statistic ${key} was not computed`,
          });
        }
        return v;
      };
    }
    case 'neg': {
      const arg = value(e.arg);
      return (ctx) => {
        const v = arg(ctx);
        return v === null ? null : -Number(v);
      };
    }
    case 'arith': {
      const left = value(e.left);
      const right = value(e.right);
      const op = e.op;
      return (ctx) => {
        const a = left(ctx);
        const b = right(ctx);
        if (a === null || b === null) return null;
        return arithmetic(op, Number(a), Number(b));
      };
    }
    default: {
      const t = truth(e);
      return (ctx) => t(ctx);
    }
  }
}

/** Double arithmetic; division by zero is unknown, as SQL's `a / nullif(b, 0)`. */
export function arithmetic(op: '+' | '-' | '*' | '/', x: number, y: number): number | null {
  switch (op) {
    case '+':
      return x + y;
    case '-':
      return x - y;
    case '*':
      return x * y;
    case '/':
      return y === 0 ? null : x / y;
  }
}

/** Converts a raw database value of a field to its language value (fen → yuan, 0/1 → boolean). */
export function fieldValue(type: ValueType, raw: number | string | boolean | null | undefined): RuleValue {
  if (raw === null || raw === undefined) return null;
  switch (type) {
    case 'money':
    case 'number': {
      const n = typeof raw === 'number' ? raw : Number(raw);
      if (!Number.isFinite(n)) return null;
      return type === 'money' ? n / 100 : n;
    }
    case 'boolean':
      return typeof raw === 'boolean' ? raw : Number(raw) !== 0;
    case 'date':
      return String(raw).slice(0, 10);
    case 'string':
      return String(raw);
  }
}
