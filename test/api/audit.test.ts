import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../../src/services/audit/audit.service.ts';
import type { Role } from '../../src/services/auth/policy.ts';
import { type ApiClient, type ApiTest, openApiTest, TEST_PASSWORD } from '../support/api.ts';
import { DIALECTS } from '../support/databases.ts';

type Entry = { id: number; at: string; actor: string; action: string; entityId: string | null };

for (const dialect of DIALECTS) {
  describe(`audit log API on ${dialect}`, () => {
    let api: ApiTest;
    let admin: ApiClient;
    const get = async (query: string) => {
      const res = await admin.get(`/api/v1/audit?${query}`);
      expect(res.statusCode, `${query}: ${res.body}`).toBe(200);
      return res.json() as { items: Entry[]; total: number; page: number; pageSize: number };
    };

    beforeAll(async () => {
      api = await openApiTest(dialect);
      admin = await api.as('admin', { username: 'auditor' });
      // Shanghai is UTC+8: 15:30Z is 23:30 on 1 March there, 16:30Z is 00:30 on 2 March.
      const rows: [string, 'customer.update' | 'customer.erase', string][] = [
        ['2024-03-01T09:00:00.000Z', 'customer.update', '1'],
        ['2024-03-01T15:30:00.000Z', 'customer.update', '2'],
        ['2024-03-01T16:30:00.000Z', 'customer.erase', '2'],
        ['2024-03-03T08:00:00.000Z', 'customer.update', '3'],
      ];
      for (const [at, action, entityId] of rows) {
        await audit(api.t.db, { actor: 'zhao', action, entity: 'customer', entityId, at: new Date(at) });
      }
      await audit(api.t.db, {
        actor: 'qian',
        action: 'export',
        entity: 'customers',
        details: { format: 'xlsx', rows: 12 },
        at: new Date('2024-03-02T01:00:00.000Z'),
      });
    });
    afterAll(async () => api?.close());

    it('lists newest first with the total count and pages through it', async () => {
      const all = await get('actor=zhao');
      expect(all.total).toBe(4);
      expect(all.items.map((e) => e.at)).toEqual([
        '2024-03-03T08:00:00.000Z',
        '2024-03-01T16:30:00.000Z',
        '2024-03-01T15:30:00.000Z',
        '2024-03-01T09:00:00.000Z',
      ]);
      const page2 = await get('actor=zhao&page=2&pageSize=3');
      expect(page2).toMatchObject({ total: 4, page: 2, pageSize: 3 });
      expect(page2.items.map((e) => e.at)).toEqual(['2024-03-01T09:00:00.000Z']);
      expect((await get('actor=zhao&page=9&pageSize=3')).items).toEqual([]);
    });

    it('filters by actor, action, entity and record', async () => {
      expect((await get('action=customer.update&actor=zhao')).total).toBe(3);
      expect((await get('entity=customer&entityId=2')).total).toBe(2);
      expect((await get('actor=nobody')).total).toBe(0);
      const exported = await get('actor=qian&entity=customers');
      expect(exported.items).toEqual([
        {
          id: expect.any(Number),
          at: '2024-03-02T01:00:00.000Z',
          actor: 'qian',
          action: 'export',
          entity: 'customers',
          entityId: null,
          details: { format: 'xlsx', rows: 12 },
        },
      ]);
    });

    it('reads a bare date as a whole day of the workspace time zone, and instants as given', async () => {
      const day = await get('actor=zhao&from=2024-03-02&to=2024-03-02');
      expect(day.items.map((e) => e.at)).toEqual(['2024-03-01T16:30:00.000Z']);
      const through = await get('actor=zhao&to=2024-03-01');
      expect(through.total).toBe(2);
      const instants = await get(
        `actor=zhao&from=${encodeURIComponent('2024-03-01T15:30:00Z')}&to=${encodeURIComponent('2024-03-02T00:30:00+08:00')}`,
      );
      expect(instants.items.map((e) => e.at)).toEqual([
        '2024-03-01T16:30:00.000Z',
        '2024-03-01T15:30:00.000Z',
      ]);
    });

    it('answers bad filters with 400', async () => {
      for (const query of ['from=yesterday', 'to=2024-02-30', 'page=0', 'pageSize=501', 'page=x']) {
        const res = await admin.get(`/api/v1/audit?${query}`);
        expect(res.statusCode, query).toBe(400);
        expect(res.json().error.code).toBe('ValidationError');
      }
    });

    it('is for admins only', async () => {
      for (const role of ['manager', 'sales', 'service', 'analyst'] satisfies Role[]) {
        const caller = await api.as(role);
        const res = await caller.get('/api/v1/audit');
        expect(res.statusCode, role).toBe(403);
      }
      expect((await (await api.asToken('manager')).get('/api/v1/audit')).statusCode).toBe(403);
      expect((await api.anonymous.get('/api/v1/audit')).statusCode).toBe(401);
      expect((await (await api.asToken('admin')).get('/api/v1/audit')).statusCode).toBe(200);
    });

    it('shows the changes made through the API, each exactly once', async () => {
      const created = await admin.post('/api/v1/users', {
        username: 'audited',
        password: TEST_PASSWORD,
        role: 'analyst',
      });
      const user = created.json();
      await admin.patch(`/api/v1/users/${user.id}`, { role: 'service', version: user.version });
      await admin.patch(`/api/v1/users/${user.id}`, { disabled: true, version: user.version + 1 });
      const token = (await admin.post('/api/v1/tokens', { name: 'bi', role: 'analyst' })).json();
      await admin.delete(`/api/v1/tokens/${token.id}`);

      const forUser = await get(`actor=auditor&entity=user&entityId=${user.id}`);
      expect(forUser.items.map((e) => e.action)).toEqual(['user.update', 'user.update', 'user.create']);
      const forToken = await get(`actor=auditor&entity=api_token&entityId=${token.id}`);
      expect(forToken.items.map((e) => e.action)).toEqual(['token.revoke', 'token.create']);
      expect((await get('action=login.success&actor=auditor')).total).toBe(1);
    });

    it('is documented in OpenAPI with its filters', async () => {
      const doc = (await api.app.inject({ method: 'GET', url: '/api/docs/json' })).json();
      const params = doc.paths['/api/v1/audit'].get.parameters.map((p: { name: string }) => p.name);
      expect(params).toEqual(
        expect.arrayContaining(['actor', 'action', 'entity', 'from', 'to', 'page', 'pageSize']),
      );
    });
  });
}
