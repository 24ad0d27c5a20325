import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  computePopulation,
  type Population,
  releasePopulation,
} from '../../src/services/classification/population.ts';
import { openTestDb, type TestDb } from '../support/databases.ts';

const AS_OF = '2024-06-30';

/** A population's values as plain arrays, kept whatever happens to its columns later. */
function snapshot(p: Population) {
  return {
    ids: [...p.ids],
    numbers: Object.fromEntries(Object.entries(p.numbers).map(([k, v]) => [k, [...v]])),
    firstOrderDate: [...p.firstOrderDate],
    lastOrderDate: [...p.lastOrderDate],
    attributes: Object.fromEntries(p.attributes),
  };
}

/**
 * Worker threads read a large population range by range on SQLite; whatever the split,
 * the population must be the one a single reader computes.
 */
describe('population read by worker threads (SQLite file)', () => {
  let t: TestDb;

  beforeAll(async () => {
    t = await openTestDb('sqlite');
    const now = new Date().toISOString();
    await t.db
      .insertInto('customers')
      .values(
        Array.from({ length: 301 }, (_, i) => ({
          code: `P${String(i + 1).padStart(4, '0')}`,
          name: `客户${i + 1}`,
          kind: i % 5 === 0 ? 'company' : 'individual',
          company_size: i % 5 === 0 ? ['小型', '中型', '大型'][i % 3] : null,
          region: ['华东', '华北', '华南'][i % 3],
          consent_marketing: 0,
          opening_order_count: i % 13 === 0 ? 2 : 0,
          opening_amount: i % 13 === 0 ? 50_000 : 0,
          erased_at: i === 150 ? now : null,
          created_at: now,
          updated_at: now,
        })),
      )
      .execute();
    const ids = (await t.db.selectFrom('customers').select('id').orderBy('id').execute()).map((r) =>
      Number(r.id),
    );
    const orders = ids.flatMap((id, i) =>
      i % 9 === 8
        ? []
        : Array.from({ length: 1 + ((i * 5) % 7) }, (_, k) => {
            const day = (i * 31 + k * 47) % 800;
            const date = new Date(Date.parse(`${AS_OF}T00:00:00Z`) - day * 86_400_000)
              .toISOString()
              .slice(0, 10);
            return {
              customer_id: id,
              source: 'test',
              external_id: `O${i}-${k}`,
              ordered_at: `${date} 09:30:00`,
              order_date: date,
              amount: k === 2 ? -3_000 : 5_000 + ((i * 977 + k * 6_271) % 300_000),
              cost: k % 3 === 0 ? 2_000 : null,
              category: ['服装', '数码', '家居', '食品'][(i + k) % 4],
              status: k === 4 ? 'cancelled' : 'completed',
              created_at: now,
            };
          }),
    );
    for (let i = 0; i < orders.length; i += 200) {
      await t.db
        .insertInto('orders')
        .values(orders.slice(i, i + 200))
        .execute();
    }
  });

  afterAll(async () => {
    await t.drop();
  });

  it('gives the same metrics, scores and attributes as one reader, for any number of workers', async () => {
    const options = { asOf: AS_OF, attributeColumns: ['region', 'company_size'] };
    const single = await computePopulation(t.db, options);
    expect(single.size).toBe(300); // the erased customer is not in it
    for (const count of [2, 3]) {
      const parallel = await computePopulation(t.db, {
        ...options,
        readers: { file: t.target, count, minCustomers: 0 },
      });
      expect(parallel.size).toBe(single.size);
      expect([...parallel.ids]).toEqual([...single.ids]);
      for (const [key, values] of Object.entries(single.numbers)) {
        expect([...parallel.numbers[key as keyof typeof single.numbers]], key).toEqual([...values]);
      }
      expect(parallel.firstOrderDate).toEqual(single.firstOrderDate);
      expect(parallel.lastOrderDate).toEqual(single.lastOrderDate);
      expect(Object.fromEntries(parallel.attributes)).toEqual(Object.fromEntries(single.attributes));
      for (const [key, values] of Object.entries(single.sorted)) {
        expect([...parallel.sorted[key as keyof typeof single.sorted]], key).toEqual([...values]);
      }
    }
    // the data exercises the scores: several quintiles and real composites
    expect(new Set([...single.numbers.r_score].filter((v) => !Number.isNaN(v))).size).toBeGreaterThan(3);
    expect([...single.numbers.value_score].some((v) => v > 0 && v < 100)).toBe(true);
  });

  it('reads into the columns a released population handed back, with the same values', async () => {
    const options = { asOf: AS_OF, attributeColumns: ['region', 'company_size'] };
    const first = await computePopulation(t.db, options);
    const expected = snapshot(first);
    const buffer = first.shared?.buffer;
    expect(buffer).toBeDefined();
    releasePopulation(first);
    // read by three workers into the same buffer, the erased customer's gap closed up in it
    const second = await computePopulation(t.db, {
      ...options,
      readers: { file: t.target, count: 3, minCustomers: 0 },
    });
    expect(second.shared?.buffer).toBe(buffer);
    expect(snapshot(second)).toEqual(expected);
    // while the second holds them, another population gets columns of its own
    const third = await computePopulation(t.db, options);
    expect(third.shared?.buffer).not.toBe(buffer);
    expect(snapshot(third)).toEqual(expected);
    expect(snapshot(second)).toEqual(expected);
    releasePopulation(second);
    releasePopulation(third);
  });
});
