import fc from 'fast-check';
import { FIELDS } from '../../src/core/fields.ts';
import type { CompareOp, Expr, RuleParams, StatSpec } from '../../src/core/rules/index.ts';
import { DATES, STRINGS, TAGS } from './rule-population.fixture.ts';

/**
 * Random well-typed rules over the registry. Magnitudes stay small enough that no
 * product or quotient leaves the double range (PostgreSQL raises on overflow and
 * underflow where JavaScript would give Infinity or 0).
 */

export const PARAMS: RuleParams = {
  n: 100,
  z: 0,
  neg: -2.5,
  s: '华东',
  d: '2024-01-01',
  yes: true,
  no: false,
};

const keysOf = (types: string[]) => FIELDS.filter((f) => types.includes(f.type)).map((f) => f.key);
const NUMERIC_KEYS = keysOf(['number', 'money']);
const STRING_KEYS = keysOf(['string']);
const DATE_KEYS = keysOf(['date']);

export const STAT_PERCENTS = [0, 10, 25, 50, 90, 99.5, 100];

/** Every statistic the generator may use, so they are computed (and compared) once per population. */
export const ALL_STATS: StatSpec[] = NUMERIC_KEYS.flatMap((field) => [
  { kind: 'avg' as const, field },
  { kind: 'median' as const, field },
  ...STAT_PERCENTS.map((p) => ({ kind: 'p' as const, p, field })),
]);

const field = (keys: string[]): fc.Arbitrary<Expr> =>
  fc.constantFrom(...keys).map((key): Expr => ({ kind: 'field', key }));
const param = (name: string): Expr => ({ kind: 'param', name, asDate: false });

const numberLiteral: fc.Arbitrary<Expr> = fc
  .oneof(
    fc.constantFrom(0, 1, -1, 2, 3, 5, 0.5, 0.1, 0.3, 100, 1000, 10000, 123.45, 12345, -50),
    fc.integer({ min: -1_000_000, max: 1_000_000 }).map((n) => n / 100),
  )
  .map((value): Expr => ({ kind: 'number', value }));

const stat: fc.Arbitrary<Expr> = fc.constantFrom(...ALL_STATS).map((s): Expr => ({ kind: 'stat', stat: s }));

const numericLeaf: fc.Arbitrary<Expr> = fc.oneof(
  { arbitrary: field(NUMERIC_KEYS), weight: 5 },
  { arbitrary: numberLiteral, weight: 3 },
  { arbitrary: stat, weight: 1 },
  { arbitrary: fc.constantFrom(param('n'), param('z'), param('neg')), weight: 1 },
);

function numeric(depth: number): fc.Arbitrary<Expr> {
  if (depth <= 0) return numericLeaf;
  const sub = numeric(depth - 1);
  return fc.oneof(
    { arbitrary: numericLeaf, weight: 4 },
    {
      arbitrary: fc
        .tuple(fc.constantFrom('+', '-', '*', '/'), sub, sub)
        .map(([op, left, right]): Expr => ({ kind: 'arith', op, left, right })),
      weight: 3,
    },
    { arbitrary: sub.map((arg): Expr => ({ kind: 'neg', arg })), weight: 1 },
  );
}

const stringExpr: fc.Arbitrary<Expr> = fc.oneof(
  { arbitrary: field(STRING_KEYS), weight: 4 },
  {
    arbitrary: fc
      .oneof(fc.constantFrom(...STRINGS), fc.string({ maxLength: 3 }), fc.constantFrom('华', '东 ', 'a', 'A'))
      .map((value): Expr => ({ kind: 'string', value })),
    weight: 3,
  },
  { arbitrary: fc.constant(param('s')), weight: 1 },
);

/** A true date: a date field or a date literal. */
const dateExpr: fc.Arbitrary<Expr> = fc.oneof(
  { arbitrary: field(DATE_KEYS), weight: 3 },
  {
    arbitrary: fc.constantFrom(...DATES, '2024-02-29').map((value): Expr => ({ kind: 'date', value })),
    weight: 2,
  },
);

