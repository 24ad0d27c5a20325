import { type Kysely, type Migration, sql } from 'kysely';
import type { DialectCapabilities } from '../dialects/capabilities.ts';

/**
 * Indexes the customer list reads at a million customers (docs/scaling.md), all over
 * live customers only (erased ones never appear in a list, and every list query says
 * so): each sortable customer column with the id that breaks its ties, so a page is
 * read along the index instead of sorting every match; (region, id), which replaces
 * `customers_region`, so a region filter reads no erased rows; and the ids alone, the
 * narrowest index, which SQLite scans in id order to count a metrics rule's matches
 * instead of reading the whole customers table. No metric column gets an index: a
 * full classification run rewrites every metrics row, and each index there costs
 * that run seconds.
 */
const LIVE_INDEXES: readonly [name: string, columns: string[]][] = [
  ['customers_created', ['created_at', 'id']],
  ['customers_updated', ['updated_at', 'id']],
  ['customers_region_id', ['region', 'id']],
  ['customers_live', ['id']],
];

export function listIndexesMigration(_caps: DialectCapabilities): Migration {
  return {
    async up(db: Kysely<unknown>) {
      for (const [name, columns] of LIVE_INDEXES) {
        await db.schema
          .createIndex(name)
          .on('customers')
          .columns(columns)
          .where(sql.ref('erased_at'), 'is', null)
          .execute();
      }
      await db.schema.dropIndex('customers_region').execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.createIndex('customers_region').on('customers').column('region').execute();
      for (const [name] of LIVE_INDEXES) await db.schema.dropIndex(name).execute();
    },
  };
}
