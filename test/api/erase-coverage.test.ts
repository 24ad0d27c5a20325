import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, type ApiTest, openApiTest } from '../support/api.ts';
import { DIALECTS } from '../support/databases.ts';
import { seedCustomer } from './customers.seed.ts';

/**
 * Erase covers every text column that can describe a person, found from the schema
 * itself: a column added later to a customer-linked table fails this test until erase
 * clears it or it is listed here as kept, with the reason.
 */
const KEPT: Record<string, Record<string, string>> = {
  customers: {
    code: 'the natural key that orders and classes hang on',
    kind: 'individual or company, needed by the schemes',
    name: 'replaced by the erased placeholder',
    opening_first_date: 'a purchase date: statistics',
    opening_last_date: 'a purchase date: statistics',
    created_at: 'bookkeeping',
    updated_at: 'bookkeeping',
    erased_at: 'bookkeeping',
  },
  // Orders stay, anonymised by the customer row: they hold what was bought, not who bought it.
  orders: { '*': 'anonymised purchases are kept for the totals' },
  customer_metrics: { '*': 'figures computed from the orders' },
  customer_classes: { '*': 'class keys and scores' },
  class_changes: { '*': 'class keys' },
  interactions: { channel: 'a category', direction: 'a category', at: 'a date', created_at: 'a date' },
  feedback: { at: 'a date', status: 'a state', kind: 'a category', created_at: 'a date' },
  tasks: { type: 'a category', status: 'a state', due: 'a date', created_at: 'a date' },
};

const TEXT = /char|text|string/i;

for (const dialect of DIALECTS) {
  describe(`erase covers every text column on ${dialect}`, () => {
    let api: ApiTest;
    let admin: ApiClient;
    beforeAll(async () => {
      api = await openApiTest(dialect);
      admin = await api.as('admin');
    });
    afterAll(async () => api?.close());

    it('leaves no canary in any customer-linked table after an erase', async () => {
      await seedCustomer(admin, { code: 'Z1', name: '赵六' });
      const id = Number(
        (
          await api.t.db
            .selectFrom('customers')
            .select('id')
            .where('code', '=', 'Z1')
            .executeTakeFirstOrThrow()
        ).id,
      );
      const tables = await api.t.db.introspection.getTables();
      const linked = tables.filter(
        (t) => t.name === 'customers' || t.columns.some((c) => c.name === 'customer_id'),
      );
      expect(linked.map((t) => t.name)).toEqual(
        expect.arrayContaining(['customers', 'interactions', 'feedback']),
      );
      const seeded: string[] = [];
      for (const table of linked) {
        const kept = KEPT[table.name] ?? {};
        if (kept['*']) continue;
        const textColumns = table.columns
          .filter((c) => TEXT.test(c.dataType) && !(c.name in kept) && c.name !== 'customer_id')
          .map((c) => c.name);
        if (textColumns.length === 0) continue;
        const where = table.name === 'customers' ? sql`id = ${id}` : sql`customer_id = ${id}`;
        if (table.name !== 'customers') {
          const n = await sql<{
            n: number;
          }>`select count(*) as n from ${sql.table(table.name)} where ${where}`.execute(api.t.db);
          // A table with no row of this customer has nothing to erase; make one where the test can.
          if (Number(n.rows[0].n) === 0) {
            if (table.name === 'interactions') {
              await admin.post('/api/v1/customers/Z1/interactions', { channel: 'phone', subject: 's' });
            } else if (table.name === 'feedback') {
              await admin.post('/api/v1/customers/Z1/feedback', { satisfaction: 3, comment: 'c' });
            } else continue;
          }
        }
        for (const column of textColumns) {
          const nullable = table.columns.find((c) => c.name === column)?.isNullable;
          if (!nullable && table.name !== 'customers') continue;
          await sql`update ${sql.table(table.name)} set ${sql.ref(column)} = ${`canary-${table.name}-${column}`} where ${where}`.execute(
            api.t.db,
          );
          seeded.push(`${table.name}.${column}`);
        }
      }
      expect(seeded).toEqual(
        expect.arrayContaining(['customers.payment_habit', 'customers.city', 'interactions.request']),
      );

      expect((await admin.post('/api/v1/customers/Z1/erase')).statusCode).toBe(200);

      const left: string[] = [];
      for (const table of linked) {
        const where = table.name === 'customers' ? sql`id = ${id}` : sql`customer_id = ${id}`;
        const rows = await sql<
          Record<string, unknown>
        >`select * from ${sql.table(table.name)} where ${where}`.execute(api.t.db);
        for (const row of rows.rows) {
          for (const [column, value] of Object.entries(row)) {
            if (typeof value === 'string' && value.startsWith('canary-'))
              left.push(`${table.name}.${column}`);
          }
        }
      }
      expect(left, 'columns erase does not clear').toEqual([]);
    });
  });
}
