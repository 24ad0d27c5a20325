import type { Kysely, Migration } from 'kysely';
import { sql } from 'kysely';

/**
 * The ids of erased customers, as a partial index: every full classification run
 * looks them up (to drop their metrics and classes, and to skip them), and without it
 * each lookup read all the customers — about a second per run at a million. Erased
 * customers are few, so the index is tiny and costs nothing to keep.
 */
export const erasedCustomersMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createIndex('customers_erased')
      .on('customers')
      .column('id')
      .where(sql.ref('erased_at'), 'is not', null)
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('customers_erased').execute();
  },
};
