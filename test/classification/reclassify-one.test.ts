import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  reclassifyCustomer,
  runClassification,
} from '../../src/services/classification/classification.service.ts';
import { DIALECTS, openTestDb, type TestDb } from '../support/databases.ts';

const AS_OF = '2024-06-30';
const SIZES = [null, '小型', '中型', '大型'];

/** 60 customers with spread-out order histories (a few without orders), deterministic. */
async function seed(t: TestDb): Promise<number[]> {
  const now = new Date().toISOString();
  await t.db
    .insertInto('customers')
    .values(
      Array.from({ length: 60 }, (_, i) => ({
        code: `R${String(i + 1).padStart(3, '0')}`,
        name: `客户${i + 1}`,
        kind: i % 7 === 0 ? 'company' : 'individual',
        company_size: i % 7 === 0 ? SIZES[(i / 7) % 4] : null,
        region: i % 2 ? '华东' : '华北',
        consent_marketing: 0,
        opening_order_count: 0,
        opening_amount: 0,
        created_at: now,
        updated_at: now,
      })),
    )
    .execute();
  const ids = (await t.db.selectFrom('customers').select(['id']).orderBy('id').execute()).map((r) =>
    Number(r.id),
  );
  const orders = ids.flatMap((id, i) =>
    i % 11 === 10
      ? []
      : Array.from({ length: 1 + ((i * 7) % 9) }, (_, k) => {
          const day = 1 + ((i * 37 + k * 53) % 700);
          const date = new Date(Date.parse(`${AS_OF}T00:00:00Z`) - day * 86_400_000)
            .toISOString()
            .slice(0, 10);
          return {
            customer_id: id,
            source: 'test',
            external_id: `O${i}-${k}`,
            ordered_at: `${date} 10:00:00`,
            order_date: date,
            amount: k === 3 ? -5_000 : 10_000 + ((i * 1_931 + k * 7_919) % 400_000),
            cost: k % 2 ? 4_000 : null,
            category: ['服装', '数码', '家居'][(i + k) % 3],
            status: 'completed',
            created_at: now,
          };
        }),
  );
  await t.db.insertInto('orders').values(orders).execute();
  return ids;
}

async function addOrder(
  t: TestDb,
  options: { customerId: number; n: number; amount: number },
): Promise<void> {
  await t.db
    .insertInto('orders')
    .values({
      customer_id: options.customerId,
      source: 'test',
      external_id: `NEW-${options.customerId}-${options.n}`,
      ordered_at: `${AS_OF} 12:00:00`,
      order_date: AS_OF,
      amount: options.amount,
      category: '图书',
      status: 'completed',
      created_at: new Date().toISOString(),
    })
    .execute();
}

/** What a customer's reclassification leaves behind: metrics, classes with scores, history. */
async function stateOf(t: TestDb, customerId: number) {
  const metrics = await t.db
    .selectFrom('customer_metrics')
    .selectAll()
    .where('customer_id', '=', customerId)
    .executeTakeFirstOrThrow();
  const { computed_at: _, ...values } = metrics;
  const classes = await t.db
    .selectFrom('customer_classes')
    .select(['scheme_id', 'class_key', 'since', 'scores'])
    .where('customer_id', '=', customerId)
    .orderBy('scheme_id')
    .execute();
  const history = await t.db
    .selectFrom('class_changes')
    .select(['scheme_id', 'from_class', 'to_class', 'at'])
    .where('customer_id', '=', customerId)
    .orderBy('id')
    .execute();
  return { metrics: values, classes, history };
}

for (const dialect of DIALECTS) {
  describe(`one-customer reclassification on ${dialect}`, () => {
    let t: TestDb;
    let ids: number[];
    const now = () => new Date();

    beforeAll(async () => {
      t = await openTestDb(dialect);
      ids = await seed(t);
    });
    afterAll(async () => {
      await t?.drop();
    });

    it('asks for a full run first', async () => {
      await expect(reclassifyCustomer(t, { customerId: ids[0], now })).rejects.toMatchObject({
        code: 'NotClassified',
      });
    });

    it('gives a customer the metrics, scores, classes and history a full run gives them', async () => {
      await runClassification(t, { asOf: AS_OF, now });
      // A quiet customer, a big spender, a customer without orders and a company.
      for (const [n, index] of [3, 17, 21, 28, 10].entries()) {
        const customerId = ids[index];
        await addOrder(t, { customerId, n, amount: 250_000 + n * 90_000 });
        const result = await reclassifyCustomer(t, { customerId, now });
        expect(result.classes.map((c) => c.schemeKey).sort()).toEqual(
          ['lifecycle', 'rfm8', 'value_potential', 'value_tier'].sort(),
        );
        const incremental = await stateOf(t, customerId);
        await runClassification(t, { asOf: AS_OF, now });
        const full = await stateOf(t, customerId);
        expect(incremental).toEqual(full);
      }
    });

    it('writes a class change with its history only when the class changes', async () => {
      const customerId = ids[32]; // no orders yet: a prospect
      const before = await stateOf(t, customerId);
      const again = await reclassifyCustomer(t, { customerId, now });
      expect(again.classes.every((c) => !c.changed)).toBe(true);
      expect(await stateOf(t, customerId)).toEqual(before);

      await addOrder(t, { customerId, n: 99, amount: 2_000_000 });
      const result = await reclassifyCustomer(t, { customerId, now });
      const tier = result.classes.find((c) => c.schemeKey === 'value_tier');
      expect(tier).toMatchObject({ to: 'high', changed: true });
      const after = await stateOf(t, customerId);
      expect(after.history.length).toBeGreaterThan(before.history.length);
      expect(after.history.at(-1)).toMatchObject({ to_class: expect.any(String), at: AS_OF });
    });

    it('refuses an unknown customer', async () => {
      await expect(reclassifyCustomer(t, { customerId: 987_654, now })).rejects.toMatchObject({
        code: 'CustomerNotFound',
      });
    });
  });
}
