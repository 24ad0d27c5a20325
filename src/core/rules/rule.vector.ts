import { findField } from '../fields.ts';
import { type CompareOp, type Expr, type RuleParams, type StatValues, statKey } from './rule.ast.ts';
import { compareValues } from './rule.matcher.ts';

/**
 * A rule evaluated a column at a time over a whole population held in typed arrays,
 * for answering list filters from memory. The semantics are those of `ruleMatcher`
 * (SQL three-valued logic) and the agreement tests hold the two together; where a rule
 * needs something this form does not do exactly (ordering text, whose result depends on
 * the database's collation; a text or number used as a condition by itself),
 * `vectorRule` declines and the caller asks the database instead.
 */

/** Truth per row: 0 false, 1 unknown, 2 true, so `and` is the least, `or` the greatest, `not` is 2 − x. */
export type Truths = Uint8Array;
const FALSE = 0;
const UNKNOWN = 1;
const TRUE = 2;
/** The truth of a row where the rule holds. */
export const RULE_HOLDS = TRUE;

/**
 * A field's language values for every row: numbers (money in yuan) with NaN for null;
 * strings and dates as codes into a dictionary, −1 for null; booleans as truths.
 */
export type VectorColumn =
  | { kind: 'number'; values: Float64Array }
  | { kind: 'text'; codes: Int32Array; dict: readonly string[] }
  | { kind: 'boolean'; values: Uint8Array };

export type VectorInput = {
  size: number;
  /** the column of a field named by the rule (see `vectorRule(...).fields`) */
  column(key: string): VectorColumn;
  /** population statistics by `statKey`, money in yuan */
  stats: StatValues;
  /** who carries a tag, as truths (true or false, never unknown: `has_tag` is never null) */
  tag(name: string): Truths;
};

export type VectorRule = {
  /** field keys whose columns the rule reads */
  fields: readonly string[];
  /** statistics the rule reads, by `statKey` */
  stats: readonly string[];
  /** tag names the rule tests */
  tags: readonly string[];
  /** the truth of the rule for every row; undefined when a value's type needs the database after all */
  evaluate(input: VectorInput): Truths | undefined;
};

type Scalar = number | string | boolean | null;
type Node =
  | { t: 'num'; f: (i: VectorInput) => Float64Array }
  | { t: 'text'; key: string }
  | { t: 'truth'; f: (i: VectorInput) => Truths }
  | { t: 'const'; f: (i: VectorInput) => Scalar };

class Unsupported extends Error {}

