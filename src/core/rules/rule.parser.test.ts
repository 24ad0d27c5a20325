import { describe, expect, it } from 'vitest';
import type { Expr } from './rule.ast.ts';
import { MAX_RULE_DEPTH, MAX_RULE_TOKENS, parseRule } from './rule.parser.ts';

function parse(text: string): Expr {
  const r = parseRule(text);
  if (!r.ok) throw new Error(`${r.error.message.en} at ${r.error.line}:${r.error.column}`);
  return r.ast;
}

function failure(text: string) {
  const r = parseRule(text);
  if (r.ok) throw new Error(`expected "${text}" to fail`);
  return r.error;
}

const field = (key: string): Expr => ({ kind: 'field', key });
const num = (value: number): Expr => ({ kind: 'number', value });
const str = (value: string): Expr => ({ kind: 'string', value });

describe('parseRule', () => {
  it('resolves keys in any case, Chinese labels, aliases and quoted English labels to the same field', () => {
    for (const name of [
      'total_amount',
      'TOTAL_AMOUNT',
      '累计消费金额',
      '消费金额',
      '`Total amount`',
      '`total AMOUNT`',
    ]) {
      expect(parse(`${name} >= 10000`)).toEqual({
        kind: 'compare',
        op: '>=',
        left: field('total_amount'),
        right: num(10000),
      });
    }
  });

  it('parses the examples of docs/rules.md', () => {
    expect(parse('累计消费金额 >= 10000 and 最近消费天数 <= 90')).toEqual({
      kind: 'and',
      args: [
        { kind: 'compare', op: '>=', left: field('total_amount'), right: num(10000) },
        { kind: 'compare', op: '<=', left: field('recency_days'), right: num(90) },
      ],
    });
    expect(parse('recency_days > 180 or (region in ("华东", "华北") and has_tag("VIP"))')).toEqual({
      kind: 'or',
      args: [
        { kind: 'compare', op: '>', left: field('recency_days'), right: num(180) },
        {
          kind: 'and',
          args: [
            { kind: 'in', negated: false, arg: field('region'), list: [str('华东'), str('华北')] },
            { kind: 'has_tag', tag: 'VIP' },
          ],
        },
      ],
    });
    expect(parse('r_score > avg(r_score)')).toEqual({
      kind: 'compare',
      op: '>',
      left: field('r_score'),
      right: { kind: 'stat', stat: { kind: 'avg', field: 'r_score' } },
    });
  });

  it('binds or < and < not < comparison < + - < * / < unary minus, left to right', () => {
    const eq = (n: number): Expr => ({ kind: 'compare', op: '=', left: field('age'), right: num(n) });
    expect(parse('not age > 1 + 2 * -age or age = 1 and age = 2')).toEqual({
      kind: 'or',
      args: [
        {
          kind: 'not',
          arg: {
            kind: 'compare',
            op: '>',
            left: field('age'),
            right: {
              kind: 'arith',
              op: '+',
              left: num(1),
              right: { kind: 'arith', op: '*', left: num(2), right: { kind: 'neg', arg: field('age') } },
            },
          },
        },
        { kind: 'and', args: [eq(1), eq(2)] },
      ],
    });
    expect(parse('age - 1 - 2 = 0')).toMatchObject({
      left: { op: '-', left: { op: '-', left: field('age'), right: num(1) }, right: num(2) },
    });
    expect(parse('age / 2 * 3 = 0')).toMatchObject({
      left: { op: '*', left: { op: '/', left: field('age'), right: num(2) }, right: num(3) },
    });
    expect(parse('-2 * age = 0')).toMatchObject({ left: { op: '*', left: num(-2), right: field('age') } });
    expect(parse('-(2) * age = 0')).toMatchObject({ left: { op: '*', left: { kind: 'neg', arg: num(2) } } });
  });

  it('reads Chinese keywords, quotes, full-width punctuation and math symbols', () => {
    expect(parse('地区 in （“华东”，‘华北’） 且 非 年龄 ≥ 18 或 年龄 ≠ 1')).toEqual(
      parse('region in ("华东", "华北") and not age >= 18 or age != 1'),
    );
    expect(parse('age <> 1')).toEqual(parse('age != 1'));
    expect(parse('age == 1')).toEqual(parse('age = 1'));
  });

  it('reads literals, parameters, dates and statistics', () => {
    expect(parse("name = 'it\\'s' and age > -1.5e2 and birth_date < date(\"2000-02-29\")")).toEqual({
      kind: 'and',
      args: [
        { kind: 'compare', op: '=', left: field('name'), right: str("it's") },
        { kind: 'compare', op: '>', left: field('age'), right: num(-150) },
        { kind: 'compare', op: '<', left: field('birth_date'), right: { kind: 'date', value: '2000-02-29' } },
      ],
    });
    expect(parse('total_amount > p(90, 累计消费金额) + median(total_amount) - $bonus and TRUE')).toEqual({
      kind: 'and',
      args: [
        {
          kind: 'compare',
          op: '>',
          left: field('total_amount'),
          right: {
            kind: 'arith',
            op: '-',
            left: {
              kind: 'arith',
              op: '+',
              left: { kind: 'stat', stat: { kind: 'p', p: 90, field: 'total_amount' } },
              right: { kind: 'stat', stat: { kind: 'median', field: 'total_amount' } },
            },
            right: { kind: 'param', name: 'bonus', asDate: false },
          },
        },
        { kind: 'boolean', value: true },
      ],
    });
    expect(parse('birth_date > date($since)')).toEqual({
      kind: 'compare',
      op: '>',
      left: field('birth_date'),
      right: { kind: 'param', name: 'since', asDate: true },
    });
  });

  it('reads predicates: not in, between, not between, contains, starts_with, is (not) null', () => {
    expect(parse('age not in (1, 2)')).toEqual({
      kind: 'in',
      negated: true,
      arg: field('age'),
      list: [num(1), num(2)],
    });
    expect(parse('age between 1 and 2 and age not between 3 and 4')).toEqual({
      kind: 'and',
      args: [
        { kind: 'between', negated: false, arg: field('age'), low: num(1), high: num(2) },
        { kind: 'between', negated: true, arg: field('age'), low: num(3), high: num(4) },
      ],
    });
    expect(parse('name contains "张" or name starts_with "王"')).toEqual({
      kind: 'or',
      args: [
        { kind: 'contains', left: field('name'), right: str('张') },
        { kind: 'starts_with', left: field('name'), right: str('王') },
      ],
    });
    expect(parse('age is null or age IS NOT NULL')).toEqual({
      kind: 'or',
      args: [
        { kind: 'is_null', negated: false, arg: field('age') },
        { kind: 'is_null', negated: true, arg: field('age') },
      ],
    });
  });

  it('skips -- comments and spans lines', () => {
    expect(parse('age > 1 -- adults only\n  and age < 99 -- not too old')).toEqual(
      parse('age > 1 and age < 99'),
    );
  });

  it('reports a misspelt field with its position and the nearest name', () => {
    const e = failure('totl_amount > 5');
    expect(e).toMatchObject({ code: 'UnknownField', line: 1, column: 1, suggestion: 'total_amount' });
    expect(e.message.en).toContain('did you mean "total_amount"');
    expect(e.message.zh).toContain('total_amount');

    const zh = failure('age > 1 and\n  累计消费金 >= 100');
    expect(zh).toMatchObject({ code: 'UnknownField', line: 2, column: 3, suggestion: '累计消费金额' });

    expect(failure('wholly_unrelated_name > 1').suggestion).toBeUndefined();
  });

  it('reports syntax errors where they happen', () => {
    expect(failure('age >')).toMatchObject({ code: 'SyntaxError', line: 1, column: 6 });
    expect(failure('age > 1 age < 2')).toMatchObject({ code: 'SyntaxError', line: 1, column: 9 });
    expect(failure('(age > 1')).toMatchObject({ code: 'SyntaxError', line: 1, column: 9 });
    expect(failure('age > 1)')).toMatchObject({ code: 'SyntaxError', line: 1, column: 8 });
    expect(failure('name = "abc')).toMatchObject({ code: 'SyntaxError', line: 1, column: 8 });
    expect(failure('age between 1 or 2')).toMatchObject({ code: 'SyntaxError', line: 1, column: 15 });
    expect(failure('age in ()')).toMatchObject({ code: 'SyntaxError', line: 1, column: 9 });
    expect(failure('age > 1 &')).toMatchObject({ code: 'SyntaxError', line: 1, column: 9 });
    expect(failure('and age > 1')).toMatchObject({ code: 'SyntaxError', line: 1, column: 1 });
    expect(failure('')).toMatchObject({ code: 'SyntaxError', line: 1, column: 1 });
    expect(failure('age = $')).toMatchObject({ code: 'SyntaxError', line: 1, column: 7 });
  });

  it('checks function calls', () => {
    expect(failure('avgg(age) > 1')).toMatchObject({ code: 'UnknownFunction', column: 1, suggestion: 'avg' });
    expect(failure('p(101, age) > 1')).toMatchObject({ code: 'InvalidLiteral', column: 3 });
    expect(failure('birth_date > date("2023-02-29")')).toMatchObject({ code: 'InvalidLiteral', column: 19 });
    expect(failure('avg(1) > 1')).toMatchObject({ code: 'SyntaxError', column: 5 });
    expect(failure('has_tag(VIP)')).toMatchObject({ code: 'SyntaxError', column: 9 });
  });
});

