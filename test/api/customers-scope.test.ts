import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, type ApiTest, openApiTest } from '../support/api.ts';
import { DIALECTS } from '../support/databases.ts';
import { classify, seedCustomer, seedOrder } from './customers.seed.ts';

for (const dialect of DIALECTS) {
  describe(`record scope of sales on ${dialect}`, () => {
    let api: ApiTest;
    let admin: ApiClient;
    let mine: ApiClient;
    let other: ApiClient;
    const ids: Record<string, number | string> = {};

    /** Every row a refused write could have touched. */
    async function snapshot() {
      const db = api.t.db;
      return {
        customers: await db.selectFrom('customers').selectAll().orderBy('id').execute(),
        orders: await db.selectFrom('orders').selectAll().orderBy('id').execute(),
        interactions: await db.selectFrom('interactions').selectAll().orderBy('id').execute(),
        feedback: await db.selectFrom('feedback').selectAll().orderBy('id').execute(),
      };
    }

    beforeAll(async () => {
      api = await openApiTest(dialect);
      admin = await api.as('admin');
      mine = await api.as('sales');
      other = await api.as('sales');
      await seedCustomer(admin, {
        code: 'M1',
        name: '我的客户',
        phone: '13500000001',
        ownerUserId: mine.userId,
      });
      await seedCustomer(admin, {
        code: 'O1',
        name: '别人的客户',
        phone: '13500000002',
        ownerUserId: other.userId,
      });
      await seedCustomer(admin, { code: 'N1', name: '无人负责', phone: '13500000003' });
      ids.mineOrder = await seedOrder(admin, 'M1', { orderedAt: '2024-03-01', amount: 2_000_000 });
      ids.otherOrder = await seedOrder(admin, 'O1', { orderedAt: '2024-03-01', amount: 2_000_000 });
      const interaction = await admin.post('/api/v1/customers/O1/interactions', {
        channel: 'phone',
        subject: 'x',
      });
      ids.otherInteraction = interaction.json().id;
      const feedback = await admin.post('/api/v1/customers/O1/feedback', { satisfaction: 4 });
      ids.otherFeedback = feedback.json().id;
      await classify(api);
    });
    afterAll(async () => api?.close());

    it('creates customers owned by the salesperson under a code the server assigns, and refuses to assign them to someone else', async () => {
      const res = await mine.post('/api/v1/customers', { name: '新客户' });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().owner).toMatchObject({ id: mine.userId, username: mine.username });
      ids.created = res.json().code;
      const before = await snapshot();
      const given = await mine.post('/api/v1/customers', { ownerUserId: other.userId });
      expect(given.statusCode).toBe(403);
      // A code of their choosing is refused whether or not it is taken: a 409 for a taken one would tell.
      for (const code of ['M3', 'O1']) {
        const chosen = await mine.post('/api/v1/customers', { code, name: 'x' });
        expect(chosen.statusCode, code).toBe(403);
        expect(chosen.json().error.details).toEqual({ field: 'code' });
      }
      expect(await snapshot()).toEqual(before);
    });

    it('lists, counts and searches only their own customers', async () => {
      const list = (await mine.get('/api/v1/customers?sort=code')).json();
      expect(list.items.map((i: { code: string }) => i.code)).toEqual(['M1', String(ids.created)].sort());
      expect(list.total).toBe(2);
      const rule = (
        await mine.get(`/api/v1/customers?filter=${encodeURIComponent('累计消费金额 >= 10000')}`)
      ).json();
      expect(rule.items.map((i: { code: string }) => i.code)).toEqual(['M1']);
      expect((await mine.get(`/api/v1/customers?q=${encodeURIComponent('别人')}`)).json().total).toBe(0);
      expect((await mine.get('/api/v1/customers?phone=13500000002')).json().total).toBe(0);
      expect((await mine.get('/api/v1/customers?q=O1')).json().total).toBe(0);
      expect((await mine.get('/api/v1/customers?scheme=value_tier&classKey=high')).json().total).toBe(1);
      expect((await mine.get(`/api/v1/customers?owner=${other.userId}`)).json().total).toBe(0);
    });

    it("answers 404, not 403, for another's customer on every route", async () => {
      const reads = [
        '/api/v1/customers/O1',
        '/api/v1/customers/O1/orders',
        '/api/v1/customers/O1/interactions',
        '/api/v1/customers/O1/feedback',
        '/api/v1/customers/N1',
      ];
      for (const url of reads) {
        const res = await mine.get(url);
        expect(res.statusCode, url).toBe(404);
        expect(res.json().error.code).toBe('CustomerNotFound');
      }
      expect((await mine.get('/api/v1/customers/M1')).statusCode).toBe(200);
      expect((await mine.get('/api/v1/customers/M1/orders')).json().total).toBe(1);
    });

    it("changes nothing when a write to another's customer is refused", async () => {
      const before = await snapshot();
      const attempts = [
        mine.patch('/api/v1/customers/O1', { version: 1, name: 'hijacked' }),
        mine.post('/api/v1/customers/O1/reveal'),
        mine.post('/api/v1/customers/O1/orders', { orderedAt: '2024-04-01', amount: 100 }),
        mine.post('/api/v1/customers/O1/interactions', { channel: 'phone' }),
        mine.post('/api/v1/customers/O1/feedback', { satisfaction: 1 }),
        mine.patch(`/api/v1/orders/${ids.otherOrder}`, { amount: 1 }),
        mine.delete(`/api/v1/orders/${ids.otherOrder}`),
        mine.patch(`/api/v1/interactions/${ids.otherInteraction}`, { subject: 'y' }),
        mine.delete(`/api/v1/interactions/${ids.otherInteraction}`),
        mine.patch(`/api/v1/feedback/${ids.otherFeedback}`, { status: 'handled' }),
        mine.delete(`/api/v1/feedback/${ids.otherFeedback}`),
      ];
      for (const res of await Promise.all(attempts)) {
        expect(res.statusCode, res.body).toBe(404);
      }
      // Own customer, but giving it away is refused.
      const giveAway = await mine.patch('/api/v1/customers/M1', {
        version: 1,
        ownerUserId: other.userId,
        city: 'x',
      });
      expect(giveAway.statusCode).toBe(403);
      const unassign = await mine.patch('/api/v1/customers/M1', { version: 1, ownerUserId: null });
      expect(unassign.statusCode).toBe(403);
      expect(await snapshot()).toEqual(before);
      const audits = await api.t.db
        .selectFrom('audit_log')
        .select('action')
        .where('actor', '=', mine.username)
        .where('action', 'in', ['pii.reveal', 'customer.update'])
        .execute();
      expect(audits).toEqual([]);
    });

    it('lets them work their own customers', async () => {
      const patched = await mine.patch('/api/v1/customers/M1', { version: 1, city: '苏州' });
      expect(patched.statusCode, patched.body).toBe(200);
      const order = await mine.patch(`/api/v1/orders/${ids.mineOrder}`, { amount: 2_100_000 });
      expect(order.statusCode, order.body).toBe(200);
      expect(order.json().amount).toBe(2_100_000);
      const revealed = await mine.post('/api/v1/customers/M1/reveal');
      expect(revealed.json().phone).toBe('13500000001');
    });
  });
}
