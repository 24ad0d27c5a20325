import { describe, expect, it } from 'vitest';
import type { RuleParams } from './rule.ast.ts';
import { compileRule } from './rule.compile.ts';
import { printRule } from './rule.printer.ts';

function ok(text: string, params?: RuleParams): string {
  const r = compileRule(text, { params });
  if (!r.ok) throw new Error(`${text}: ${r.error.message.en}`);
  return printRule(r.ast);
}

function error(text: string, params?: RuleParams) {
  const r = compileRule(text, { params });
  if (r.ok) throw new Error(`expected "${text}" to be rejected`);
  return r.error;
}

describe('checkRule', () => {
  it('accepts well-typed rules; number and money mix', () => {
    ok('total_amount >= 10000 and order_count >= 5');
    ok('total_amount / order_count > avg_order_amount * 1.1');
    ok('total_amount between 100 and amount_180d');
    ok('region in ("华东", "华北") and name contains "张" and city starts_with $prefix', { prefix: '上' });
    ok('first_order_date <= last_order_date and birth_date is not null');
    ok('(age > 18) = (region is null) and not has_tag("VIP")');
    ok('r_score > avg(r_score) and m_score >= median(m_score) and total_amount < p(90, total_amount)');
  });

  it('turns date strings next to a date into date literals, strings and parameters alike', () => {
    expect(ok('first_order_date >= "2024-01-01"')).toBe('first_order_date >= date("2024-01-01")');
    expect(ok("'2024-01-01' < last_order_date")).toBe('date("2024-01-01") < last_order_date');
    expect(ok('birth_date in ("2000-01-01", date("2001-01-01"))')).toBe(
      'birth_date in (date("2000-01-01"), date("2001-01-01"))',
    );
    expect(ok('birth_date between $from and "2001-12-31"', { from: '2000-01-01' })).toBe(
      'birth_date between date($from) and date("2001-12-31")',
    );
    // Without a date next to it a string stays a string.
    expect(ok('name = "2024-01-01"')).toBe('name = "2024-01-01"');
  });

  it('rejects operators that do not apply to the type, at the operator', () => {
    expect(error('region > 5')).toMatchObject({ code: 'TypeMismatch', line: 1, column: 8 });
    expect(error('region < "华东"')).toMatchObject({ code: 'TypeMismatch', column: 8 });
    expect(error('region < "华东"').message.en).toContain('use = != in contains starts_with');
    expect(error('region between "a" and "b"')).toMatchObject({ code: 'TypeMismatch' });
    expect(error('age contains "1"')).toMatchObject({ code: 'TypeMismatch' });
    expect(error('region + 1 > 2')).toMatchObject({ code: 'TypeMismatch', column: 8 });
    expect(error('-region = 1')).toMatchObject({ code: 'TypeMismatch', column: 1 });
    expect(error('first_order_date + 1 > 2')).toMatchObject({ code: 'TypeMismatch' });
    expect(error('age in (1, "2")')).toMatchObject({ code: 'TypeMismatch' });
    expect(error('has_tag("VIP") in (true)')).toMatchObject({ code: 'TypeMismatch' });
    expect(error('birth_date = age')).toMatchObject({ code: 'TypeMismatch' });
    expect(error('true < false')).toMatchObject({ code: 'TypeMismatch' });
  });

  it('rejects bad date strings and non-conditions', () => {
    expect(error('birth_date > "2024-13-01"')).toMatchObject({ code: 'InvalidLiteral', column: 14 });
    expect(error('birth_date > "yesterday"')).toMatchObject({ code: 'InvalidLiteral' });
    expect(error('age')).toMatchObject({ code: 'TypeMismatch', column: 1 });
    expect(error('age + 1')).toMatchObject({ code: 'TypeMismatch' });
    expect(error('age > 1 and age')).toMatchObject({ code: 'TypeMismatch', column: 9 });
    expect(error('not region')).toMatchObject({ code: 'TypeMismatch', column: 1 });
    expect(error('avg(region) > 1')).toMatchObject({ code: 'TypeMismatch', column: 1 });
  });

  it('requires every parameter, suggesting the nearest name', () => {
    expect(error('age > $limit', { limt: 1 })).toMatchObject({
      code: 'UnknownParam',
      column: 7,
      suggestion: 'limt',
    });
    expect(error('age > $limit')).toMatchObject({ code: 'UnknownParam' });
    expect(error('age > $limit', { limit: 'x' })).toMatchObject({ code: 'TypeMismatch' });
    expect(error('age > $limit', { limit: Number.NaN })).toMatchObject({ code: 'InvalidLiteral' });
    expect(error('birth_date > $since', { since: 'soon' })).toMatchObject({ code: 'InvalidLiteral' });
    expect(error('birth_date > date($since)', { since: 5 })).toMatchObject({ code: 'InvalidLiteral' });
  });

  it('gives messages in both languages', () => {
    const e = error('region > 5');
    expect(e.message.zh).toBe('无法比较 地区 (文本) 与 5 (数值)');
    expect(e.message.en).toBe('Cannot compare Region (text) with 5 (number)');
  });
});
