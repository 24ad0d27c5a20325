import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRunMoves } from '../../src/db/classification/classification-reports.repository.ts';
import { loadDemo } from '../../src/services/demo/demo.loader.ts';
import { type ApiClient, type ApiTest, openApiTest } from '../support/api.ts';
import { DIALECTS } from '../support/databases.ts';

const AS_OF = '2024-06-30';
const SCHEMES = ['value_tier', 'lifecycle', 'rfm8', 'value_potential'];

type Matrix = Record<string, Record<string, number>>;
const matrixTotal = (m: Matrix) =>
  Object.values(m)
    .flatMap((row) => Object.values(row))
    .reduce((a, b) => a + b, 0);

const rowSums = (m: Matrix) =>
  Object.fromEntries(
    Object.entries(m).map(([from, row]) => [from, Object.values(row).reduce((a, b) => a + b, 0)]),
  );
function columnSums(m: Matrix): Record<string, number> {
  const out: Record<string, number> = {};
  for (const row of Object.values(m)) for (const [to, n] of Object.entries(row)) out[to] = (out[to] ?? 0) + n;
  return out;
}

for (const dialect of DIALECTS) {
  describe(`dashboard API on ${dialect}`, () => {
    let api: ApiTest;
    let analyst: ApiClient;
    let sales: ApiClient;
    let orders: { n: number; revenue: number };
    beforeAll(async () => {
      api = await openApiTest(dialect);
      await loadDemo({ handle: api.t, cipher: api.cipher, seed: 42, customers: 300, asOf: AS_OF });
      const admin = await api.as('admin');
      analyst = await api.as('analyst');
      sales = await api.as('sales');
      expect((await admin.post('/api/v1/classification/runs', { asOf: '2024-03-31' })).statusCode).toBe(200);
      expect((await admin.post('/api/v1/classification/runs', { asOf: AS_OF })).statusCode).toBe(200);
      const ids = await api.t.db.selectFrom('customers').select('id').orderBy('id').limit(30).execute();
      await api.t.db
        .updateTable('customers')
        .set({ owner_user_id: sales.userId })
        .where(
          'id',
          'in',
          ids.map((r) => r.id),
        )
        .execute();
      const row = await api.t.db
        .selectFrom('orders')
        .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('amount').as('revenue')])
        .where('status', '=', 'completed')
        .where('order_date', '>', '2023-07-01')
        .where('order_date', '<=', AS_OF)
        .executeTakeFirstOrThrow();
      orders = { n: Number(row.n), revenue: Number(row.revenue) };
    });
    afterAll(async () => api?.close());

    /** Customers per class held now, per scheme, read straight from the table (optionally one owner's). */
    async function currentClassCounts(owner?: number): Promise<Record<string, Record<string, number>>> {
      let q = api.t.db
        .selectFrom('customer_classes as cc')
        .innerJoin('schemes as s', 's.id', 'cc.scheme_id')
        .innerJoin('customers as c', 'c.id', 'cc.customer_id')
        .select(['s.key as scheme', 'cc.class_key as classKey']);
      if (owner !== undefined) q = q.where('c.owner_user_id', '=', owner);
      const out: Record<string, Record<string, number>> = {};
      for (const r of await q.execute()) {
        out[r.scheme] ??= {};
        out[r.scheme][r.classKey] = (out[r.scheme][r.classKey] ?? 0) + 1;
      }
      return out;
    }

    it('shows one screen of figures after a classification run on the demo data', async () => {
      const res = await analyst.get(`/api/v1/dashboard?asOf=${AS_OF}`);
      expect(res.statusCode).toBe(200);
      const d = res.json();
      expect(d.asOf).toBe(AS_OF);
      expect(d.scope).toBe('all');
      expect(d.totals.customers).toBe(300);
      expect(d.totals.orders).toBeGreaterThan(0);
      expect(d.totals.revenue365d).toBe(orders.revenue);
      expect(d.totals.activeCustomers365d).toBeGreaterThan(0);
      expect(d.totals.activeCustomers365d).toBeLessThanOrEqual(300);

      expect(d.distribution.map((s: { schemeKey: string }) => s.schemeKey)).toEqual(SCHEMES);
      for (const s of d.distribution) expect(s.total).toBe(300);

      const cells = d.rfmHeatmap as { r: number; f: number; customers: number; avgM: number }[];
      expect(cells.length).toBeGreaterThan(3);
      for (const c of cells) {
        expect(c.r).toBeGreaterThanOrEqual(1);
        expect(c.r).toBeLessThanOrEqual(5);
        expect(c.avgM).toBeGreaterThanOrEqual(1);
        expect(c.avgM).toBeLessThanOrEqual(5);
      }
      const scored = await api.t.db
        .selectFrom('customer_metrics')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('r_score', 'is not', null)
        .executeTakeFirstOrThrow();
      expect(cells.reduce((n, c) => n + c.customers, 0)).toBe(Number(scored.n));

      expect(d.valuePotential.schemeKey).toBe('value_potential');
      expect(d.valuePotential.points.length).toBeGreaterThan(0);
      expect(d.valuePotential.points.length).toBeLessThanOrEqual(2000);
      expect(d.valuePotential.points[0]).toEqual({
        code: expect.any(String),
        value: expect.any(Number),
        potential: expect.any(Number),
        classKey: expect.any(String),
      });
      expect(d.valuePotential.classes.map((c: { key: string }) => c.key)).toContain('strategic');

      // every scheme has its trend, its transitions and its retention: none may be empty
      expect(d.classTrend.map((x: { schemeKey: string }) => x.schemeKey)).toEqual(SCHEMES);
      expect(d.transitions.map((x: { schemeKey: string }) => x.schemeKey)).toEqual(SCHEMES);
      expect(d.retention.map((x: { schemeKey: string }) => x.schemeKey)).toEqual(SCHEMES);
      const current = await currentClassCounts();
      for (const trend of d.classTrend) {
        expect(trend.runs.map((r: { asOf: string }) => r.asOf)).toEqual(['2024-03-31', AS_OF]);
        expect(trend.classes.length, trend.schemeKey).toBeGreaterThan(0);
        for (const run of trend.runs) {
          expect(Object.values(run.counts as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(300);
        }
        // the last run's counts are the classes customers hold now
        expect(trend.runs[1].counts, trend.schemeKey).toEqual(current[trend.schemeKey]);
      }
      for (const t of d.transitions) {
        expect(t.fromRunId).not.toBeNull();
        expect(t.toAsOf).toBe(AS_OF);
        expect(matrixTotal(t.matrix)).toBe(300);
        expect(t.matrix['(none)']).toBeUndefined();
        // rows sum to the classes of the earlier run, columns to the classes held now
        const trend = d.classTrend.find((x: { schemeKey: string }) => x.schemeKey === t.schemeKey);
        expect(rowSums(t.matrix), t.schemeKey).toEqual(trend.runs[0].counts);
        expect(columnSums(t.matrix), t.schemeKey).toEqual(current[t.schemeKey]);
      }

      for (const scheme of d.retention) {
        expect(scheme.classes.length, scheme.schemeKey).toBeGreaterThan(1);
        expect(scheme.classes.reduce((n: number, c: { customers: number }) => n + c.customers, 0)).toBe(300);
        const held = Object.fromEntries(
          scheme.classes
            .filter((c: { customers: number }) => c.customers > 0)
            .map((c: { key: string; customers: number }) => [c.key, c.customers]),
        );
        expect(held, scheme.schemeKey).toEqual(current[scheme.schemeKey]);
        for (const c of scheme.classes) {
          if (c.repurchaseRate !== null) {
            expect(c.repurchaseRate).toBeGreaterThanOrEqual(0);
            expect(c.repurchaseRate).toBeLessThanOrEqual(1);
          }
          if (c.retentionRate !== null) expect(c.retentionRate).toBeLessThanOrEqual(1);
          expect(c.retained).toBeLessThanOrEqual(c.activePrevious);
        }
      }
      const lifecycle = d.retention.find((s: { schemeKey: string }) => s.schemeKey === 'lifecycle');
      const churned = lifecycle.classes.find((c: { key: string }) => c.key === 'churned');
      // Churned customers bought nothing in the last 180 days, so hardly twice in 365.
      if (churned.customers > 0) expect(churned.repurchaseRate).toBeLessThan(0.5);

      expect(d.satisfaction).toHaveLength(12);
      expect(d.satisfaction[11].month).toBe('2024-06');
      expect(d.satisfaction[0].month).toBe('2023-07');
      expect(d.satisfaction.some((m: { responses: number }) => m.responses > 0)).toBe(true);
      expect(d.tasks).toEqual({ due: 0, overdue: 0, next7Days: 0 });
      expect(d.lastRun).toMatchObject({ asOf: AS_OF, status: 'succeeded' });
      expect(d.lastImport).toBeNull();
    });

    it('narrows every customer figure to a sales user’s own customers', async () => {
      const res = await sales.get(`/api/v1/dashboard?asOf=${AS_OF}`);
      expect(res.statusCode).toBe(200);
      const d = res.json();
      expect(d.scope).toBe('own');
      expect(d.totals.customers).toBe(30);
      expect(d.totals.revenue365d).toBeLessThan(orders.revenue);
      for (const s of d.distribution) expect(s.total).toBe(30);
      expect(
        d.rfmHeatmap.reduce((n: number, c: { customers: number }) => n + c.customers, 0),
      ).toBeLessThanOrEqual(30);
      expect(d.valuePotential.points.length).toBeLessThanOrEqual(30);
      expect(d.transitions.map((x: { schemeKey: string }) => x.schemeKey)).toEqual(SCHEMES);
      expect(d.classTrend.map((x: { schemeKey: string }) => x.schemeKey)).toEqual(SCHEMES);
      const own = await currentClassCounts(sales.userId);
      for (const t of d.transitions) {
        expect(matrixTotal(t.matrix)).toBe(30);
        expect(columnSums(t.matrix), t.schemeKey).toEqual(own[t.schemeKey]);
      }
      for (const trend of d.classTrend) {
        expect(trend.runs).toHaveLength(2);
        for (const run of trend.runs) {
          expect(Object.values(run.counts as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(30);
        }
      }
    });

    it('rebuilds from class changes the same counts and transition matrix every run stored', async () => {
      // An owner's view rebuilds a run's figures in SQL; over every customer they must equal the stored ones.
      const runs = (await analyst.get('/api/v1/classification/runs')).json().runs as {
        id: number;
        population: number;
        counts: Record<string, number>;
        transitions: Matrix;
        changed: number;
      }[];
      expect(runs.length).toBe(8);
      const moves = await loadRunMoves(api.t.db, { runIds: runs.map((r) => r.id) });
      for (const run of runs) {
        const matrix: Matrix = {};
        const counts: Record<string, number> = Object.fromEntries(Object.keys(run.counts).map((k) => [k, 0]));
        let changed = 0;
        for (const m of moves.filter((x) => x.runId === run.id)) {
          const from = m.from ?? '(none)';
          matrix[from] ??= {};
          matrix[from][m.to] = (matrix[from][m.to] ?? 0) + m.customers;
          counts[m.to] = (counts[m.to] ?? 0) + m.customers;
          if (from !== m.to) changed += m.customers;
        }
        expect(matrix).toEqual(run.transitions);
        expect(counts).toEqual(run.counts);
        expect(changed).toBe(run.changed);
        expect(matrixTotal(matrix)).toBe(run.population);
      }
    });

    it('asks for a sign-in and a valid date', async () => {
      expect((await api.anonymous.get('/api/v1/dashboard')).statusCode).toBe(401);
      expect((await analyst.get('/api/v1/dashboard?asOf=yesterday')).statusCode).toBe(400);
    });
  });
}
