import { describe, expect, it } from 'vitest';
import { compileRule } from './rule.compile.ts';
import { evaluateRule } from './rule.evaluator.ts';
import { explainTrace, formatValue } from './rule.explain.ts';

function explain(text: string, row: Record<string, number | string | null>, stats = {}, tags: string[] = []) {
  const r = compileRule(text);
  if (!r.ok) throw new Error(r.error.message.en);
  const { trace } = evaluateRule(r.ast, { row, stats, tags: new Set(tags) });
  return { zh: explainTrace(trace, 'zh'), en: explainTrace(trace, 'en') };
}

describe('explainTrace', () => {
  it('shows each condition with the actual value in the locale’s labels', () => {
    const lines = explain('total_amount >= 10000', { total_amount: 1_234_500 });
    expect(lines.zh).toEqual(['累计消费金额 = 12,345.00 ≥ 10,000 ✓']);
    expect(lines.en).toEqual(['Total amount = 12,345.00 >= 10,000: held']);
  });

  it('indents nested conditions and marks unknown results', () => {
    const lines = explain(
      '累计消费金额 >= 10000 and (最近消费天数 <= 90 or r_score > avg(r_score)) and not has_tag("黑名单")',
      { total_amount: 500_000, recency_days: null, r_score: 4 },
      { 'avg(r_score)': 3.25 },
    );
    expect(lines.zh).toEqual([
      '同时满足以下条件 ✗',
      '  累计消费金额 = 5,000.00 ≥ 10,000 ✗',
      '  满足以下任一条件 ✓',
      '    最近消费天数 = 空 ≤ 90 ？（含空值，视为不满足）',
      '    R评分 = 4 > avg(R评分) (= 3.25) ✓',
      '  不满足以下条件 ✓',
      '    拥有标签“黑名单” ✗',
    ]);
    expect(lines.en).toEqual([
      'all of: not held',
      '  Total amount = 5,000.00 >= 10,000: not held',
      '  any of: held',
      '    Days since last order = null <= 90: unknown (missing value, not matched)',
      '    R score = 4 > avg(R score) (= 3.25): held',
      '  not: held',
      '    has tag "黑名单": not held',
    ]);
  });

  it('explains lists, ranges, text predicates and null tests', () => {
    const row = { region: '华南', age: 30, name: '张三', birth_date: '1990-01-01', city: null };
    const lines = explain(
      'region in ("华东", "华北") or age between 18 and 35 or name starts_with "张" or name contains "四" or city is not null or birth_date < "2000-01-01"',
      row,
    );
    expect(lines.zh.slice(1)).toEqual([
      '  地区 = “华南” 属于 (“华东”, “华北”) ✗',
      '  年龄 = 30 在 18 与 35 之间 ✓',
      '  客户名称 = “张三” 以 “张” 开头 ✓',
      '  客户名称 = “张三” 包含 “四” ✗',
      '  城市 = 空 不为空 ✗',
      '  出生日期 = 1990-01-01 < 2000-01-01 ✓',
    ]);
    expect(lines.en.slice(1)).toEqual([
      '  Region = "华南" in ("华东", "华北"): not held',
      '  Age = 30 between 18 and 35: held',
      '  Name = "张三" starts with "张": held',
      '  Name = "张三" contains "四": not held',
      '  City = null is not null: not held',
      '  Birth date = 1990-01-01 < 2000-01-01: held',
    ]);
  });

  it('shows computed operands with their value', () => {
    const lines = explain('total_amount / order_count > 100', { total_amount: 100_000, order_count: 3 });
    expect(lines.en).toEqual(['Total amount / Order count = 333.33 > 100: held']);
  });

  it('formats values', () => {
    expect(formatValue(-0, 'number', 'en')).toBe('0');
    expect(formatValue(1234.5, 'money', 'zh')).toBe('1,234.50');
    expect(formatValue(0.123456, 'number', 'en')).toBe('0.1235');
    expect(formatValue(true, 'boolean', 'zh')).toBe('是');
    expect(formatValue(null, 'date', 'en')).toBe('null');
  });
});