/** Next to a true date, strings and string parameters are dates too (the checker coerces them). */
const dateOperand: fc.Arbitrary<Expr> = fc.oneof(
  { arbitrary: dateExpr, weight: 4 },
  { arbitrary: fc.constantFrom(...DATES).map((value): Expr => ({ kind: 'string', value })), weight: 1 },
  { arbitrary: fc.constant(param('d')), weight: 1 },
);

const compareOp = fc.constantFrom<CompareOp>('=', '!=', '<', '<=', '>', '>=');
const equalityOp = fc.constantFrom<CompareOp>('=', '!=');

function list(item: fc.Arbitrary<Expr>): fc.Arbitrary<Expr[]> {
  return fc.array(item, { minLength: 1, maxLength: 4 });
}

function predicate(depth: number): fc.Arbitrary<Expr> {
  const num = numeric(Math.min(depth, 2));
  const anyValue = fc.oneof(num, stringExpr, dateExpr);
  return fc.oneof(
    {
      arbitrary: fc
        .tuple(compareOp, num, num)
        .map(([op, left, right]): Expr => ({ kind: 'compare', op, left, right })),
      weight: 6,
    },
    {
      arbitrary: fc
        .tuple(equalityOp, stringExpr, stringExpr)
        .map(([op, left, right]): Expr => ({ kind: 'compare', op, left, right })),
      weight: 3,
    },
    {
      arbitrary: fc
        .tuple(compareOp, dateExpr, dateOperand, fc.boolean())
        .map(([op, a, b, flip]): Expr => ({ kind: 'compare', op, left: flip ? b : a, right: flip ? a : b })),
      weight: 3,
    },
    {
      arbitrary: fc
        .oneof(
          fc.tuple(num, list(num)),
          fc.tuple(stringExpr, list(stringExpr)),
          fc.tuple(dateExpr, list(dateOperand)),
        )
        .chain(([arg, items]) =>
          fc.boolean().map((negated): Expr => ({ kind: 'in', negated, arg, list: items })),
        ),
      weight: 3,
    },
    {
      arbitrary: fc
        .oneof(fc.tuple(num, num, num), fc.tuple(dateExpr, dateOperand, dateOperand))
        .chain(([arg, low, high]) =>
          fc.boolean().map((negated): Expr => ({ kind: 'between', negated, arg, low, high })),
        ),
      weight: 3,
    },
    {
      arbitrary: fc
        .tuple(fc.constantFrom('contains' as const, 'starts_with' as const), stringExpr, stringExpr)
        .map(([kind, left, right]): Expr => ({ kind, left, right })),
      weight: 3,
    },
    {
      arbitrary: fc
        .tuple(anyValue, fc.boolean())
        .map(([arg, negated]): Expr => ({ kind: 'is_null', negated, arg })),
      weight: 2,
    },
    {
      arbitrary: fc.constantFrom(...TAGS, '没有这个标签').map((tag): Expr => ({ kind: 'has_tag', tag })),
      weight: 1,
    },
    {
      arbitrary: fc.oneof(
        fc.boolean().map((value): Expr => ({ kind: 'boolean', value })),
        fc.constantFrom(param('yes'), param('no')),
      ),
      weight: 1,
    },
  );
}

/** A well-typed condition of nesting depth at most `depth`. */
export function condition(depth: number): fc.Arbitrary<Expr> {
  const leaf = predicate(depth);
  if (depth <= 0) return leaf;
  const sub = condition(depth - 1);
  return fc.oneof(
    { arbitrary: leaf, weight: 3 },
    {
      arbitrary: fc
        .tuple(fc.constantFrom('and' as const, 'or' as const), fc.array(sub, { minLength: 2, maxLength: 3 }))
        .map(([kind, args]): Expr => ({ kind, args })),
      weight: 3,
    },
    { arbitrary: sub.map((arg): Expr => ({ kind: 'not', arg })), weight: 1 },
    {
      // Conditions compared as values: `(a > 1) = (b is null)`.
      arbitrary: fc
        .tuple(equalityOp, sub, sub)
        .map(([op, left, right]): Expr => ({ kind: 'compare', op, left, right })),
      weight: 1,
    },
    {
      arbitrary: fc
        .tuple(sub, fc.boolean())
        .map(([arg, negated]): Expr => ({ kind: 'is_null', negated, arg })),
      weight: 1,
    },
  );
}
