import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, type ApiTest, openApiTest } from '../support/api.ts';
import { DIALECTS } from '../support/databases.ts';
import { classify, seedCustomer, seedOrder } from './customers.seed.ts';

type Facets = {
  regions: { value: string; count: number }[];
  tags: { name: string; count: number }[];
  owners: { id: number; username: string; displayName: string | null; count: number }[];
};

type Condition = {
  depth: number;
  kind: string;
  result: boolean | null;
  rule: { zh: string; en: string };
  values: { role: string; label: { zh: string; en: string }; value: { zh: string; en: string } }[];
};

for (const dialect of DIALECTS) {
  describe(`customer facets and explanation conditions on ${dialect}`, () => {
    let api: ApiTest;
    let admin: ApiClient;
    let sales: ApiClient;

    beforeAll(async () => {
      api = await openApiTest(dialect);
      admin = await api.as('admin');
      sales = await api.as('sales');
      const regions = ['华东', '华东', '华东', '华北', '华北', null];
      for (const [i, region] of regions.entries()) {
        await seedCustomer(admin, {
          code: `F${i}`,
          name: `客户${i}`,
          region,
          ...(i === 0 ? { ownerUserId: sales.userId } : {}),
          ...(i === 1 ? { ownerUserId: admin.userId } : {}),
        });
        await seedOrder(admin, `F${i}`, { orderedAt: '2024-05-01 10:00', amount: (i + 1) * 600_000 });
      }
      await classify(api);
      const now = new Date().toISOString();
      for (const name of ['VIP', '未使用']) {
        await api.t.db.insertInto('tags').values({ name, mode: 'manual', created_at: now }).execute();
      }
      const vip = await api.t.db
        .selectFrom('tags')
        .select('id')
        .where('name', '=', 'VIP')
        .executeTakeFirstOrThrow();
      for (const code of ['F0', 'F2']) {
        const c = await api.t.db
          .selectFrom('customers')
          .select('id')
          .where('code', '=', code)
          .executeTakeFirstOrThrow();
        await api.t.db
          .insertInto('customer_tags')
          .values({ customer_id: c.id, tag_id: vip.id, source: 'manual', assigned_at: now })
          .execute();
      }
    });
    afterAll(async () => api?.close());

    it('counts regions, tags and owners of every visible customer, most frequent first', async () => {
      const res = await admin.get('/api/v1/customer-facets');
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json() as Facets;
      expect(body.regions).toEqual([
        { value: '华东', count: 3 },
        { value: '华北', count: 2 },
      ]);
      expect(body.tags).toEqual([
        { name: 'VIP', count: 2 },
        { name: '未使用', count: 0 },
      ]);
      expect(body.owners.map((o) => [o.username, o.count]).sort()).toEqual(
        [
          [admin.username, 1],
          [sales.username, 1],
        ].sort(),
      );
    });

    it('counts only the own customers of an own-scope caller', async () => {
      const body = (await sales.get('/api/v1/customer-facets')).json() as Facets;
      expect(body.regions).toEqual([{ value: '华东', count: 1 }]);
      expect(body.tags.find((t) => t.name === 'VIP')?.count).toBe(1);
      expect(body.owners).toEqual([
        { id: sales.userId, username: sales.username, displayName: null, count: 1 },
      ]);
    });

    it('a quick filter by a facet value finds as many customers as the facet counted', async () => {
      const byRegion = (await admin.get(`/api/v1/customers?region=${encodeURIComponent('华东')}`)).json();
      expect(byRegion.total).toBe(3);
      const byTag = (await admin.get('/api/v1/customers?tag=VIP')).json();
      expect(byTag.total).toBe(2);
      const byOwner = (await admin.get(`/api/v1/customers?owner=${sales.userId}`)).json();
      expect(byOwner.items.map((i: { code: string }) => i.code)).toEqual(['F0']);
    });

    it('explains each class step as conditions with actual values and results', async () => {
      const res = await admin.get('/api/v1/customers/F1');
      expect(res.statusCode, res.body).toBe(200);
      const tier = res.json().classes.find((c: { schemeKey: string }) => c.schemeKey === 'value_tier');
      // F1 spent ¥12,000: it is high value, the first class tried.
      expect(tier.classKey).toBe('high');
      const step = tier.steps.find((s: { classKey: string }) => s.classKey === 'high');
      const conditions = step.conditions as Condition[];
      const amount = conditions.find((c) => c.kind === 'condition' && c.rule.zh.includes('累计消费金额'));
      expect(amount).toMatchObject({ kind: 'condition', result: true });
      expect(amount?.values).toEqual([
        {
          role: 'actual',
          label: { zh: '累计消费金额', en: 'Total amount' },
          value: { zh: '¥12,000.00', en: '¥12,000.00' },
        },
        // The threshold parameter compared with money reads as money.
        {
          role: 'threshold',
          label: { zh: '$high', en: '$high' },
          value: { zh: '¥10,000.00', en: '¥10,000.00' },
        },
      ]);
      expect(conditions[0].depth).toBe(0);
    });

    it('refuses the facets without a session', async () => {
      expect((await api.anonymous.get('/api/v1/customer-facets')).statusCode).toBe(401);
    });
  });
}
