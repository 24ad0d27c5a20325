import crypto from 'node:crypto';
import type { Selectable } from 'kysely';
import { KeleiError } from '../../core/errors.ts';
import type { Db } from '../../db/connect.ts';
import type { UsersTable } from '../../db/schema.ts';
import { audit } from '../audit/audit.service.ts';
import { createUser, isRole, setPassword } from './auth.service.ts';
import { can, type Role } from './policy.ts';

/** The languages a user can pick; the web UI follows the signed-in user's choice. */
export const LOCALES = ['zh-CN', 'en-US'] as const;
export type Locale = (typeof LOCALES)[number];

/** A user as the rest of the app sees it: never the password hash. */
export type UserView = {
  id: number;
  username: string;
  displayName: string | null;
  role: Role;
  disabled: boolean;
  locale: string;
  createdAt: string;
  updatedAt: string;
  version: number;
};

type UserRow = Selectable<UsersTable>;

function toView(row: UserRow): UserView {
  if (!isRole(row.role)) {
    // A role outside the table can only come from a hand-edited row; nobody holding it can sign in.
    throw new KeleiError('Conflict', {
      en: `user ${row.username} has an unknown role "${row.role}"`,
      zh: `用户 ${row.username} 的角色“${row.role}”无效`,
    });
  }
  return {
    id: Number(row.id),
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    disabled: row.disabled !== 0,
    locale: row.locale,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: Number(row.version),
  };
}

function notFound(id: number): KeleiError {
  return new KeleiError('NotFound', { en: `no user with id ${id}`, zh: `没有 id 为 ${id} 的用户` });
}

/** A random password of 20 URL-safe characters (120 bits), for first starts and `kelei user add`. */
export function generatePassword(): string {
  return crypto.randomBytes(15).toString('base64url');
}

/** Every user, by username. */
export async function listUsers(db: Db): Promise<UserView[]> {
  const rows = await db.selectFrom('users').selectAll().orderBy('username').execute();
  return rows.map(toView);
}

export async function getUser(db: Db, id: number): Promise<UserView> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(id);
  return toView(row);
}

/** Creates a user and writes its `user.create` audit row in one transaction. */
export async function addUser(
  db: Db,
  options: { username: string; password: string; role: Role; displayName?: string; actor: string; now: Date },
): Promise<UserView> {
  const { actor, now, username, role } = options;
  try {
    return await db.transaction().execute(async (trx) => {
      const id = await createUser(trx, options);
      await audit(trx, {
        actor,
        action: 'user.create',
        entity: 'user',
        entityId: id,
        details: { username, role },
        at: now,
      });
      return getUser(trx, id);
    });
  } catch (e) {
    // Two creations of the same name racing: the unique index answers, not createUser's check.
    if (!(e instanceof KeleiError)) {
      const taken = await db
        .selectFrom('users')
        .select('id')
        .where('username', '=', options.username)
        .executeTakeFirst();
      if (taken) {
        throw new KeleiError('Conflict', {
          en: `user "${options.username}" already exists`,
          zh: `用户“${options.username}”已存在`,
        });
      }
    }
    throw e;
  }
}

export type UserChanges = {
  role?: Role;
  disabled?: boolean;
  /** null clears it */
  displayName?: string | null;
  locale?: Locale;
};

/**
 * Changes a user under optimistic locking: `version` must be the one the caller read,
 * else 409 and nothing changes. Disabling a user or changing their role ends their
 * sessions, and a user who no longer manages users loses the API tokens they issued; the
 * last active admin can be neither disabled nor demoted. One `user.update`
 * audit row per effective change; a request that changes nothing writes nothing.
 */