/** The rule in vector form, or undefined when it needs something only the database does exactly. */
export function vectorRule(ast: Expr, options: { params?: RuleParams } = {}): VectorRule | undefined {
  const fields = new Set<string>();
  const stats = new Set<string>();
  const tags = new Set<string>();
  try {
    const node = compile(ast, { fields, stats, tags, params: options.params ?? {} });
    const truth = asTruth(node);
    const evaluate = (input: VectorInput): Truths | undefined => {
      try {
        return truth(input);
      } catch (e) {
        if (e instanceof Unsupported) return undefined;
        throw e;
      }
    };
    return { fields: [...fields], stats: [...stats], tags: [...tags], evaluate };
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
}

type Refs = { fields: Set<string>; stats: Set<string>; tags: Set<string>; params: RuleParams };

function compile(e: Expr, refs: Refs): Node {
  switch (e.kind) {
    case 'number':
    case 'string':
    case 'boolean':
    case 'date': {
      const v = e.value;
      return { t: 'const', f: () => v };
    }
    case 'param': {
      const v = Object.hasOwn(refs.params, e.name) ? refs.params[e.name] : undefined;
      if (v === undefined) throw new Unsupported();
      const value = e.asDate ? String(v) : v;
      return { t: 'const', f: () => value };
    }
    case 'has_tag': {
      const name = e.tag;
      refs.tags.add(name);
      return { t: 'truth', f: (i) => i.tag(name) };
    }
    case 'stat': {
      const key = statKey(e.stat);
      refs.stats.add(key);
      return {
        t: 'const',
        f: (i) => {
          const v = i.stats[key];
          if (v === undefined) throw new Error(`population statistic ${key} was not computed`);
          return v;
        },
      };
    }
    case 'field': {
      const def = findField(e.key);
      if (!def) throw new Unsupported();
      refs.fields.add(def.key);
      const key = def.key;
      if (def.type === 'number' || def.type === 'money') {
        return { t: 'num', f: (i) => numberColumn(i, key) };
      }
      if (def.type === 'boolean') {
        return {
          t: 'truth',
          f: (i) => {
            const c = i.column(key);
            if (c.kind !== 'boolean') throw new Error(`column ${key} is not boolean`);
            return c.values;
          },
        };
      }
      return { t: 'text', key };
    }
    case 'neg': {
      const arg = compile(e.arg, refs);
      if (arg.t === 'const') return { t: 'const', f: (i) => negate(arg.f(i)) };
      const f = asNumbers(arg);
      return {
        t: 'num',
        f: (i) => {
          const x = f(i);
          const out = new Float64Array(x.length);
          for (let k = 0; k < x.length; k++) out[k] = -(x[k] as number);
          return out;
        },
      };
    }
    case 'arith': {
      const left = compile(e.left, refs);
      const right = compile(e.right, refs);
      const op = e.op;
      if (left.t === 'const' && right.t === 'const') {
        return { t: 'const', f: (i) => scalarArith(op, left.f(i), right.f(i)) };
      }
      const a = numberOperand(left);
      const b = numberOperand(right);
      return {
        t: 'num',
        f: (i) => {
          const x = a(i);
          const y = b(i);
          const out = new Float64Array(i.size);
          for (let k = 0; k < out.length; k++) {
            const p = typeof x === 'number' ? x : (x[k] as number);
            const q = typeof y === 'number' ? y : (y[k] as number);
            out[k] =
              op === '+' ? p + q : op === '-' ? p - q : op === '*' ? p * q : q === 0 ? Number.NaN : p / q;
          }
          return out;
        },
      };
    }
    case 'compare':
      return compare(e.op, compile(e.left, refs), compile(e.right, refs));
    case 'in': {
      const arg = compile(e.arg, refs);
      const list = e.list.map((x) => compile(x, refs));
      if (list.some((x) => x.t !== 'const')) throw new Unsupported();
      const negated = e.negated;
      // The matcher's own loop over the list, applied to one value.
      const test = (x: Scalar, items: Scalar[]): number => {
        if (x === null) return UNKNOWN;
        let unknown = false;
        for (const v of items) {
          if (v === null) unknown = true;
          else if (v === x) return negated ? FALSE : TRUE;
        }
        return unknown ? UNKNOWN : negated ? TRUE : FALSE;
      };
      const itemsOf = (i: VectorInput) => list.map((x) => (x as { f: (i: VectorInput) => Scalar }).f(i));
      if (arg.t === 'text') {
        return { t: 'truth', f: (i) => byDictionary(i, arg.key, (s) => test(s, itemsOf(i))) };
      }
      if (arg.t === 'const') return constTruth((i) => test(arg.f(i), itemsOf(i)));
      const x = asNumbers(arg);
      return {
        t: 'truth',
        f: (i) => {
          const items = itemsOf(i);
          if (items.some((v) => v !== null && typeof v !== 'number')) throw new Unsupported();
          const values = x(i);
          const out = new Uint8Array(values.length);
          for (let k = 0; k < values.length; k++) {
            const v = values[k] as number;
            out[k] = test(Number.isNaN(v) ? null : v, items);
          }
          return out;
        },
      };
    }
    case 'between': {
      const arg = compile(e.arg, refs);
      const low = compile(e.low, refs);
      const high = compile(e.high, refs);
      const inside = logic('and', [compare('>=', arg, low), compare('<=', arg, high)]);
      return e.negated ? not(inside) : inside;
    }
    case 'contains':
    case 'starts_with': {
      const left = compile(e.left, refs);
      const right = compile(e.right, refs);
      if (left.t !== 'text' || right.t !== 'const') throw new Unsupported();
      const contains = e.kind === 'contains';
      return {
        t: 'truth',
        f: (i) => {
          const needle = right.f(i);
          return byDictionary(i, left.key, (s) => {
            if (s === null || needle === null) return UNKNOWN;
            const hit = contains ? s.includes(String(needle)) : s.startsWith(String(needle));
            return hit ? TRUE : FALSE;
          });
        },
      };
    }
    case 'is_null': {
      const arg = compile(e.arg, refs);
      const negated = e.negated;
      const yes = negated ? FALSE : TRUE;
      const no = negated ? TRUE : FALSE;
      if (arg.t === 'const') return constTruth((i) => (arg.f(i) === null ? yes : no));
      if (arg.t === 'text')
        return { t: 'truth', f: (i) => byDictionary(i, arg.key, (s) => (s === null ? yes : no)) };
      if (arg.t === 'truth') {
        return { t: 'truth', f: (i) => map(arg.f(i), (v) => (v === UNKNOWN ? yes : no)) };
      }
      return {
        t: 'truth',
        f: (i) => {
          const x = arg.f(i);
          const out = new Uint8Array(x.length);
          for (let k = 0; k < x.length; k++) out[k] = Number.isNaN(x[k]) ? yes : no;
          return out;
        },
      };
    }
    case 'not':
      return not(compile(e.arg, refs));
    case 'and':
    case 'or': {
      return logic(
        e.kind,
        e.args.map((x) => compile(x, refs)),
      );
    }
  }
}

function numberColumn(i: VectorInput, key: string): Float64Array {
  const c = i.column(key);
  if (c.kind !== 'number') throw new Error(`column ${key} is not numeric`);
  return c.values;
}

function negate(v: Scalar): Scalar {
  return v === null ? null : -Number(v);
}

function scalarArith(op: '+' | '-' | '*' | '/', a: Scalar, b: Scalar): Scalar {
  if (a === null || b === null) return null;
  const x = Number(a);
  const y = Number(b);
  if (op === '/') return y === 0 ? null : x / y;
  return op === '+' ? x + y : op === '-' ? x - y : x * y;
}

function asNumbers(n: Node): (i: VectorInput) => Float64Array {
  if (n.t === 'num') return n.f;
  throw new Unsupported();
}

/** A numeric operand: a column, or a constant (NaN for null). */
function numberOperand(n: Node): (i: VectorInput) => Float64Array | number {
  if (n.t === 'num') return n.f;
  if (n.t === 'const') {
    return (i) => {
      const v = n.f(i);
      if (v === null) return Number.NaN;
      if (typeof v !== 'number') throw new Unsupported();
      return v;
    };
  }
  throw new Unsupported();
}

function constTruth(f: (i: VectorInput) => number): Node {
  return { t: 'truth', f: (i) => new Uint8Array(i.size).fill(f(i)) };
}

function toTruth(v: boolean | null): number {
  return v === null ? UNKNOWN : v ? TRUE : FALSE;
}

function asTruth(n: Node): (i: VectorInput) => Truths {
  if (n.t === 'truth') return n.f;
  if (n.t === 'const') {
    return (i) => {
      const v = n.f(i);
      if (v !== null && typeof v !== 'boolean') throw new Unsupported();
      return new Uint8Array(i.size).fill(toTruth(v));
    };
  }
  // A number or text field used as a condition: rare, and left to the database.
  throw new Unsupported();
}

function map(x: Truths, f: (v: number) => number): Truths {
  const out = new Uint8Array(x.length);
  for (let k = 0; k < x.length; k++) out[k] = f(x[k] as number);
  return out;
}

function not(n: Node): Node {
  const f = asTruth(n);
  return {
    t: 'truth',
    f: (i) => {
      const x = f(i);
      const out = new Uint8Array(x.length);
      for (let k = 0; k < x.length; k++) out[k] = TRUE - (x[k] as number);
      return out;
    },
  };
}

/** `and` is the least truth of its arguments, `or` the greatest (false < unknown < true). */
function logic(kind: 'and' | 'or', nodes: readonly Node[]): Node {
  const fs = nodes.map(asTruth);
  const least = kind === 'and';
  return {
    t: 'truth',
    f: (i) => {
      // The first result may be a column itself: copy it before combining in place.
      const first = fs[0];
      const out = first ? first(i).slice() : new Uint8Array(i.size).fill(least ? TRUE : FALSE);
      for (const f of fs.slice(1)) {
        const x = f(i);
        if (least) {
          for (let k = 0; k < out.length; k++)
            if ((x[k] as number) < (out[k] as number)) out[k] = x[k] as number;
        } else {
          for (let k = 0; k < out.length; k++)
            if ((x[k] as number) > (out[k] as number)) out[k] = x[k] as number;
        }
      }
      return out;
    },
  };
}

/**
 * Dates are 'YYYY-MM-DD' text on both engines' terms, so their order is exact; other
 * text orders by the database's collation, which memory cannot copy.
 */
function textOrderIsExact(key: string): boolean {
  return findField(key)?.type === 'date';
}

/** `test` applied once per dictionary entry (and once to null), then spread over the rows. */
function byDictionary(i: VectorInput, key: string, test: (s: string | null) => number): Truths {
  const c = i.column(key);
  if (c.kind !== 'text') throw new Error(`column ${key} is not text`);
  const table = new Uint8Array(c.dict.length);
  for (let d = 0; d < c.dict.length; d++) table[d] = test(c.dict[d] as string);
  const nullTruth = test(null);
  const out = new Uint8Array(c.codes.length);
  for (let k = 0; k < out.length; k++) {
    const code = c.codes[k] as number;
    out[k] = code < 0 ? nullTruth : (table[code] as number);
  }
  return out;
}

const FLIPPED: Record<CompareOp, CompareOp> = {
  '=': '=',
  '!=': '!=',
  '<': '>',
  '<=': '>=',
  '>': '<',
  '>=': '<=',
};

function compare(op: CompareOp, left: Node, right: Node): Node {
  if (left.t === 'const' && right.t === 'const') {
    return constTruth((i) => toTruth(compareValues(op, left.f(i), right.f(i))));
  }
  if (left.t === 'const') return compare(FLIPPED[op], right, left);
  if (left.t === 'text') {
    if (right.t !== 'const') throw new Unsupported();
    if (op !== '=' && op !== '!=' && !textOrderIsExact(left.key)) throw new Unsupported();
    return {
      t: 'truth',
      f: (i) => {
        const v = right.f(i);
        if (v !== null && typeof v !== 'string') throw new Unsupported();
        return byDictionary(i, left.key, (s) => toTruth(compareValues(op, s, v)));
      },
    };
  }
  if (left.t === 'truth') {
    if (op !== '=' && op !== '!=') throw new Unsupported();
    const a = left.f;
    if (right.t === 'const') {
      return {
        t: 'truth',
        f: (i) => {
          const v = right.f(i);
          if (v !== null && typeof v !== 'boolean') throw new Unsupported();
          const x = a(i);
          if (v === null) return new Uint8Array(x.length).fill(UNKNOWN);
          const want = v ? TRUE : FALSE;
          return map(x, (t) => (t === UNKNOWN ? UNKNOWN : (t === want) === (op === '=') ? TRUE : FALSE));
        },
      };
    }
    throw new Unsupported();
  }
  const a = left.f;
  const b = numberOperand(right);
  return {
    t: 'truth',
    f: (i) => {
      const x = a(i);
      const y = b(i);
      if (typeof y === 'number') {
        if (Number.isNaN(y)) return new Uint8Array(x.length).fill(UNKNOWN);
        return compareToConstant(op, x, y);
      }
      const out = new Uint8Array(x.length);
      for (let k = 0; k < x.length; k++) out[k] = numberTruth(op, x[k] as number, y[k] as number);
      return out;
    },
  };
}

/**
 * A column against a number, one loop per operator: a row is unknown exactly when its
 * value is NaN (null), which fails both a test and its opposite.
 */
function compareToConstant(op: CompareOp, x: Float64Array, y: number): Truths {
  const n = x.length;
  const out = new Uint8Array(n);
  switch (op) {
    case '<':
      for (let k = 0; k < n; k++) {
        const v = x[k] as number;
        out[k] = v < y ? TRUE : v >= y ? FALSE : UNKNOWN;
      }
      break;
    case '<=':
      for (let k = 0; k < n; k++) {
        const v = x[k] as number;
        out[k] = v <= y ? TRUE : v > y ? FALSE : UNKNOWN;
      }
      break;
    case '>':
      for (let k = 0; k < n; k++) {
        const v = x[k] as number;
        out[k] = v > y ? TRUE : v <= y ? FALSE : UNKNOWN;
      }
      break;
    case '>=':
      for (let k = 0; k < n; k++) {
        const v = x[k] as number;
        out[k] = v >= y ? TRUE : v < y ? FALSE : UNKNOWN;
      }
      break;
    case '=':
      for (let k = 0; k < n; k++) {
        const v = x[k] as number;
        out[k] = v === y ? TRUE : Number.isNaN(v) ? UNKNOWN : FALSE;
      }
      break;
    case '!=':
      for (let k = 0; k < n; k++) {
        const v = x[k] as number;
        out[k] = v === y ? FALSE : Number.isNaN(v) ? UNKNOWN : TRUE;
      }
      break;
  }
  return out;
}

function numberTruth(op: CompareOp, p: number, q: number): number {
  if (Number.isNaN(p) || Number.isNaN(q)) return UNKNOWN;
  let r: boolean;
  switch (op) {
    case '=':
      r = p === q;
      break;
    case '!=':
      r = p !== q;
      break;
    case '<':
      r = p < q;
      break;
    case '<=':
      r = p <= q;
      break;
    case '>':
      r = p > q;
      break;
    case '>=':
      r = p >= q;
      break;
  }
  return r ? TRUE : FALSE;
}
