import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIELDS } from '../fields.ts';
import type { ArithOp, CompareOp, Expr, StatSpec } from './rule.ast.ts';
import { compileRule } from './rule.compile.ts';
import { parseRule } from './rule.parser.ts';
import { type PrintLocale, printRule } from './rule.printer.ts';

function reparse(text: string): Expr {
  const r = parseRule(text);
  if (!r.ok) throw new Error(`${text}\n${r.error.message.en} at ${r.error.line}:${r.error.column}`);
  return r.ast;
}

const keys = FIELDS.map((f) => f.key);
const fieldArb = fc.constantFrom(...keys);
const nameArb = fc.stringMatching(/^[a-z_][a-z0-9_]{0,6}$/).filter((s) => s.length > 0);
const textArb = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary', maxLength: 4 }),
  fc.constantFrom('华东', '"', "'", '\\', '\n', '\t', '--', '“引号”', '`'),
);

const statArb: fc.Arbitrary<StatSpec> = fc.oneof(
  fc.record({ kind: fc.constantFrom('avg' as const, 'median' as const), field: fieldArb }),
  fc.record({
    kind: fc.constant('p' as const),
    p: fc.double({ min: 0, max: 100, noNaN: true }),
    field: fieldArb,
  }),
);

/** Any AST the parser can produce (types are not checked: the printer must not care). */
const { expr: exprArb } = fc.letrec<{ expr: Expr }>((tie) => {
  const sub = tie('expr');
  const leaf: fc.Arbitrary<Expr> = fc.oneof(
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((value): Expr => ({ kind: 'number', value })),
    textArb.map((value): Expr => ({ kind: 'string', value })),
    fc.boolean().map((value): Expr => ({ kind: 'boolean', value })),
    fc.constantFrom('2024-01-01', '2020-02-29').map((value): Expr => ({ kind: 'date', value })),
    fc.tuple(nameArb, fc.boolean()).map(([name, asDate]): Expr => ({ kind: 'param', name, asDate })),
    fieldArb.map((key): Expr => ({ kind: 'field', key })),
    statArb.map((stat): Expr => ({ kind: 'stat', stat })),
    textArb.map((tag): Expr => ({ kind: 'has_tag', tag })),
  );
  const compareOp = fc.constantFrom<CompareOp>('=', '!=', '<', '<=', '>', '>=');
  const arithOp = fc.constantFrom<ArithOp>('+', '-', '*', '/');
  return {
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      sub.map((arg): Expr => ({ kind: 'neg', arg })),
      fc.tuple(arithOp, sub, sub).map(([op, left, right]): Expr => ({ kind: 'arith', op, left, right })),
      fc.tuple(compareOp, sub, sub).map(([op, left, right]): Expr => ({ kind: 'compare', op, left, right })),
      fc
        .tuple(fc.boolean(), sub, fc.array(sub, { minLength: 1, maxLength: 3 }))
        .map(([negated, arg, list]): Expr => ({ kind: 'in', negated, arg, list })),
      fc
        .tuple(fc.boolean(), sub, sub, sub)
        .map(([negated, arg, low, high]): Expr => ({ kind: 'between', negated, arg, low, high })),
      fc
        .tuple(fc.constantFrom('contains' as const, 'starts_with' as const), sub, sub)
        .map(([kind, left, right]): Expr => ({ kind, left, right })),
      fc.tuple(fc.boolean(), sub).map(([negated, arg]): Expr => ({ kind: 'is_null', negated, arg })),
      sub.map((arg): Expr => ({ kind: 'not', arg })),
      fc
        .tuple(fc.constantFrom('and' as const, 'or' as const), fc.array(sub, { minLength: 2, maxLength: 3 }))
        .map(([kind, args]): Expr => ({ kind, args })),
    ),
  };
});

describe('printRule', () => {
  it('prints text that parses back to an equal AST, in every locale', () => {
    fc.assert(
      fc.property(exprArb, fc.constantFrom<PrintLocale>('key', 'zh', 'en'), (ast, locale) => {
        expect(reparse(printRule(ast, { locale }))).toEqual(ast);
      }),
      { numRuns: 500 },
    );
  });

  it('prints canonical text with keys, Chinese labels or quoted English labels', () => {
    const r = compileRule('累计消费金额 >= 10000 且 (最近消费天数 <= 90 或 地区 in ("华东", "华北"))');
    if (!r.ok) throw new Error(r.error.message.en);
    expect(printRule(r.ast)).toBe(
      'total_amount >= 10000 and (recency_days <= 90 or region in ("华东", "华北"))',
    );
    expect(printRule(r.ast, { locale: 'zh' })).toBe(
      '累计消费金额 >= 10000 and (最近消费天数 <= 90 or 地区 in ("华东", "华北"))',
    );
    expect(printRule(r.ast, { locale: 'en' })).toBe(
      '`Total amount` >= 10000 and (`Days since last order` <= 90 or Region in ("华东", "华北"))',
    );
  });

  it('keeps negative literals, negations and nesting distinct', () => {
    const cases = [
      'age - -5 > 0',
      '-(5) < age',
      '-(-age) = 1',
      'age - (age - 1) = 1',
      'age * -age >= -0',
      'not not age is null',
      'not (age > 1 and age < 3)',
    ];
    for (const text of cases) {
      const ast = reparse(text);
      expect(printRule(ast)).toBe(text);
    }
    expect(printRule(reparse('(age > 1 and age < 3) and age != 2'))).toBe(
      '(age > 1 and age < 3) and age != 2',
    );
    expect(reparse('(age > 1 and age < 3) and age != 2')).not.toEqual(
      reparse('age > 1 and age < 3 and age != 2'),
    );
  });

  it('escapes strings and prints dates and parameters', () => {
    const r = compileRule('name = "a\\"b\\\\c\\n" and birth_date > $since and age < $max', {
      params: { since: '2000-01-01', max: 60 },
    });
    if (!r.ok) throw new Error(r.error.message.en);
    expect(printRule(r.ast)).toBe('name = "a\\"b\\\\c\\n" and birth_date > date($since) and age < $max');
  });
});
