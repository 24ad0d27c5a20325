import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connect.ts';
import { runImport } from '../../src/services/import/import.service.ts';
import { type ApiClient, type ApiTest, openApiTest } from '../support/api.ts';
import { DIALECTS } from '../support/databases.ts';
import { importOptions, tempDir } from '../support/imports.ts';
import { classify, seedCustomer, seedOrder } from './customers.seed.ts';

const list = (params: Record<string, string | number>) =>
  `/api/v1/customers?${new URLSearchParams(Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])))}`;

/**
 * Totals and orders of the customer list are kept per state of the data; every kind
 * of write must show in the very next answer, whoever made it.
 */
for (const dialect of DIALECTS) {
  describe(`customer list totals after writes on ${dialect}`, () => {
    let api: ApiTest;
    let admin: ApiClient;
    const dir = tempDir('fresh-totals');

    /** Asked twice, so the second answer comes from whatever the first one kept. */
    async function page(params: Record<string, string | number>) {
      await admin.get(list(params));
      const res = await admin.get(list(params));
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as { total: number; items: { code: string }[] };
    }
    const total = async (params: Record<string, string | number>) => (await page(params)).total;

    beforeAll(async () => {
      api = await openApiTest(dialect);
      admin = await api.as('admin');
      for (let i = 1; i <= 4; i++)
        await seedCustomer(admin, { code: `F${i}`, name: `客户${i}`, region: '华北' });
      await seedOrder(admin, 'F1', { orderedAt: '2024-05-01 10:00', amount: 50_000 });
      await seedOrder(admin, 'F2', { orderedAt: '2024-05-02 10:00', amount: 20_000 });
      await classify(api);
    });
    afterAll(async () => {
      await api?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('counts an edit at once', async () => {
      expect(await total({ filter: 'region = "华东"' })).toBe(0);
      const before = (await admin.get('/api/v1/customers/F3')).json();
      const res = await admin.patch('/api/v1/customers/F3', {
        version: before.customer.version,
        region: '华东',
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(await total({ filter: 'region = "华东"' })).toBe(1);
      expect(await total({ region: '华北' })).toBe(3);
    });

    it('counts an import at once', async () => {
      expect(await total({})).toBe(4);
      const file = path.join(dir, `customers-${dialect}.csv`);
      fs.writeFileSync(file, ['客户编号,姓名,地区', 'F5,客户5,华东', 'F6,客户6,华东'].join('\n'));
      const report = await runImport(api.t, importOptions('customers', file, { reportDir: dir }));
      expect(report.counts).toMatchObject({ new: 2 });
      expect(await total({})).toBe(6);
      expect(await total({ filter: 'region = "华东"' })).toBe(3);
    });

    it('counts and orders by the metrics of a new classification run at once', async () => {
      const spent = { filter: 'total_amount >= 100', sort: 'total_amount', dir: 'desc', pageSize: 5 };
      const first = await page(spent);
      expect(first.total).toBe(2);
      expect(first.items.map((i) => i.code)).toEqual(['F1', 'F2']);
      // The order alone changes no metric: the answer stays, now kept for the new state.
      const f4 = await api.t.db
        .selectFrom('customers')
        .select('id')
        .where('code', '=', 'F4')
        .executeTakeFirstOrThrow();
      await api.t.db
        .insertInto('orders')
        .values({
          customer_id: f4.id,
          source: 'test',
          external_id: `fresh-${dialect}`,
          ordered_at: '2024-06-01 10:00:00',
          order_date: '2024-06-01',
          amount: 90_000,
          cost: null,
          quantity: 1,
          product: null,
          category: null,
          channel: null,
          status: 'completed',
          import_job_id: null,
          created_at: new Date().toISOString(),
        })
        .execute();
      expect((await page(spent)).total).toBe(2);
      await classify(api);
      const after = await page(spent);
      expect(after.total).toBe(3);
      expect(after.items.map((i) => i.code)).toEqual(['F4', 'F1', 'F2']);
    });

    it('writes nothing when an API token reads again within the hour', async () => {
      const reader = await api.asToken('manager');
      const lastUsed = async () =>
        (
          await api.t.db
            .selectFrom('api_tokens')
            .select('last_used_at')
            .orderBy('id', 'desc')
            .executeTakeFirstOrThrow()
        ).last_used_at;
      expect((await reader.get(list({ pageSize: 1 }))).statusCode).toBe(200);
      const first = await lastUsed();
      expect(first).not.toBeNull();
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect((await reader.get(list({ pageSize: 1 }))).statusCode).toBe(200);
      expect(await lastUsed()).toBe(first);
    });

    it('counts a write made through another connection at once', async () => {
      expect(await total({ filter: 'region = "西南"' })).toBe(0);
      // Another process (a CLI import, a second server) reaches the same database.
      const other = openDatabase(api.t.target);
      try {
        await other.db.updateTable('customers').set({ region: '西南' }).where('code', '=', 'F2').execute();
      } finally {
        await other.close();
      }
      expect(await total({ filter: 'region = "西南"' })).toBe(1);
      const first = await page({ sort: 'total_amount', dir: 'desc', pageSize: 1, filter: 'region = "西南"' });
      expect(first.items.map((i) => i.code)).toEqual(['F2']);
    });
  });
}
