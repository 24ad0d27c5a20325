import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runClassification } from '../../src/services/classification/classification.service.ts';
import { DIALECTS, openTestDb, type TestDb } from '../support/databases.ts';
import { customerRow } from '../support/rows.ts';

const AS_OF = '2024-06-30';

async function classIndexExists(t: TestDb): Promise<boolean> {
  const r =
    t.caps.name === 'sqlite'
      ? await sql<{
          n: number;
        }>`select count(*) as n from sqlite_master where type = 'index' and name = 'customer_classes_scheme_class'`.execute(
          t.db,
        )
      : await sql<{
          n: number;
        }>`select count(*) as n from pg_indexes where schemaname = current_schema() and indexname = 'customer_classes_scheme_class'`.execute(
          t.db,
        );
  return Number(r.rows[0].n) === 1;
}

async function storedClasses(t: TestDb): Promise<string[]> {
  const rows = await t.db
    .selectFrom('customer_classes')
    .select(['customer_id', 'scheme_id', 'class_key', 'since'])
    .orderBy('customer_id')
    .orderBy('scheme_id')
    .execute();
  return rows.map((r) => `${r.customer_id}/${r.scheme_id}/${r.class_key}/${r.since}`);
}

for (const dialect of DIALECTS) {
  describe(`full run writes on ${dialect}`, () => {
    let t: TestDb;

    beforeAll(async () => {
      t = await openTestDb(dialect);
      const now = new Date().toISOString();
      await t.db
        .insertInto('customers')
        .values(Array.from({ length: 40 }, (_, i) => ({ ...customerRow(`W${i}`, now), name: `客户${i}` })))
        .execute();
      const ids = (await t.db.selectFrom('customers').select('id').orderBy('id').execute()).map((r) =>
        Number(r.id),
      );
      await t.db
        .insertInto('orders')
        .values(
          ids.flatMap((id, i) =>
            Array.from({ length: 1 + (i % 6) }, (_, k) => ({
              customer_id: id,
              source: 'test',
              external_id: `W${i}-${k}`,
              ordered_at: `2024-0${1 + (k % 6)}-1${i % 10} 10:00:00`,
              order_date: `2024-0${1 + (k % 6)}-1${i % 10}`,
              amount: 50_000 * (1 + ((i * 7 + k) % 40)),
              category: '数码',
              status: 'completed',
              created_at: now,
            })),
          ),
        )
        .execute();
    });

    afterAll(async () => {
      await t.drop();
    });

    it('keeps the class index whether a run writes every class, a few or none, and after a failed run', async () => {
      // A first run that fails after preparing (where a run writing most classes drops the
      // index) leaves everything as it was.
      const failing = runClassification(t, {
        asOf: AS_OF,
        now: () => new Date(),
        onPhase: (phase) => {
          if (phase === 'prepare') throw new Error('stopped on purpose');
        },
      });
      await expect(failing).rejects.toThrow('stopped on purpose');
      expect(await classIndexExists(t)).toBe(true);
      expect(await storedClasses(t)).toEqual([]);

      const first = await runClassification(t, { asOf: AS_OF, now: () => new Date() });
      expect(first.every((s) => s.changed === 40)).toBe(true);
      expect(await classIndexExists(t)).toBe(true);
      const before = await storedClasses(t);
      expect(before).toHaveLength(160);

      const again = await runClassification(t, { asOf: AS_OF, now: () => new Date() });
      expect(again.every((s) => s.changed === 0)).toBe(true);
      expect(await storedClasses(t)).toEqual(before);
      expect(await classIndexExists(t)).toBe(true);
      const byClass = await t.db
        .selectFrom('customer_classes')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('class_key', '=', 'high')
        .executeTakeFirstOrThrow();
      expect(Number(byClass.n)).toBe(first.find((s) => s.schemeKey === 'value_tier')?.counts.high);
    });
  });
}
