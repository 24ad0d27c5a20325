import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeleiError } from '../../src/core/errors.ts';
import { type DemoDataSet, generateDemo } from '../../src/services/demo/demo.generator.ts';
import { insertDemo, loadDemo } from '../../src/services/demo/demo.loader.ts';
import { createPiiCipher } from '../../src/services/privacy/pii-cipher.ts';
import { DIALECTS, openTestDb, type TestDb } from '../support/databases.ts';

const cipher = createPiiCipher(Buffer.alloc(32, 3));
const OPTIONS = { seed: 7, customers: 300, asOf: '2024-06-30' };

async function count(
  t: TestDb,
  table: 'customers' | 'orders' | 'interactions' | 'feedback',
): Promise<number> {
  const row = await t.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

for (const dialect of DIALECTS) {
  describe(`loadDemo on ${dialect}`, () => {
    let t: TestDb;
    let demo: DemoDataSet;
    beforeAll(async () => {
      t = await openTestDb(dialect);
      demo = generateDemo(OPTIONS);
    });
    afterAll(async () => t?.drop());

    it('inserts every record of the generated set', async () => {
      // A tiny parameter limit forces many multi-row statements.
      const result = await insertDemo({
        handle: { ...t, caps: { ...t.caps, maxParameters: 500 } },
        cipher,
        data: demo,
      });
      expect(result).toEqual({
        customers: 300,
        orders: demo.orders.length,
        interactions: demo.interactions.length,
        feedback: demo.feedback.length,
        asOf: '2024-06-30',
      });
      expect(await count(t, 'customers')).toBe(300);
      expect(await count(t, 'orders')).toBe(demo.orders.length);
      expect(await count(t, 'interactions')).toBe(demo.interactions.length);
      expect(await count(t, 'feedback')).toBe(demo.feedback.length);
      const revenue = await t.db
        .selectFrom('orders')
        .select((eb) => eb.fn.sum<number>('amount').as('total'))
        .where('status', '=', 'completed')
        .executeTakeFirstOrThrow();
      const expected = demo.orders.filter((o) => o.status === 'completed').reduce((a, o) => a + o.amount, 0);
      expect(Number(revenue.total)).toBe(expected);
    });

    it('stores orders with source demo, D-numbered ids and wall times', async () => {
      const first = await t.db
        .selectFrom('orders as o')
        .innerJoin('customers as c', 'c.id', 'o.customer_id')
        .select([
          'o.source',
          'o.external_id',
          'o.ordered_at',
          'o.order_date',
          'o.amount',
          'o.created_at',
          'c.code',
        ])
        .orderBy('o.external_id')
        .executeTakeFirstOrThrow();
      const expected = demo.orders[0];
      expect(first).toMatchObject({
        source: 'demo',
        external_id: 'D000001',
        ordered_at: expected.orderedAt,
        order_date: expected.orderDate,
        amount: expected.amount,
        code: expected.customerCode,
      });
      // Shanghai wall time 8 hours ahead of UTC.
      const wall = Date.parse(`${expected.orderedAt.replace(' ', 'T')}Z`);
      expect(Date.parse(first.created_at)).toBe(wall - 8 * 3_600_000);
    });

    it('keeps phone and e-mail only encrypted, findable by blind index', async () => {
      const customer = demo.customers.find((c) => c.email !== null) ?? demo.customers[0];
      const rows = await t.db.selectFrom('customers').selectAll().execute();
      expect(rows).toHaveLength(demo.customers.length);
      for (const row of rows) {
        const text = JSON.stringify(row);
        const plain = demo.customers.find((c) => c.code === row.code);
        expect(plain).toBeDefined();
        expect(text).not.toContain(plain?.phone);
        if (plain?.email) expect(text).not.toContain(plain.email);
        expect(text).not.toContain(plain?.address);
      }
      const found = await t.db
        .selectFrom('customers')
        .select(['code', 'phone_enc', 'email_enc'])
        .where('phone_idx', '=', cipher.blindIndex(customer.phone))
        .execute();
      expect(found.map((r) => r.code)).toEqual([customer.code]);
      expect(cipher.decrypt(found[0].phone_enc ?? '')).toBe(customer.phone);
      const byEmail = await t.db
        .selectFrom('customers')
        .select('code')
        .where('email_idx', '=', cipher.blindIndex(customer.email?.toLowerCase() ?? ''))
        .execute();
      expect(byEmail.map((r) => r.code)).toEqual([customer.code]);
    });

    it('refuses to load the demo twice and changes nothing', async () => {
      const before = await count(t, 'orders');
      await expect(loadDemo({ handle: t, cipher, ...OPTIONS })).rejects.toBeInstanceOf(KeleiError);
      expect(await count(t, 'orders')).toBe(before);
      expect(await count(t, 'customers')).toBe(300);
    });
  });
}
