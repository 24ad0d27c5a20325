import { type Kysely, type Migration, sql } from 'kysely';
import type { DialectCapabilities } from '../dialects/capabilities.ts';

/**
 * Where the engine can store a table as the tree of its key (`caps.clusteredTables`:
 * SQLite's WITHOUT ROWID), the current classes are stored by (customer, scheme): one
 * B-tree instead of a table and an index over the same pairs. A first full run at a
 * million customers writes four million of them and takes about 2 s less; reading a
 * customer's classes is one range of that tree. Elsewhere (PostgreSQL) nothing changes.
 */
export function clusteredClassesMigration(caps: DialectCapabilities): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (!caps.clusteredTables) return;
      await rebuild(db, { withoutRowid: true });
    },
    async down(db: Kysely<unknown>) {
      if (!caps.clusteredTables) return;
      await rebuild(db, { withoutRowid: false });
    },
  };
}

async function rebuild(db: Kysely<unknown>, options: { withoutRowid: boolean }): Promise<void> {
  // Migrations on SQLite run outside a transaction: this one keeps its four steps together.
  await db.transaction().execute(async (trx) => {
    await trx.schema
      .createTable('customer_classes_rebuilt')
      .addColumn('customer_id', 'integer', (c) => c.notNull().references('customers.id'))
      .addColumn('scheme_id', 'integer', (c) => c.notNull().references('schemes.id'))
      .addColumn('class_key', 'text', (c) => c.notNull())
      .addColumn('run_id', 'integer', (c) => c.notNull())
      .addColumn('since', 'text', (c) => c.notNull())
      .addColumn('scores', 'text')
      .addPrimaryKeyConstraint('customer_classes_pk', ['customer_id', 'scheme_id'])
      .$call((t) => (options.withoutRowid ? t.modifyEnd(sql`without rowid`) : t))
      .execute();
    await sql`insert into customer_classes_rebuilt (customer_id, scheme_id, class_key, run_id, since, scores)
      select customer_id, scheme_id, class_key, run_id, since, scores from customer_classes
      order by customer_id, scheme_id`.execute(trx);
    await trx.schema.dropTable('customer_classes').execute();
    await trx.schema.alterTable('customer_classes_rebuilt').renameTo('customer_classes').execute();
    await trx.schema
      .createIndex('customer_classes_scheme_class')
      .on('customer_classes')
      .columns(['scheme_id', 'class_key'])
      .execute();
  });
}
