import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeleiError } from '../../src/core/errors.ts';
import { compileRule, type RuleParams, type StatValues } from '../../src/core/rules/index.ts';
import { resolveStatsSql, ruleSource, ruleToSql } from '../../src/db/rule-sql.ts';
import { DIALECTS, openTestDb, type TestDb } from '../support/databases.ts';

const NOW = '2024-07-01T00:00:00.000Z';

async function seed(t: TestDb): Promise<void> {
  const base = { kind: 'individual', consent_marketing: 0, opening_order_count: 0, opening_amount: 0 };
  await t.db
    .insertInto('customers')
    .values([
      { id: 1, code: 'C1', name: '张三', region: '华东', created_at: NOW, updated_at: NOW, ...base },
      { id: 2, code: 'C2', name: '李四', region: '华北', created_at: NOW, updated_at: NOW, ...base },
      { id: 3, code: 'C3', name: null, region: null, created_at: NOW, updated_at: NOW, ...base },
    ])
    .execute();
  const metrics = {
    as_of: '2024-07-01',
    order_count_365d: 0,
    total_amount_365d: 0,
    amount_180d: 0,
    amount_prev_180d: 0,
    distinct_categories: 0,
    complaint_count_365d: 0,
    interactions_90d: 0,
    computed_at: NOW,
  };
  await t.db
    .insertInto('customer_metrics')
    .values([
      {
        customer_id: 1,
        order_count: 6,
        total_amount: 1_234_500,
        r_score: 5,
        last_order_date: '2024-06-01',
        ...metrics,
      },
      { customer_id: 2, order_count: 0, total_amount: -1_000, r_score: 2, last_order_date: null, ...metrics },
    ])
    .execute();
  await t.db
    .insertInto('tags')
    .values({
      id: 1,
      name: 'VIP',
      mode: 'manual',
      category_id: null,
      rule: null,
      color: null,
      created_at: NOW,
    })
    .execute();
  await t.db
    .insertInto('customer_tags')
    .values({ customer_id: 2, tag_id: 1, source: 'manual', assigned_at: NOW })
    .execute();
}

for (const dialect of DIALECTS) {
  describe(`ruleToSql on ${dialect}`, () => {
    let t: TestDb;
    beforeAll(async () => {
      t = await openTestDb(dialect);
      await seed(t);
    });
    afterAll(async () => t?.drop());

    async function ids(
      text: string,
      extra: { params?: RuleParams; stats?: StatValues } = {},
    ): Promise<number[]> {
      const r = compileRule(text, { params: extra.params });
      if (!r.ok) throw new Error(r.error.message.en);
      const rows = await ruleSource(t.db)
        .select('c.id')
        .where(ruleToSql(r.ast, { caps: t.caps, ...extra }))
        .orderBy('c.id')
        .execute();
      return rows.map((row) => Number(row.id));
    }

    it('filters on money in yuan, text, dates, tags and null tests', async () => {
      expect(await ids('累计消费金额 >= 10000')).toEqual([1]);
      expect(await ids('total_amount < 0')).toEqual([2]);
      expect(await ids('region in ("华东", "华北") and name starts_with "张"')).toEqual([1]);
      expect(await ids('name contains "四" or has_tag("VIP")')).toEqual([2]);
      expect(await ids('last_order_date >= $since', { params: { since: '2024-01-01' } })).toEqual([1]);
      expect(await ids('total_amount is null')).toEqual([3]);
      expect(await ids('region not in ("华东")')).toEqual([2]);
    });

    it('accepts constant conditions and compares conditions', async () => {
      expect(await ids('true')).toEqual([1, 2, 3]);
      expect(await ids('false or $yes', { params: { yes: true } })).toEqual([1, 2, 3]);
      expect(await ids('(order_count > 1) = (region = "华东")')).toEqual([1, 2]);
    });

    it('treats division by zero as unknown', async () => {
      expect(await ids('total_amount / order_count > -1000000')).toEqual([1]);
      expect(await ids('(total_amount / order_count) is null')).toEqual([2, 3]);
    });

    it('computes statistics in SQL and inlines them', async () => {
      const r = compileRule('r_score > avg(r_score) and total_amount >= median(total_amount)');
      if (!r.ok) throw new Error(r.error.message.en);
      const stats = await resolveStatsSql(t.db, [
        { kind: 'avg', field: 'r_score' },
        { kind: 'median', field: 'total_amount' },
        { kind: 'p', p: 25, field: 'total_amount' },
        { kind: 'avg', field: 'satisfaction_avg' },
      ]);
      expect(stats).toEqual({
        'avg(r_score)': 3.5,
        'median(total_amount)': 6167.5,
        'p(25, total_amount)': -10 + 0.25 * (12345 + 10),
        'avg(satisfaction_avg)': null,
      });
      expect(await ids('r_score > avg(r_score) and total_amount >= median(total_amount)', { stats })).toEqual(
        [1],
      );
    });

    it('refuses to compile without a statistic it needs', () => {
      const r = compileRule('r_score > avg(r_score)');
      if (!r.ok) throw new Error(r.error.message.en);
      expect(() => ruleToSql(r.ast, { caps: t.caps })).toThrow(KeleiError);
    });
  });
}
