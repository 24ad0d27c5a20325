import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.ts';
import { runImport } from '../../src/services/import/import.service.ts';
import { createdIndexes, DIALECTS, openTestDb, type TestDb } from '../support/databases.ts';
import { importOptions, tempDir } from '../support/imports.ts';
import { customerRow } from '../support/rows.ts';

/**
 * The settings bulk writes run under: transactions whose writer vouches for its ids, index
 * builds with the engine's memory set for sorting, and an orders import into an empty
 * table, which builds the (customer, date) index at its end.
 */
const dir = tempDir('bulk-writes');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function addCustomer(db: Db, code: string): Promise<number> {
  const row = await db
    .insertInto('customers')
    .values(customerRow(code))
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

async function addOrder(db: Db, options: { customerId: number; externalId: string }): Promise<void> {
  await db
    .insertInto('orders')
    .values({
      customer_id: options.customerId,
      source: 'test',
      external_id: options.externalId,
      ordered_at: '2024-05-01 10:00:00',
      order_date: '2024-05-01',
      amount: 100,
      status: 'completed',
      created_at: new Date().toISOString(),
    })
    .execute();
}

async function customerCodes(db: Db): Promise<string[]> {
  return (await db.selectFrom('customers').select('code').orderBy('code').execute()).map((r) => r.code);
}

function ordersFile(name: string, lines: string[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `${['订单号,客户编号,下单时间,金额', ...lines].join('\n')}\n`);
  return file;
}

for (const dialect of DIALECTS) {
  describe(`bulk writes on ${dialect}`, () => {
    let t: TestDb;
    beforeAll(async () => {
      t = await openTestDb(dialect);
    });
    afterAll(async () => t?.drop());

    const orderIndexes = () => createdIndexes(t, 'orders');

    it('leaves the empty orders table and its index as they were when the file breaks midway', async () => {
      // A quote that never closes, after thousands of orders were written: the rest is unreadable.
      const broken = ordersFile('broken.csv', [
        ...Array.from({ length: 5_000 }, (_, i) => `X${i},XC${i % 50},2024-06-01 10:00:00,${i + 1}`),
        'X-bad,XC1,"2024-06-01 10:00:00,1',
        ...Array.from({ length: 70_000 }, (_, i) => `Y${i},XC1,2024-06-01 10:00:00,1`),
      ]);
      await expect(runImport(t, importOptions('orders', broken, { reportDir: dir }))).rejects.toMatchObject({
        code: 'UnreadableFile',
      });
      const orders = await t.db.selectFrom('orders').select('id').execute();
      expect(orders).toEqual([]);
      expect(await orderIndexes()).toEqual(['orders_customer_date']);
    });

    it('imports orders into an empty table with the (customer, date) index in place at the end', async () => {
      const failed = await runImport(
        t,
        importOptions(
          'orders',
          ordersFile('bad.csv', ['B1,BC1,2024-05-01 10:00:00,10', 'B2,BC1,2024-02-30 10:00:00,10']),
          { reportDir: dir },
        ),
      );
      expect(failed.committed).toBe(false);
      expect(await orderIndexes()).toEqual(['orders_customer_date']);
      const first = ordersFile(
        'first.csv',
        Array.from(
          { length: 300 },
          (_, i) => `F${i},FC${i % 30},2024-05-${String((i % 28) + 1).padStart(2, '0')} 10:00:00,${i + 1}`,
        ),
      );
      const report = await runImport(t, importOptions('orders', first, { reportDir: dir }));
      expect(report.committed).toBe(true);
      expect(report.counts.new).toBe(300);
      expect(await orderIndexes()).toEqual(['orders_customer_date']);
      const more = await runImport(
        t,
        importOptions('orders', ordersFile('more.csv', ['M1,FC1,2024-06-01 10:00:00,5']), { reportDir: dir }),
      );
      expect(more.counts.new).toBe(1);
      expect(await orderIndexes()).toEqual(['orders_customer_date']);
      if (dialect === 'sqlite') {
        const plan = await sql<{ detail: string }>`explain query plan
          select id from orders where customer_id = 1 and order_date <= '2024-06-30'`.execute(t.db);
        expect(plan.rows.map((r) => r.detail).join(' ')).toContain('orders_customer_date');
      }
      const perCustomer = await t.db
        .selectFrom('orders as o')
        .innerJoin('customers as c', 'c.id', 'o.customer_id')
        .select((eb) => ['c.code as code', eb.fn.countAll<number>().as('n')])
        .where('c.code', '=', 'FC1')
        .groupBy('c.code')
        .executeTakeFirstOrThrow();
      expect(Number(perCustomer.n)).toBe(11);
    });

    it('commits what a bulk transaction wrote and hands back its result', async () => {
      const id = await t.bulkTransaction(async (trx) => {
        const customerId = await addCustomer(trx, 'BULK-1');
        await addOrder(trx, { customerId, externalId: 'bulk-1' });
        return customerId;
      });
      expect(await customerCodes(t.db)).toContain('BULK-1');
      const order = await t.db
        .selectFrom('orders')
        .select('customer_id')
        .where('external_id', '=', 'bulk-1')
        .executeTakeFirstOrThrow();
      expect(Number(order.customer_id)).toBe(id);
    });

    it('rolls a failed bulk transaction back whole, and checks foreign keys again afterwards', async () => {
      await expect(
        t.bulkTransaction(async (trx) => {
          await addCustomer(trx, 'BULK-GONE');
          throw new Error('stop here');
        }),
      ).rejects.toThrow('stop here');
      expect(await customerCodes(t.db)).not.toContain('BULK-GONE');
      await expect(addOrder(t.db, { customerId: 987_654, externalId: 'orphan' })).rejects.toThrow();
    });

    if (dialect === 'sqlite') {
      it('skips the row-by-row foreign-key checks inside a bulk transaction only', async () => {
        const raw = () => sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(t.db);
        await expect(
          t.bulkTransaction(async (trx) => {
            // The writer vouches for its ids: this one is wrong, and nothing stops it here.
            await addOrder(trx, { customerId: 987_654, externalId: 'unchecked' });
            const seen = await trx
              .selectFrom('orders')
              .select('id')
              .where('external_id', '=', 'unchecked')
              .execute();
            expect(seen).toHaveLength(1);
            throw new Error('roll back');
          }),
        ).rejects.toThrow('roll back');
        expect((await raw()).rows[0]?.foreign_keys).toBe(1);
        await expect(addOrder(t.db, { customerId: 987_654, externalId: 'unchecked' })).rejects.toThrow(
          /FOREIGN KEY/,
        );
      });

      it('builds indexes with a small sort cache and puts the connection back as it was', async () => {
        const setting = async (name: 'cache_size' | 'threads') =>
          Number((await sql.raw<Record<string, number>>(`pragma ${name}`).execute(t.db)).rows[0]?.[name]);
        const before = { cache: await setting('cache_size'), threads: await setting('threads') };
        const during = await t.caps.buildIndexes(t.db, async () => {
          await sql`create index probe_orders_amount on orders (amount)`.execute(t.db);
          return { cache: await setting('cache_size'), threads: await setting('threads') };
        });
        expect(during.cache).toBeGreaterThan(before.cache); // negative KB: a smaller cache
        expect(await setting('cache_size')).toBe(before.cache);
        expect(await setting('threads')).toBe(before.threads);
        await expect(
          t.caps.buildIndexes(t.db, () =>
            sql`create index probe_orders_amount on orders (amount)`.execute(t.db),
          ),
        ).rejects.toThrow(/already exists/);
        expect(await setting('cache_size')).toBe(before.cache);
        await sql`drop index probe_orders_amount`.execute(t.db);
      });
    }
  });
}