describe('parseRule limits', () => {
  it('refuses a thousand nested parentheses at the first level too deep, with its position', () => {
    const text = `${'('.repeat(1000)}total_amount > 1${')'.repeat(1000)}`;
    const e = failure(text);
    expect(e).toMatchObject({ code: 'SyntaxError', line: 1, column: MAX_RULE_DEPTH + 1 });
    expect(e.message.en).toMatch(/nests too deep/);
  });

  it('refuses 2,000 chained + and a long chain of not, but keeps a rule just inside the limit', () => {
    expect(failure(`total_amount${' + 1'.repeat(2000)} > 0`).message.en).toMatch(/nests too deep/);
    expect(failure(`${'not '.repeat(500)}total_amount > 0`).message.en).toMatch(/nests too deep/);
    expect(parse(`total_amount${' + 1'.repeat(MAX_RULE_DEPTH)} > 0`).kind).toBe('compare');
    expect(failure(`total_amount${' + 1'.repeat(MAX_RULE_DEPTH + 1)} > 0`).code).toBe('SyntaxError');
  });

  it('refuses more tokens than the limit, pointing at the first token beyond it', () => {
    const codes = Array.from({ length: MAX_RULE_TOKENS }, (_, i) => `"C${i}"`).join(',');
    const e = failure(`code in (${codes})`);
    expect(e.message.en).toMatch(/too long/);
    expect(e.line).toBe(1);
    expect(e.column).toBeGreaterThan(1);
    const fits = Array.from({ length: 1000 }, (_, i) => `"C${i}"`).join(',');
    expect(parse(`code in (${fits})`).kind).toBe('in');
  });
});
