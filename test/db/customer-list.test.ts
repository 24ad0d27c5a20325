import { type Expression, type SqlBool, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileRule } from '../../src/core/rules/index.ts';
import {
  type CustomerListFilter,
  type CustomerListSort,
  listCustomerPage,
} from '../../src/db/customers/customer-list.repository.ts';
import { ruleSource, ruleToSql } from '../../src/db/rule-sql.ts';
import { DIALECTS, openTestDb, type TestDb } from '../support/databases.ts';

/**
 * Enough customers that a page read along an index can run out of its window (the
 * oldest 400 are the only ones whose code starts with A), with ties, nulls, erased
 * customers and customers without metrics in every sortable column.
 */
const N = 2_600;
const OLDEST_A = 400;
const REGIONS = ['华东', '华北', '华南', null];
const CITIES = ['上海', '北京', 'Shenzhen', null, 'hangzhou'];

function seedRows() {
  let x = 12_345;
  const next = (n: number) => {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
    // The high bits: the low bits of this generator repeat with short periods.
    return Math.floor(x / 65_536) % n;
  };
  const customers: unknown[][] = [];
  const metrics: unknown[][] = [];
  for (let i = 1; i <= N; i++) {
    const day = String(1 + Math.floor(i / 300)).padStart(2, '0');
    const created = `2024-01-${day}T08:00:00.000Z`;
    const updated = `2024-02-${String(1 + next(20)).padStart(2, '0')}T08:00:00.000Z`;
    const code = `${i <= OLDEST_A ? 'A' : 'B'}${String(next(1_000_000)).padStart(6, '0')}-${i}`;
    const name = next(7) === 0 ? null : `客户${next(50)}`;
    const erased = next(40) === 0 ? '2024-03-01T00:00:00.000Z' : null;
    customers.push([code, name, 'individual', REGIONS[next(4)], CITIES[next(5)], created, updated, erased]);
    if (next(5) === 0) continue;
    const orders = next(6);
    const total = orders === 0 ? 0 : 100 * next(40) - 500;
    const last = orders === 0 ? null : `2024-0${1 + next(6)}-1${next(10)}`;
    metrics.push([
      i,
      '2024-06-30',
      orders,
      total,
      orders === 0 ? null : Math.round(total / orders),
      last,
      last === null ? null : next(200),
      orders,
      total,
      0,
      0,
      0,
      0,
      0,
      '2024-06-30T00:00:00.000Z',
    ]);
  }
  return { customers, metrics };
}

async function seed(t: TestDb): Promise<void> {
  const { customers, metrics } = seedRows();
  await t.bulkInsert(t.db, {
    table: 'customers',
    columns: ['code', 'name', 'kind', 'region', 'city', 'created_at', 'updated_at', 'erased_at'],
    rows: customers,
  });
  await t.bulkInsert(t.db, {
    table: 'customer_metrics',
    columns: [
      'customer_id',
      'as_of',
      'order_count',
      'total_amount',
      'avg_order_amount',
      'last_order_date',
      'recency_days',
      'order_count_365d',
      'total_amount_365d',
      'amount_180d',
      'amount_prev_180d',
      'distinct_categories',
      'complaint_count_365d',
      'interactions_90d',
      'computed_at',
    ],
    rows: metrics,
  });
}

const SORTS: CustomerListSort[] = (
  [
    ['c', 'created_at'],
    ['c', 'updated_at'],
    ['c', 'code'],
    ['c', 'region'],
    ['c', 'name'],
    ['c', 'city'],
    ['m', 'total_amount'],
    ['m', 'avg_order_amount'],
    ['m', 'recency_days'],
    ['m', 'last_order_date'],
  ] as const
).flatMap(([source, column]) => [
  { source, column, dir: 'asc' as const },
  { source, column, dir: 'desc' as const },
]);

for (const dialect of DIALECTS) {
  describe(`customer list pages on ${dialect}`, () => {
    let t: TestDb;
    beforeAll(async () => {
      t = await openTestDb(dialect);
      await seed(t);
    });
    afterAll(async () => t?.drop());

    const rule = (text: string): Expression<SqlBool> => {
      const compiled = compileRule(text);
      if (!compiled.ok) throw new Error(text);
      return ruleToSql(compiled.ast, { caps: t.caps });
    };

    /** Every match in the order the list has always had: one sort of all matches. */
    async function expectedIds(where: Expression<SqlBool>, sort: CustomerListSort): Promise<number[]> {
      const key = sql.ref(`${sort.source}.${sort.column}`);
      const dir = sql.raw(sort.dir);
      const rows = await ruleSource(t.db)
        .select('c.id as id')
        .where('c.erased_at', 'is', null)
        .where(where)
        .orderBy(sql`case when ${key} is null then 1 else 0 end`)
        .orderBy(sql`${key} ${dir}`)
        .orderBy(sql`c.id ${dir}`)
        .execute();
      return rows.map((r) => Number(r.id));
    }

    const filters: { name: string; filter: () => CustomerListFilter; where: () => Expression<SqlBool> }[] = [
      { name: 'everyone', filter: () => ({}), where: () => sql<SqlBool>`1 = 1` },
      { name: 'a region', filter: () => ({ region: '华东' }), where: () => sql<SqlBool>`c.region = '华东'` },
      {
        name: 'a metric rule',
        filter: () => ({ rule: rule('total_amount >= 10 and order_count >= 2') }),
        where: () => rule('total_amount >= 10 and order_count >= 2'),
      },
      {
        name: 'the oldest customers only',
        filter: () => ({ text: 'a' }),
        where: () => sql<SqlBool>`c.code like 'A%'`,
      },
      {
        name: 'a rule that nulls satisfy',
        filter: () => ({ rule: rule('recency_days is null or region = "华南"') }),
        where: () => rule('recency_days is null or region = "华南"'),
      },
    ];

    for (const f of filters) {
      it(`pages ${f.name} in every sort exactly as one sort of all matches would`, async () => {
        for (const sort of SORTS) {
          const all = await expectedIds(f.where(), sort);
          const total = all.length;
          const nulls = (
            await ruleSource(t.db)
              .select('c.id as id')
              .where('c.erased_at', 'is', null)
              .where(f.where())
              .where(sql.ref(`${sort.source}.${sort.column}`), 'is', null)
              .execute()
          ).length;
          const offsets = [
            0,
            20,
            40,
            total - nulls - 7,
            total - nulls,
            total - 30,
            total - 5,
            total,
            total + 20,
          ];
          for (const offset of new Set(offsets.filter((o) => o >= 0))) {
            const limit = offset % 3 === 0 ? 20 : 25;
            const page = await listCustomerPage(t.db, t.caps, { filter: f.filter(), sort, limit, offset });
            const label = `${sort.source}.${sort.column} ${sort.dir} at ${offset}`;
            expect(page.total, label).toBe(total);
            expect(
              page.rows.map((r) => r.id),
              label,
            ).toEqual(all.slice(offset, offset + limit));
          }
        }
      });
    }

    it('returns the list columns of each row', async () => {
      const page = await listCustomerPage(t.db, t.caps, {
        filter: { rule: rule('total_amount >= 30') },
        sort: { source: 'm', column: 'total_amount', dir: 'desc' },
        limit: 3,
        offset: 0,
      });
      expect(page.rows).toHaveLength(3);
      for (const r of page.rows) {
        expect(r.total_amount).toBeGreaterThanOrEqual(3_000);
        expect(r.code).toMatch(/^[AB]\d{6}-\d+$/);
        expect(typeof r.version).toBe('number');
      }
    });
  });
}
