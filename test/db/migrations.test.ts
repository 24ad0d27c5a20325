import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/connect.ts';
import { DIALECTS, openTestDb, type TestDb } from '../support/databases.ts';

for (const dialect of DIALECTS) {
  describe(`migrations on ${dialect}`, () => {
    let t: TestDb;
    beforeAll(async () => {
      t = await openTestDb(dialect);
    });
    afterAll(async () => t?.drop());

    it('creates every table and is a no-op when run again', async () => {
      expect(await migrateToLatest(t)).toEqual([]);
      const n = await t.db
        .selectFrom('customers')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(n.n)).toBe(0);
    });

    it('keeps the audit log append-only', async () => {
      const now = new Date().toISOString();
      await t.db.insertInto('audit_log').values({ at: now, actor: 'test', action: 'probe' }).execute();
      await expect(t.db.updateTable('audit_log').set({ actor: 'x' }).execute()).rejects.toThrow(
        /append-only/,
      );
      await expect(t.db.deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/);
      const rows = await sql<{ actor: string }>`select actor from audit_log`.execute(t.db);
      expect(rows.rows.map((r) => r.actor)).toEqual(['test']);
    });
  });
}
