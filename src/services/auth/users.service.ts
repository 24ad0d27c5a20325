import crypto from 'node:crypto';
import { verify } from '@node-rs/argon2';
import { KeleiError } from '../../core/errors.ts';
import type { Locale } from '../../core/locales.ts';
import { revokeTokensIssuedBy } from '../../db/auth/api-tokens.repository.ts';
import {
  clearFailuresSince,
  failuresSince,
  lastSuccesses,
  recordLoginAttempt,
} from '../../db/auth/login-attempts.repository.ts';
import { deleteSessionsOfUser } from '../../db/auth/sessions.repository.ts';
import {
  countActiveAdmins,
  findUserById,
  findUserIdByName,
  listUserRows,
  setPasswordHash,
  setUserLocale,
  type UserRow,
  updateUserAtVersion,
} from '../../db/auth/users.repository.ts';
import type { Db } from '../../db/database.ts';
import { audit } from '../audit/audit.service.ts';
import {
  createUser,
  hashPassword,
  isRole,
  LOCKOUT_FAILURES,
  LOCKOUT_WINDOW_MS,
  setPassword,
  validatePassword,
} from './auth.service.ts';
import { can, type Role } from './policy.ts';

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
  return (await listUserRows(db)).map(toView);
}

export async function getUser(db: Db, id: number): Promise<UserView> {
  const row = await findUserById(db, id);
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
      if ((await findUserIdByName(db, options.username)) !== undefined) {
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
    const row = await findUserById(trx, id);
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

    const updated = await updateUserAtVersion(trx, {
      id,
      version,
      changes: {
        ...(diff.role ? { role: changes.role } : {}),
        ...(diff.locale ? { locale: changes.locale } : {}),
        ...(diff.displayName ? { display_name: changes.displayName ?? null } : {}),
        ...(diff.disabled ? { disabled: changes.disabled ? 1 : 0 } : {}),
      },
      at: now.toISOString(),
    });
    if (!updated) throw staleVersion(before);

    const losesAdmin = before.role === 'admin' && !before.disabled && (diff.role || diff.disabled);
    if (losesAdmin) await requireAnActiveAdmin(trx);
    // A new role takes effect at the next sign-in; a disabled user is out at once.
    if (diff.role || diff.disabled) await deleteSessionsOfUser(trx, id);
    // Only user managers issue API tokens; one who stops being one must not keep that power through them.
    if (diff.role && changes.role && can(before.role, 'users.manage') && !can(changes.role, 'users.manage')) {
      diff.tokensRevoked = await revokeTokensIssuedBy(trx, { userId: id, at: now.toISOString() });
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
  if ((await countActiveAdmins(db)) === 0) {
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
    const userId = await findUserIdByName(trx, options.username);
    if (userId === undefined) throw new Error(`user ${options.username} vanished while its password was set`);
    await audit(trx, {
      actor: options.actor,
      action: 'user.update',
      entity: 'user',
      entityId: userId,
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
  await setUserLocale(db, { id: options.userId, locale: options.locale, at: options.now.toISOString() });
}

/** When a user last signed in, and until when repeated failures lock them out (null when not locked). */
export type LoginStatus = { lastLoginAt: string | null; lockedUntil: string | null };

/**
 * The sign-in state of every user, from the login attempts: the newest success, and
 * the lock the login check applies (LOCKOUT_FAILURES failures inside the window lock
 * the account until the oldest of the newest five leaves the window).
 */
export async function loginStatuses(db: Db, options: { now: Date }): Promise<Map<string, LoginStatus>> {
  const since = new Date(options.now.getTime() - LOCKOUT_WINDOW_MS).toISOString();
  const [successes, failures] = await Promise.all([lastSuccesses(db), failuresSince(db, since)]);
  const statuses = new Map<string, LoginStatus>();
  const of = (username: string) => {
    let status = statuses.get(username);
    if (!status) {
      status = { lastLoginAt: null, lockedUntil: null };
      statuses.set(username, status);
    }
    return status;
  };
  for (const s of successes) of(s.username).lastLoginAt = s.at;
  const seen = new Map<string, number>();
  for (const f of failures) {
    const n = (seen.get(f.username) ?? 0) + 1;
    seen.set(f.username, n);
    if (n === LOCKOUT_FAILURES) {
      of(f.username).lockedUntil = new Date(Date.parse(f.at) + LOCKOUT_WINDOW_MS).toISOString();
    }
  }
  return statuses;
}

/** Lifts a lock after failed sign-ins by forgetting the recent failures; audited as `user.update`. */
export async function unlockUser(db: Db, options: { id: number; actor: string; now: Date }): Promise<void> {
  const user = await getUser(db, options.id);
  const since = new Date(options.now.getTime() - LOCKOUT_WINDOW_MS).toISOString();
  await db.transaction().execute(async (trx) => {
    const cleared = await clearFailuresSince(trx, { username: user.username, since });
    await audit(trx, {
      actor: options.actor,
      action: 'user.update',
      entity: 'user',
      entityId: user.id,
      details: { username: user.username, unlocked: true, failuresCleared: cleared },
      at: options.now,
    });
  });
}

/**
 * A signed-in user changes their own password, proving the current one. A wrong current
 * password counts as a failed sign-in (so guessing through a stolen session locks the
 * account like guessing at the login page), and a locked account cannot change it.
 * Every other session of the user ends; the one making the change stays.
 */
export async function changeOwnPassword(
  db: Db,
  options: {
    userId: number;
    sessionId: number;
    currentPassword: string;
    newPassword: string;
    now: Date;
  },
): Promise<void> {
  const { now } = options;
  const row = await findUserById(db, options.userId);
  if (!row) throw notFound(options.userId);
  const locked = (await loginStatuses(db, { now })).get(row.username)?.lockedUntil;
  const valid = await verify(row.password_hash, options.currentPassword).catch(() => false);
  if (locked || !valid) {
    await recordLoginAttempt(db, { username: row.username, at: now.toISOString(), success: false });
    throw new KeleiError('ValidationError', {
      en: 'the current password is wrong, or the account is locked for 15 minutes after 5 failed attempts',
      zh: '当前密码不正确，或连续 5 次失败后账户已锁定 15 分钟',
    });
  }
  validatePassword(options.newPassword);
  if (options.newPassword === options.currentPassword) {
    throw new KeleiError('ValidationError', {
      en: 'the new password must differ from the current one',
      zh: '新密码不能与当前密码相同',
    });
  }
  const hashed = await hashPassword(options.newPassword);
  await db.transaction().execute(async (trx) => {
    await setPasswordHash(trx, {
      id: options.userId,
      passwordHash: hashed,
      at: now.toISOString(),
      bumpVersion: true,
    });
    await deleteSessionsOfUser(trx, options.userId, { except: options.sessionId });
    await audit(trx, {
      actor: row.username,
      action: 'user.update',
      entity: 'user',
      entityId: options.userId,
      details: { username: row.username, password: 'changed by the user' },
      at: now,
    });
  });
}