export async function updateUser(
  db: Db,
  options: { id: number; version: number; changes: UserChanges; actor: string; now: Date },
): Promise<UserView> {
  const { id, version, changes, actor, now } = options;
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound(id);
    const before = toView(row);
    if (before.version !== version) throw staleVersion(before);

    const diff: Record<string, unknown> = {};
    if (changes.role !== undefined && changes.role !== before.role) {
      diff.role = { from: before.role, to: changes.role };
    }
    if (changes.disabled !== undefined && changes.disabled !== before.disabled) {
      diff.disabled = { from: before.disabled, to: changes.disabled };
    }
    if (changes.locale !== undefined && changes.locale !== before.locale) {
      diff.locale = { from: before.locale, to: changes.locale };
    }
    // Names of staff are personal data: the audit row says it changed, not to what.
    if (changes.displayName !== undefined && changes.displayName !== before.displayName) {
      diff.displayName = 'changed';
    }
    if (Object.keys(diff).length === 0) return before;

    const updated = await trx
      .updateTable('users')
      .set((eb) => ({
        ...(diff.role ? { role: changes.role } : {}),
        ...(diff.locale ? { locale: changes.locale } : {}),
        ...(diff.displayName ? { display_name: changes.displayName ?? null } : {}),
        ...(diff.disabled ? { disabled: changes.disabled ? 1 : 0 } : {}),
        updated_at: now.toISOString(),
        version: eb('version', '+', 1),
      }))
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw staleVersion(before);

    const losesAdmin = before.role === 'admin' && !before.disabled && (diff.role || diff.disabled);
    if (losesAdmin) await requireAnActiveAdmin(trx);
    // A new role takes effect at the next sign-in; a disabled user is out at once.
    if (diff.role || diff.disabled) await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
    // Only user managers issue API tokens; one who stops being one must not keep that power through them.
    if (diff.role && changes.role && can(before.role, 'users.manage') && !can(changes.role, 'users.manage')) {
      const revoked = await trx
        .updateTable('api_tokens')
        .set({ revoked_at: now.toISOString() })
        .where('created_by', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      diff.tokensRevoked = Number(revoked.numUpdatedRows);
    }

    await audit(trx, {
      actor,
      action: 'user.update',
      entity: 'user',
      entityId: id,
      details: { username: before.username, ...diff, version: before.version + 1 },
      at: now,
    });
    return getUser(trx, id);
  });
}

function staleVersion(current: UserView): KeleiError {
  return new KeleiError(
    'Conflict',
    {
      en: `user ${current.username} was changed by someone else (now version ${current.version}); reload and try again`,
      zh: `用户 ${current.username} 已被他人修改（当前版本 ${current.version}），请刷新后重试`,
    },
    { currentVersion: current.version },
  );
}

async function requireAnActiveAdmin(db: Db): Promise<void> {
  const admins = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .where('disabled', '=', 0)
    .executeTakeFirstOrThrow();
  if (Number(admins.n) === 0) {
    throw new KeleiError('Conflict', {
      en: 'at least one active admin must remain',
      zh: '至少需要保留一个启用的管理员',
    });
  }
}

/** An admin sets a user's password; their sessions end. Audited as `user.update`. */
export async function resetPassword(
  db: Db,
  options: { id: number; password: string; actor: string; now: Date },
): Promise<void> {
  const user = await getUser(db, options.id);
  await setUserPassword(db, {
    username: user.username,
    password: options.password,
    actor: options.actor,
    now: options.now,
  });
}

/** Sets the password of `username` (ends their sessions) and audits it. */
export async function setUserPassword(
  db: Db,
  options: { username: string; password: string; actor: string; now: Date },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await setPassword(trx, options);
    const user = await trx
      .selectFrom('users')
      .select('id')
      .where('username', '=', options.username)
      .executeTakeFirstOrThrow();
    await audit(trx, {
      actor: options.actor,
      action: 'user.update',
      entity: 'user',
      entityId: Number(user.id),
      details: { username: options.username, password: 'set' },
      at: options.now,
    });
  });
}

/** A user's own language choice; remembered for their next sign-in. */
export async function setOwnLocale(
  db: Db,
  options: { userId: number; locale: Locale; now: Date },
): Promise<void> {
  await db
    .updateTable('users')
    .set((eb) => ({
      locale: options.locale,
      updated_at: options.now.toISOString(),
      version: eb('version', '+', 1),
    }))
    .where('id', '=', options.userId)
    .where('locale', '!=', options.locale)
    .execute();
}
