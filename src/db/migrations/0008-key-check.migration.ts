import { type Kysely, type Migration, sql } from 'kysely';
import type { DialectCapabilities } from '../dialects/capabilities.ts';

/**
 * The key check value of the PII master key (an HMAC fingerprint, never the key), so
 * a process started with another key refuses instead of mixing two keys in one
 * database (docs/security.md); and, on PostgreSQL, a BEFORE TRUNCATE trigger on the
 * audit log, which the row triggers of UPDATE and DELETE do not cover.
 */
export function keyCheckMigration(caps: DialectCapabilities): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('pii_key_check')
        .addColumn('purpose', 'text', (c) => c.primaryKey())
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        .addColumn('recorded_at', caps.instantType, (c) => c.notNull())
        .execute();
      if (caps.name === 'postgres') {
        // The function of migration 0001 raises for any trigger, row or statement.
        await sql`create trigger audit_log_no_truncate before truncate on audit_log
          for each statement execute function audit_log_append_only()`.execute(db);
      }
    },
    async down(db: Kysely<unknown>) {
      if (caps.name === 'postgres') await sql`drop trigger audit_log_no_truncate on audit_log`.execute(db);
      await db.schema.dropTable('pii_key_check').execute();
    },
  };
}
