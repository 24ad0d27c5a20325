import { type Kysely, type Migration, sql } from 'kysely';
import type { DialectCapabilities } from '../dialects/capabilities.ts';

/**
 * Indexes the customer list reads pages from at a million customers (DESIGN.md §11):
 * each sortable customer column with the id that breaks its ties, so a page is read
 * along the index instead of sorting every match. `customers_region` becomes
 * (region, id), which answers its lookups as before; live customers get a narrow
 * index of their own for counts. No metric column gets one: a full classification run
 * rewrites every metrics row, and each index there costs that run seconds.
 */
export function listIndexesMigration(_caps: DialectCapabilities): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createIndex('customers_created')
        .on('customers')
        .columns(['created_at', 'id'])
        .execute();
      await db.schema
        .createIndex('customers_updated')
        .on('customers')
        .columns(['updated_at', 'id'])
        .execute();
      await db.schema.createIndex('customers_region_id').on('customers').columns(['region', 'id']).execute();
      await db.schema.dropIndex('customers_region').execute();
      // Counting the matches of a rule reads every live customer: this index holds the
      // customer columns such counts need most, a fraction of the table's pages to read.
      await db.schema
        .createIndex('customers_live')
        .on('customers')
        .columns(['id', 'owner_user_id', 'region'])
        .where(sql.ref('erased_at'), 'is', null)
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropIndex('customers_live').execute();
      await db.schema.createIndex('customers_region').on('customers').column('region').execute();
      await db.schema.dropIndex('customers_region_id').execute();
      await db.schema.dropIndex('customers_updated').execute();
      await db.schema.dropIndex('customers_created').execute();
    },
  };
}
