import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, type ApiTest, openApiTest } from '../support/api.ts';
import { DIALECTS } from '../support/databases.ts';
import { classify, seedCustomer } from './customers.seed.ts';

for (const dialect of DIALECTS) {
  describe(`orders, interactions and feedback API on ${dialect}`, () => {
    let api: ApiTest;
    let manager: ApiClient;
    let service: ApiClient;

    beforeAll(async () => {
      api = await openApiTest(dialect);
      manager = await api.as('manager');
      service = await api.as('service');
      await seedCustomer(manager, { code: 'A1', name: '周七' });
    });
    afterAll(async () => api?.close());

    it('adds, lists, changes and deletes orders, in fen, feeding the metrics', async () => {
      const first = await manager.post('/api/v1/customers/A1/orders', {
        orderedAt: '2024年3月5日 14:30',
        amount: 123_450,
        cost: 80_000,
        quantity: 2,
        product: '茶叶',
        category: '食品',
        externalId: 'SO-1',
      });
      expect(first.statusCode, first.body).toBe(201);
      expect(first.json()).toMatchObject({
        customerCode: 'A1',
        source: 'api',
        externalId: 'SO-1',
        orderedAt: '2024-03-05 14:30:00',
        orderDate: '2024-03-05',
        amount: 123_450,
        cost: 80_000,
        status: 'completed',
      });
      const again = await manager.post('/api/v1/customers/A1/orders', {
        orderedAt: '2024-03-06',
        amount: 1,
        externalId: 'SO-1',
      });
      expect(again.statusCode).toBe(409);
      const second = await manager.post('/api/v1/customers/A1/orders', {
        orderedAt: '2024-04-01',
        amount: 50_000,
      });
      expect(second.statusCode).toBe(201);
      const ret = await manager.post('/api/v1/customers/A1/orders', {
        orderedAt: '2024-04-02',
        amount: -10_000,
      });
      expect(ret.json().amount).toBe(-10_000);

      const list = (await manager.get('/api/v1/customers/A1/orders?pageSize=2')).json();
      expect(list).toMatchObject({ total: 3, page: 1, pageSize: 2 });
      expect(list.items.map((o: { orderDate: string }) => o.orderDate)).toEqual(['2024-04-02', '2024-04-01']);

      const changed = await manager.patch(`/api/v1/orders/${second.json().id}`, {
        amount: 60_000,
        status: 'cancelled',
      });
      expect(changed.statusCode, changed.body).toBe(200);
      expect(changed.json()).toMatchObject({ amount: 60_000, status: 'cancelled' });
      expect((await manager.patch(`/api/v1/orders/${second.json().id}`, {})).statusCode).toBe(400);
      expect(
        (await manager.patch(`/api/v1/orders/${second.json().id}`, { orderedAt: '2024-02-30' })).statusCode,
      ).toBe(400);
      expect(
        (await manager.post('/api/v1/customers/A1/orders', { orderedAt: 'x', amount: 1 })).statusCode,
      ).toBe(400);
      expect(
        (await manager.post('/api/v1/customers/A1/orders', { orderedAt: '2024-01-01', amount: 1.5 }))
          .statusCode,
      ).toBe(400);

      await classify(api);
      const detail = (await manager.get('/api/v1/customers/A1')).json();
      // Completed orders only: 1,234.50 yuan minus the 100 yuan return.
      expect(detail.metrics).toMatchObject({ orderCount: 1, totalAmount: 113_450 });
      expect(detail.counts.orders).toBe(3);

      const del = await manager.delete(`/api/v1/orders/${ret.json().id}`);
      expect(del.statusCode).toBe(204);
      expect(del.body).toBe('');
      expect((await manager.delete(`/api/v1/orders/${ret.json().id}`)).statusCode).toBe(404);
      expect((await manager.get('/api/v1/customers/A1/orders')).json().total).toBe(2);
      expect((await manager.get('/api/v1/customers/NOPE/orders')).statusCode).toBe(404);
    });

    it('logs interactions by the caller, defaulting the time to now', async () => {
      const res = await service.post('/api/v1/customers/A1/interactions', {
        channel: 'wechat',
        direction: 'outbound',
        subject: '回访',
        outcome: '满意',
      });
      expect(res.statusCode, res.body).toBe(201);
      const created = res.json();
      expect(created).toMatchObject({ channel: 'wechat', direction: 'outbound', userId: service.userId });
      expect(created.at).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      const dated = await service.post('/api/v1/customers/A1/interactions', { at: '2024-05-06 09:00' });
      expect(dated.json()).toMatchObject({ at: '2024-05-06 09:00:00', date: '2024-05-06', channel: 'other' });

      const changed = await service.patch(`/api/v1/interactions/${created.id}`, {
        subject: null,
        solution: '已解决',
      });
      expect(changed.json()).toMatchObject({ subject: null, solution: '已解决', outcome: '满意' });
      const list = (await service.get('/api/v1/customers/A1/interactions')).json();
      expect(list.total).toBe(2);
      expect(list.items[0].id).toBe(created.id);
      expect((await service.delete(`/api/v1/interactions/${dated.json().id}`)).statusCode).toBe(204);
      expect((await service.get('/api/v1/customers/A1/interactions')).json().total).toBe(1);
    });

    it('records feedback and who handled it', async () => {
      const res = await service.post('/api/v1/customers/A1/feedback', {
        kind: 'complaint',
        satisfaction: 2,
        nps: 3,
        comment: '发货慢',
        at: '2024-05-07 10:00',
      });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({
        kind: 'complaint',
        status: 'open',
        handledBy: null,
        satisfaction: 2,
      });
      const handled = await service.patch(`/api/v1/feedback/${res.json().id}`, {
        status: 'handled',
        resolution: '已补发',
      });
      expect(handled.json()).toMatchObject({
        status: 'handled',
        handledBy: service.userId,
        resolution: '已补发',
      });
      expect((await service.post('/api/v1/customers/A1/feedback', { satisfaction: 6 })).statusCode).toBe(400);
      expect((await service.get('/api/v1/customers/A1/feedback')).json().items).toHaveLength(1);
      expect((await service.delete(`/api/v1/feedback/${res.json().id}`)).statusCode).toBe(204);
    });

    it('applies the permission table: service may not touch orders or customers', async () => {
      const before = await api.t.db.selectFrom('orders').selectAll().orderBy('id').execute();
      expect((await service.get('/api/v1/customers/A1/orders')).statusCode).toBe(200);
      expect(
        (await service.post('/api/v1/customers/A1/orders', { orderedAt: '2024-01-01', amount: 1 }))
          .statusCode,
      ).toBe(403);
      expect((await service.patch(`/api/v1/orders/${before[0].id}`, { amount: 1 })).statusCode).toBe(403);
      expect((await service.delete(`/api/v1/orders/${before[0].id}`)).statusCode).toBe(403);
      expect((await service.patch('/api/v1/customers/A1', { version: 1, name: 'x' })).statusCode).toBe(403);
      expect((await api.anonymous.get('/api/v1/customers/A1/orders')).statusCode).toBe(401);
      expect(await api.t.db.selectFrom('orders').selectAll().orderBy('id').execute()).toEqual(before);
    });
  });
}
