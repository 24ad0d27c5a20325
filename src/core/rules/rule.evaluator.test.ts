import { describe, expect, it } from 'vitest';
import { KeleiError } from '../errors.ts';
import type { Expr, RuleParams, StatValues } from './rule.ast.ts';
import { compileRule } from './rule.compile.ts';
import { and3, evaluateRule, or3, type RuleRow } from './rule.evaluator.ts';

function compile(text: string, params?: RuleParams): Expr {
  const r = compileRule(text, { params });
  if (!r.ok) throw new Error(`${text}: ${r.error.message.en}`);
  return r.ast;
}

function result(
  text: string,
  row: RuleRow,
  extra: { stats?: StatValues; params?: RuleParams; tags?: string[] } = {},
): boolean | null {
  return evaluateRule(compile(text, extra.params), {
    row,
    stats: extra.stats ?? {},
    params: extra.params,
    tags: extra.tags ? new Set(extra.tags) : undefined,
  }).result;
}

const T = true;
const F = false;
const N = null;

describe('evaluateRule', () => {
  it('follows Kleene logic for and / or / not', () => {
    const values = [T, F, N];
    for (const a of values) {
      for (const b of values) {
        expect(and3([a, b])).toBe(a === F || b === F ? F : a === N || b === N ? N : T);
        expect(or3([a, b])).toBe(a === T || b === T ? T : a === N || b === N ? N : F);
      }
    }
    // age is null here, so every comparison with it is unknown.
    const row = { age: null };
    expect(result('age > 1', row)).toBe(N);
    expect(result('not age > 1', row)).toBe(N);
    expect(result('age > 1 and false', row)).toBe(F);
    expect(result('age > 1 and true', row)).toBe(N);
    expect(result('age > 1 or true', row)).toBe(T);
    expect(result('age > 1 or false', row)).toBe(N);
  });

  it('propagates null through arithmetic, comparison, in, between and text predicates', () => {
    const row = { age: null, region: null, order_count: 0, total_amount: 500 };
    expect(result('age + 1 > 0', row)).toBe(N);
    expect(result('-age < 0', row)).toBe(N);
    expect(result('age in (1, 2)', row)).toBe(N);
    expect(result('age not in (1, 2)', row)).toBe(N);
    expect(result('order_count in (1, age)', row)).toBe(N);
    expect(result('order_count in (0, age)', row)).toBe(T);
    expect(result('order_count not in (1, age)', row)).toBe(N);
    expect(result('age between 1 and 2', row)).toBe(N);
    expect(result('order_count between age and -1', row)).toBe(F);
    expect(result('order_count between age and 1', row)).toBe(N);
    expect(result('region contains "a"', row)).toBe(N);
    expect(result('region starts_with "a"', row)).toBe(N);
    expect(result('(age > 1) = true', row)).toBe(N);
  });

  it('never makes is null unknown', () => {
    expect(result('age is null', { age: null })).toBe(T);
    expect(result('age is not null', { age: null })).toBe(F);
    expect(result('age is null', {})).toBe(T);
    expect(result('(age > 1) is null', { age: null })).toBe(T);
    expect(result('age / order_count is null', { age: 1, order_count: 0 })).toBe(T);
  });

  it('divides as floats and treats division by zero as unknown', () => {
    expect(result('age / order_count = 0.5', { age: 1, order_count: 2 })).toBe(T);
    expect(result('age / order_count > 0', { age: 1, order_count: 0 })).toBe(N);
    expect(result('age / -order_count > 0', { age: 1, order_count: 0 })).toBe(N);
    expect(result('0.1 + 0.2 = 0.3', {})).toBe(F);
  });

  it('reads money as yuan from fen', () => {
    expect(result('total_amount >= 10000', { total_amount: 1_000_000 })).toBe(T);
    expect(result('total_amount >= 10000', { total_amount: 999_999 })).toBe(F);
    expect(result('total_amount = 123.45', { total_amount: 12345 })).toBe(T);
    expect(result('total_amount / order_count = 50', { total_amount: 10_000, order_count: 2 })).toBe(T);
  });

  it('compares dates, strings, tags, parameters and statistics', () => {
    const row = { birth_date: '1990-05-01', region: '华东', name: '张三', r_score: 4 };
    expect(result('birth_date < "2000-01-01"', row)).toBe(T);
    expect(
      result('birth_date between $from and date("1990-05-01")', row, { params: { from: '1990-05-01' } }),
    ).toBe(T);
    expect(result('region in ("华北", "华东")', row)).toBe(T);
    expect(result('name contains "三" and name starts_with "张" and not name starts_with "三"', row)).toBe(T);
    expect(result('name contains ""', row)).toBe(T);
    expect(result('has_tag("VIP")', row, { tags: ['VIP'] })).toBe(T);
    expect(result('has_tag("VIP")', row)).toBe(F);
    expect(result('r_score > avg(r_score)', row, { stats: { 'avg(r_score)': 3.5 } })).toBe(T);
    expect(result('r_score > avg(r_score)', row, { stats: { 'avg(r_score)': null } })).toBe(N);
    expect(result('$flag and r_score > $min', row, { params: { flag: true, min: 3 } })).toBe(T);
  });

  it('counts an unknown result as not matched', () => {
    const ev = evaluateRule(compile('age > 1'), { row: { age: null }, stats: {} });
    expect(ev).toMatchObject({ result: null, matched: false });
  });

  it('traces every condition with its text, values (money in yuan) and result', () => {
    const ev = evaluateRule(compile('累计消费金额 >= 10000 and (region in ("华东") or not has_tag("VIP"))'), {
      row: { total_amount: 1_234_500, region: null },
      stats: {},
      tags: new Set(['VIP']),
    });
    expect(ev.result).toBe(N);
    const [amount, either] = ev.trace.children;
    expect(ev.trace.text).toBe('total_amount >= 10000 and (region in ("华东") or not has_tag("VIP"))');
    expect(amount).toMatchObject({
      text: 'total_amount >= 10000',
      result: T,
      operands: [
        { text: 'total_amount', value: 12345, type: 'money' },
        { text: '10000', value: 10000, type: 'number' },
      ],
    });
    expect(either).toMatchObject({ text: 'region in ("华东") or not has_tag("VIP")', result: N });
    expect(either.children.map((c) => c.result)).toEqual([N, F]);
    expect(either.children[1].children[0]).toMatchObject({ text: 'has_tag("VIP")', result: T });
  });

  it('throws a KeleiError when a statistic or parameter was not supplied', () => {
    const ast = compile('r_score > avg(r_score) + $bonus', { bonus: 1 });
    expect(() => evaluateRule(ast, { row: {}, stats: {}, params: { bonus: 1 } })).toThrow(KeleiError);
    expect(() => evaluateRule(ast, { row: {}, stats: { 'avg(r_score)': 3 } })).toThrow(/\$bonus/);
  });
});
