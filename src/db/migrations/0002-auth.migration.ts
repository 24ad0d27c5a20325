import type { Kysely, Migration } from 'kysely';
import type { DialectCapabilities } from '../dialects/capabilities.ts';

/** Users, sessions, API tokens and login attempts (docs/security.md). */
export function authMigration(caps: DialectCapabilities): Migration {
  const { idType: id, bigintType: big, instantType: instant } = caps;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('users')
        .addColumn('id', id, caps.primaryKeyId)
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('display_name', 'text')
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('locale', 'text', (c) => c.notNull().defaultTo('zh-CN'))
        .addColumn('created_at', instant, (c) => c.notNull())
        .addColumn('updated_at', instant, (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .execute();
      await db.schema
        .createTable('sessions')
        .addColumn('id', id, caps.primaryKeyId)
        .addColumn('user_id', big, (c) => c.notNull().references('users.id'))
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('csrf_token', 'text', (c) => c.notNull())
        .addColumn('created_at', instant, (c) => c.notNull())
        .addColumn('expires_at', instant, (c) => c.notNull())
        .addColumn('last_seen_at', instant, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();
      await db.schema
        .createTable('api_tokens')
        .addColumn('id', id, caps.primaryKeyId)
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_by', big, (c) => c.notNull().references('users.id'))
        .addColumn('created_at', instant, (c) => c.notNull())
        .addColumn('expires_at', instant)
        .addColumn('revoked_at', instant)
        .addColumn('last_used_at', instant)
        .execute();
      await db.schema
        .createTable('login_attempts')
        .addColumn('id', id, caps.primaryKeyId)
        .addColumn('username', 'text', (c) => c.notNull())
        .addColumn('at', instant, (c) => c.notNull())
        .addColumn('success', 'integer', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('login_attempts_user_at')
        .on('login_attempts')
        .columns(['username', 'at'])
        .execute();
    },
  };
}
