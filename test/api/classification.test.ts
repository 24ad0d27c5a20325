import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../src/services/demo/demo.loader.ts';
import { type ApiClient, type ApiTest, openApiTest } from '../support/api.ts';
import { DIALECTS } from '../support/databases.ts';

const AS_OF = '2024-06-30';

async function count(
  api: ApiTest,
  table: 'classification_runs' | 'customer_classes' | 'audit_log',
): Promise<number> {
  const row = await api.t.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

type Distribution = { schemeKey: string; total: number; classes: { key: string; customers: number }[] };

for (const dialect of DIALECTS) {
  describe(`classification API on ${dialect}`, () => {
    let api: ApiTest;
    let manager: ApiClient;
    let analyst: ApiClient;
    let sales: ApiClient;
    let ownCodes: string[];
    let otherCode: string;
    beforeAll(async () => {
      api = await openApiTest(dialect);
      await loadDemo({ handle: api.t, cipher: api.cipher, seed: 11, customers: 300, asOf: AS_OF });
      manager = await api.as('manager');
      analyst = await api.as('analyst');
      sales = await api.as('sales');
      const customers = await api.t.db.selectFrom('customers').select(['id', 'code']).orderBy('id').execute();
      ownCodes = customers.slice(0, 20).map((c) => c.code);
      otherCode = customers[25].code;
      await api.t.db
        .updateTable('customers')
        .set({ owner_user_id: sales.userId })
        .where('code', 'in', ownCodes)
        .execute();
    });
    afterAll(async () => api?.close());

    it('refuses to run for roles without classification.run, writing nothing', async () => {
      for (const client of [analyst, sales]) {
        const runs = await count(api, 'classification_runs');
        const audits = await count(api, 'audit_log');
        const res = await client.post('/api/v1/classification/runs', { asOf: AS_OF });
        expect(res.statusCode).toBe(403);
        expect(await count(api, 'classification_runs')).toBe(runs);
        expect(await count(api, 'customer_classes')).toBe(0);
        expect(await count(api, 'audit_log')).toBe(audits);
      }
    });

    it('runs every active scheme now, audits once, and reports the distribution', async () => {
      const audits = await count(api, 'audit_log');
      const res = await manager.post('/api/v1/classification/runs', { asOf: AS_OF });
      expect(res.statusCode).toBe(200);
      const runs = res.json().runs;
      expect(runs.map((r: { schemeKey: string }) => r.schemeKey)).toEqual([
        'value_tier',
        'lifecycle',
        'rfm8',
        'value_potential',
      ]);
      for (const run of runs) {
        expect(run.population).toBe(300);
        expect(run.transitions['(none)']).toBeDefined();
      }
      expect(await count(api, 'audit_log')).toBe(audits + 1);

      const dist = await analyst.get('/api/v1/classification/distribution');
      expect(dist.statusCode).toBe(200);
      const schemes: Distribution[] = dist.json().schemes;
      expect(schemes).toHaveLength(4);
      for (const s of schemes) {
        expect(s.total).toBe(300);
        expect(s.classes.reduce((n, c) => n + c.customers, 0)).toBe(300);
      }
      const rfm = dist.json().schemes.find((s: Distribution) => s.schemeKey === 'rfm8');
      expect(rfm.classes[0]).toMatchObject({ key: 'important_value', name: { zh: '重要价值客户' } });
      expect(rfm.classes[0].color).toMatch(/^#/);
      expect(rfm.lastRun).toMatchObject({ asOf: AS_OF });
      expect(rfm.classes.map((c: { customers: number }) => c.customers)).toEqual(
        rfm.classes.map((c: { key: string }) => runs[2].counts[c.key] ?? 0),
      );

      const one = await analyst.get('/api/v1/classification/distribution?scheme=lifecycle');
      expect(one.json().schemes.map((s: Distribution) => s.schemeKey)).toEqual(['lifecycle']);
      expect((await analyst.get('/api/v1/classification/distribution?scheme=nope')).statusCode).toBe(404);
    });

    it('lists runs with counts and transition matrices, newest first', async () => {
      await manager.post('/api/v1/classification/runs', { asOf: '2024-07-31', schemeKeys: ['lifecycle'] });
      const res = await analyst.get('/api/v1/classification/runs?scheme=lifecycle');
      expect(res.statusCode).toBe(200);
      const runs = res.json().runs;
      expect(runs).toHaveLength(2);
      expect(runs[0]).toMatchObject({
        schemeKey: 'lifecycle',
        asOf: '2024-07-31',
        previousRunId: runs[1].id,
      });
      const moved = Object.entries(runs[0].transitions as Record<string, Record<string, number>>)
        .flatMap(([from, row]) => Object.entries(row).map(([to, n]) => (from === to ? 0 : n)))
        .reduce((a, b) => a + b, 0);
      expect(moved).toBe(runs[0].changed);
      expect(runs[0].transitions['(none)']).toBeUndefined();

      const page = await analyst.get(`/api/v1/classification/runs?limit=1&before=${runs[0].id}`);
      expect(page.json().runs[0].id).toBeLessThan(runs[0].id);
      const single = await analyst.get(`/api/v1/classification/runs/${runs[1].id}`);
      expect(single.json()).toMatchObject({ id: runs[1].id, population: 300, schemeVersion: 1 });
      expect((await analyst.get('/api/v1/classification/runs/999999')).statusCode).toBe(404);
    });

    it("explains a customer's classes with the why and their history", async () => {
      const res = await analyst.get(`/api/v1/customers/${encodeURIComponent(otherCode)}/classes`);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.customerCode).toBe(otherCode);
      expect(body.schemes).toHaveLength(4);
      for (const s of body.schemes) {
        expect(s.classKey).toBeTruthy();
        expect(s.explanation.classKey).toBe(s.classKey);
        expect(s.explanation.lines.zh.length).toBeGreaterThan(0);
        expect(s.explanation.lines.en.length).toBeGreaterThan(0);
        expect(s.history[0]).toMatchObject({ from: null, to: expect.any(String), at: AS_OF });
      }
      const lifecycle = body.schemes.find((s: { schemeKey: string }) => s.schemeKey === 'lifecycle');
      expect(lifecycle.asOf).toBe('2024-07-31');
      expect((await analyst.get('/api/v1/customers/NO-SUCH/classes')).statusCode).toBe(404);
    });

    it('limits sales to their own customers', async () => {
      const own = await sales.get(`/api/v1/customers/${encodeURIComponent(ownCodes[0])}/classes`);
      expect(own.statusCode).toBe(200);
      const other = await sales.get(`/api/v1/customers/${encodeURIComponent(otherCode)}/classes`);
      expect(other.statusCode).toBe(404);
      expect(other.json().error.code).toBe('CustomerNotFound');
      const dist = await sales.get('/api/v1/classification/distribution');
      expect(dist.json().schemes).toHaveLength(4);
      for (const s of dist.json().schemes as Distribution[]) expect(s.total).toBe(ownCodes.length);
    });

    it('asks for a sign-in', async () => {
      expect((await api.anonymous.get('/api/v1/classification/distribution')).statusCode).toBe(401);
      expect((await api.anonymous.post('/api/v1/classification/runs', {})).statusCode).toBe(401);
    });
  });
}
