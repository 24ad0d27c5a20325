import type { Kysely, Migration } from 'kysely';
import type { DialectCapabilities } from '../dialects/capabilities.ts';

/**
 * What large populations need (docs/scaling.md): the score populations of the latest
 * full run, so one customer can be reclassified after a new order without reading
 * everyone.
 */
export function scaleMigration(caps: DialectCapabilities): Migration {
  const { idType: id, dateType: date, instantType: instant } = caps;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('population_summaries')
        .addColumn('id', id, caps.primaryKeyId)
        .addColumn('as_of', date, (c) => c.notNull())
        .addColumn('computed_at', instant, (c) => c.notNull())
        .addColumn('summary', 'text', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('population_summaries').execute();
    },
  };
}
