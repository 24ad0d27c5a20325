import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keleiMigrator, migrateToLatest } from '../../src/db/connect.ts';
import { createdIndexes, DIALECTS, openTestDb, type TestDb } from '../support/databases.ts';
import { customerRow } from '../support/rows.ts';

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

    it('keeps the stored classes when their table is rebuilt by key (WITHOUT ROWID on SQLite)', async () => {
      const now = new Date().toISOString();
      const customer = await t.db
        .insertInto('customers')
        .values(customerRow('MIG-1', now))
        .returning('id')
        .executeTakeFirstOrThrow();
      const scheme = await t.db
        .insertInto('schemes')
        .values({
          key: 'mig_probe',
          name_zh: '迁移',
          name_en: 'Migration',
          builtin: 0,
          active: 1,
          created_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const row = {
        customer_id: customer.id,
        scheme_id: scheme.id,
        class_key: 'high',
        run_id: 7,
        since: '2024-06-30',
        scores: null,
      };
      await t.db.insertInto('customer_classes').values(row).execute();
      const withoutRowid = async () => {
        if (dialect !== 'sqlite') return null;
        const r = await sql<{
          sql: string;
        }>`select sql from sqlite_master where name = 'customer_classes'`.execute(t.db);
        return /without rowid/i.test(r.rows[0]?.sql ?? '');
      };
      const stored = async () =>
        (await t.db.selectFrom('customer_classes').selectAll().execute()).map((r) => ({
          ...r,
          customer_id: Number(r.customer_id),
          scheme_id: Number(r.scheme_id),
          run_id: Number(r.run_id),
        }));
      const expected = [{ ...row, customer_id: Number(customer.id), scheme_id: Number(scheme.id) }];
      expect(await withoutRowid()).toBe(dialect === 'sqlite' ? true : null);
      const migrator = await keleiMigrator(t);
      const down = await migrator.migrateTo('0005-erased-customers');
      expect(down.error).toBeUndefined();
      expect(down.results?.map((r) => r.migrationName)).toEqual([
        '0008-key-check',
        '0007-unused-change-index',
        '0006-clustered-classes',
      ]);
      expect(await withoutRowid()).toBe(dialect === 'sqlite' ? false : null);
      expect(await stored()).toEqual(expected);
      expect(await migrateToLatest(t)).toEqual([
        '0006-clustered-classes',
        '0007-unused-change-index',
        '0008-key-check',
      ]);
      expect(await withoutRowid()).toBe(dialect === 'sqlite' ? true : null);
      expect(await stored()).toEqual(expected);
      await expect(t.db.insertInto('customer_classes').values(row).execute()).rejects.toThrow();
    });

    it('drops the index of class changes by run, and restores it when migrated down', async () => {
      const indexes = () => createdIndexes(t, 'class_changes');
      expect(await indexes()).toEqual(['class_changes_customer']);
      const down = await (await keleiMigrator(t)).migrateTo('0006-clustered-classes');
      expect(down.results?.map((r) => r.migrationName)).toEqual([
        '0008-key-check',
        '0007-unused-change-index',
      ]);
      expect(await indexes()).toEqual(['class_changes_customer', 'class_changes_run']);
      expect(await migrateToLatest(t)).toEqual(['0007-unused-change-index', '0008-key-check']);
      expect(await indexes()).toEqual(['class_changes_customer']);
    });
  });
}
