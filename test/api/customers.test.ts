import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, type ApiTest, openApiTest } from '../support/api.ts';
import { DIALECTS } from '../support/databases.ts';
import { classify, seedCustomer, seedOrder } from './customers.seed.ts';

type Item = { code: string; region: string | null; metrics: { totalAmount: number } | null };

const q = (params: Record<string, string | number>) =>
  `/api/v1/customers?${new URLSearchParams(Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])))}`;

const codesOf = (body: { items: Item[] }) => body.items.map((i) => i.code);

const REGIONS = ['华东', '华北', '华南'];

for (const dialect of DIALECTS) {
  describe(`customers API on ${dialect}`, () => {
    let api: ApiTest;
    let admin: ApiClient;
    let manager: ApiClient;

    beforeAll(async () => {
      api = await openApiTest(dialect);
      admin = await api.as('admin');
      manager = await api.as('manager');
      // C01…C12 spent 1,500 × i yuan; C13 never bought anything.
      for (let i = 1; i <= 13; i++) {
        const code = `C${String(i).padStart(2, '0')}`;
        await seedCustomer(admin, {
          code,
          name: `张三${i}`,
          region: REGIONS[i % 3],
          phone: `1391234${String(5600 + i)}`,
          email: `user${i}@example.com`,
          ...(i <= 2 ? { ownerUserId: admin.userId } : {}),
        });
        if (i <= 12) await seedOrder(admin, code, { orderedAt: '2024-05-01 10:00', amount: i * 150000 });
      }
      await classify(api);
      const now = new Date().toISOString();
      const tag = await api.t.db
        .insertInto('tags')
        .values({ name: 'VIP', mode: 'manual', created_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      const c03 = await api.t.db
        .selectFrom('customers')
        .select('id')
        .where('code', '=', 'C03')
        .executeTakeFirstOrThrow();
      await api.t.db
        .insertInto('customer_tags')
        .values({ customer_id: c03.id, tag_id: tag.id, source: 'manual', assigned_at: now })
        .execute();
    });
    afterAll(async () => api?.close());

    it('pages through every customer exactly once, sorted by code', async () => {
      const seen: string[] = [];
      for (let page = 1; page <= 3; page++) {
        const res = await admin.get(q({ page, pageSize: 5, sort: 'code', dir: 'asc' }));
        expect(res.statusCode, res.body).toBe(200);
        const body = res.json();
        expect(body).toMatchObject({ total: 13, page, pageSize: 5 });
        seen.push(...codesOf(body));
      }
      expect(seen).toEqual([...seen].sort());
      expect(new Set(seen).size).toBe(13);
      expect((await admin.get(q({ pageSize: 201 }))).statusCode).toBe(400);
    });

    it('sorts by a metric, by its Chinese label too, nulls last, ties by id', async () => {
      const byAmount = (await admin.get(q({ sort: 'total_amount', dir: 'desc', pageSize: 3 }))).json();
      expect(codesOf(byAmount)).toEqual(['C12', 'C11', 'C10']);
      expect(byAmount.items[0].metrics.totalAmount).toBe(1_800_000);
      const byLabel = (await admin.get(q({ sort: '累计消费金额', dir: 'asc', pageSize: 2 }))).json();
      expect(codesOf(byLabel)).toEqual(['C13', 'C01']);
      const byRegion = (await admin.get(q({ sort: 'region', dir: 'asc', pageSize: 200 }))).json();
      const east = byRegion.items.filter((i: Item) => i.region === '华东').map((i: Item) => i.code);
      expect(east).toEqual(['C03', 'C06', 'C09', 'C12']);
    });

    it('filters with a Chinese rule, combined with other filters and population statistics', async () => {
      const res = await admin.get(q({ filter: '累计消费金额 >= 10000', sort: 'code', pageSize: 200 }));
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().total).toBe(6);
      expect(codesOf(res.json())).toEqual(['C07', 'C08', 'C09', 'C10', 'C11', 'C12']);
      const east = await admin.get(q({ filter: '累计消费金额 >= 10000 and 地区 = "华东"', sort: 'code' }));
      expect(codesOf(east.json())).toEqual(['C09', 'C12']);
      const aboveAverage = await admin.get(q({ filter: 'total_amount > avg(total_amount)', sort: 'code' }));
      expect(aboveAverage.statusCode, aboveAverage.body).toBe(200);
      expect(codesOf(aboveAverage.json())).toEqual(['C07', 'C08', 'C09', 'C10', 'C11', 'C12']);
    });

    it('answers a bad rule with 400 InvalidRule and its line and column', async () => {
      const res = await admin.get(q({ filter: '累计消费金额 >= 10000 and\n  地区 = ' }));
      expect(res.statusCode).toBe(400);
      const { error } = res.json();
      expect(error.code).toBe('InvalidRule');
      expect(error.details.line).toBe(2);
      expect(error.details.column).toBeGreaterThan(0);
      expect(error.message_zh).toMatch(/第 2 行/);
    });

    it('suggests the nearest field for a misspelt one', async () => {
      const res = await admin.get(q({ filter: 'totl_amount > 100' }));
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({
        code: 'InvalidRule',
        details: { code: 'UnknownField', line: 1, column: 1, suggestion: 'total_amount' },
      });
      const zh = await admin.get(q({ filter: '累计消费金 >= 1' }));
      expect(zh.json().error.details).toMatchObject({ code: 'UnknownField', suggestion: '累计消费金额' });
      const sort = await admin.get(q({ sort: 'totl_amount' }));
      expect(sort.statusCode).toBe(400);
      expect(sort.json().error.details.suggestion).toBe('total_amount');
    });

    it('searches by code prefix, name, exact phone and e-mail', async () => {
      expect((await admin.get(q({ q: 'c0' }))).json().total).toBe(9);
      expect(codesOf((await admin.get(q({ q: '张三1', sort: 'code' }))).json())).toEqual([
        'C01',
        'C10',
        'C11',
        'C12',
        'C13',
      ]);
      const phone = (await admin.get(q({ phone: '+86 139-1234-5605' }))).json();
      expect(codesOf(phone)).toEqual(['C05']);
      expect(phone.items[0].phone).toBe('139****5605');
      expect(codesOf((await admin.get(q({ email: ' USER7@Example.com ' }))).json())).toEqual(['C07']);
      expect(codesOf((await admin.get(q({ q: '13912345608' }))).json())).toEqual(['C08']);
      expect((await admin.get(q({ phone: '13900000000' }))).json().total).toBe(0);
      const bad = await admin.get(q({ phone: '12' }));
      expect(bad.statusCode).toBe(400);
      expect(bad.body).not.toContain('"12"');
    });

    it('filters by current class, tag, region and owner', async () => {
      const high = await admin.get(q({ scheme: 'value_tier', classKey: 'high', sort: 'code' }));
      expect(codesOf(high.json())).toEqual(['C07', 'C08', 'C09', 'C10', 'C11', 'C12']);
      expect(high.json().items[0].classes).toMatchObject({ value_tier: 'high' });
      expect((await admin.get(q({ classKey: 'high' }))).statusCode).toBe(400);
      expect((await admin.get(q({ scheme: 'nope', classKey: 'x' }))).statusCode).toBe(400);
      expect(codesOf((await admin.get(q({ tag: 'VIP' }))).json())).toEqual(['C03']);
      expect((await admin.get(q({ region: '华北' }))).json().total).toBe(5);
      expect(codesOf((await admin.get(q({ owner: 'me', sort: 'code' }))).json())).toEqual(['C01', 'C02']);
      expect((await admin.get(q({ owner: admin.userId }))).json().total).toBe(2);
    });

    it('shows a customer with metrics, classes with the why, history and counts', async () => {
      const res = await admin.get('/api/v1/customers/C08');
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      expect(body.customer).toMatchObject({ code: 'C08', name: '张三8', phone: '139****5608', version: 1 });
      expect(body.customer.email).toBe('u***@example.com');
      expect(body.metrics).toMatchObject({ orderCount: 1, totalAmount: 1_200_000 });
      expect(body.counts).toEqual({ orders: 1, interactions: 0, feedback: 0 });
      const tier = body.classes.find((c: { schemeKey: string }) => c.schemeKey === 'value_tier');
      expect(tier).toMatchObject({ classKey: 'high', className: { zh: '高价值客户' }, consistent: true });
      expect(tier.why.zh.join('\n')).toContain('累计消费金额 = 12,000.00');
      expect(tier.history).toEqual([{ runId: expect.any(Number), from: null, to: 'high', at: '2024-06-30' }]);
      expect(body.canReveal).toBe(true);
      const missing = await admin.get('/api/v1/customers/NOPE');
      expect(missing.statusCode).toBe(404);
      expect(missing.json().error.code).toBe('CustomerNotFound');
    });

    it('creates customers: generated code, duplicates refused, PII never echoed in errors', async () => {
      const created = await manager.post('/api/v1/customers', { name: '李四', phone: '13811112222' });
      expect(created.statusCode, created.body).toBe(201);
      expect(created.json().code).toMatch(/^C\d{14}$/);
      expect(created.json().phone).toBe('138****2222');
      const row = await api.t.db
        .selectFrom('customers')
        .select(['phone_enc', 'phone_idx'])
        .where('code', '=', created.json().code)
        .executeTakeFirstOrThrow();
      expect(row.phone_enc).not.toContain('13811112222');
      expect(api.cipher.decrypt(row.phone_enc ?? '')).toBe('13811112222');
      expect(row.phone_idx).toBe(api.cipher.blindIndex('13811112222'));

      const sameCode = await manager.post('/api/v1/customers', { code: 'C01', name: 'x' });
      expect(sameCode.statusCode).toBe(409);
      const samePhone = await manager.post('/api/v1/customers', { code: 'D1', phone: '138-1111-2222' });
      expect(samePhone.statusCode).toBe(409);
      expect(samePhone.json().error.details).toMatchObject({
        field: 'phone',
        existingCode: created.json().code,
      });
      const badPhone = await manager.post('/api/v1/customers', { code: 'D2', phone: '1381111' });
      expect(badPhone.statusCode).toBe(400);
      expect(badPhone.body).not.toContain('1381111');
      expect(
        await api.t.db.selectFrom('customers').select('id').where('code', 'in', ['D1', 'D2']).execute(),
      ).toEqual([]);
    });

    it('lets one of two PATCHes on the same version win; the other gets 409 with the current record', async () => {
      const before = (await admin.get('/api/v1/customers/C04')).json().customer;
      const [a, b] = await Promise.all([
        admin.patch('/api/v1/customers/C04', { version: before.version, city: '杭州' }),
        manager.patch('/api/v1/customers/C04', { version: before.version, industry: '零售' }),
      ]);
      expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
      const [won, lost] = a.statusCode === 200 ? [a, b] : [b, a];
      expect(won.json().version).toBe(before.version + 1);
      const current = lost.json().error.details.current;
      expect(current.version).toBe(before.version + 1);
      expect(lost.json().error.details.currentVersion).toBe(before.version + 1);
      // The loser re-applies its change on the current version: nothing is lost.
      const loserClient = lost === a ? admin : manager;
      const loserChange = lost === a ? { city: '杭州' } : { industry: '零售' };
      const retry = await loserClient.patch('/api/v1/customers/C04', {
        version: current.version,
        ...loserChange,
      });
      expect(retry.statusCode, retry.body).toBe(200);
      expect(retry.json()).toMatchObject({ city: '杭州', industry: '零售', version: before.version + 2 });

      const stale = await admin.patch('/api/v1/customers/C04', { version: before.version, city: '宁波' });
      expect(stale.statusCode).toBe(409);
      expect(stale.json().error.code).toBe('Conflict');
      expect((await admin.get('/api/v1/customers/C04')).json().customer.city).toBe('杭州');
    });

    it('updates PII with its blind index and clears fields with null', async () => {
      const { version } = (await admin.get('/api/v1/customers/C13')).json().customer;
      const res = await admin.patch('/api/v1/customers/C13', { version, phone: '13655556666', email: null });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ phone: '136****6666', email: null, version: version + 1 });
      expect(codesOf((await admin.get(q({ phone: '13655556666' }))).json())).toEqual(['C13']);
      expect((await admin.get(q({ email: 'user13@example.com' }))).json().total).toBe(0);
    });

    it('reveals unmasked PII to pii.view holders, one audit row per reveal', async () => {
      const audits = () =>
        api.t.db
          .selectFrom('audit_log')
          .selectAll()
          .where('action', '=', 'pii.reveal')
          .where('entity_id', '=', 'C05')
          .execute();
      const res = await admin.post('/api/v1/customers/C05/reveal');
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({
        code: 'C05',
        phone: '13912345605',
        email: 'user5@example.com',
        address: null,
      });
      const rows = await audits();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ actor: admin.username, entity: 'customer' });
      expect(rows[0].details).not.toContain('13912345605');

      const one = await admin.post('/api/v1/customers/C05/reveal', { fields: ['phone'] });
      expect(one.json()).toEqual({ code: 'C05', phone: '13912345605' });
      expect(await audits()).toHaveLength(2);

      const analyst = await api.as('analyst');
      expect((await analyst.post('/api/v1/customers/C05/reveal')).statusCode).toBe(403);
      expect(await audits()).toHaveLength(2);
    });

    it('documents the routes in OpenAPI', async () => {
      const doc = (await api.app.inject({ method: 'GET', url: '/api/docs/json' })).json();
      expect(doc.paths['/api/v1/customers'].get.parameters.map((p: { name: string }) => p.name)).toContain(
        'filter',
      );
      expect(doc.paths['/api/v1/customers/{code}'].patch).toBeDefined();
      expect(doc.paths['/api/v1/customers/{code}/reveal'].post).toBeDefined();
    });
  });
}
