import crypto from 'node:crypto';
import { Algorithm, hash, verify } from '@node-rs/argon2';
import { KeleiError } from '../../core/errors.ts';
import { findTokenCredential, insertApiToken, touchApiToken } from '../../db/auth/api-tokens.repository.ts';
import {
  countFailuresSince,
  markAttemptSucceeded,
  openLoginAttempt,
} from '../../db/auth/login-attempts.repository.ts';
import {
  deleteSessionByTokenHash,
  deleteSessionsOfUser,
  findSessionCredential,
  insertSession,
} from '../../db/auth/sessions.repository.ts';
import {
  findUserByName,
  findUserIdByName,
  insertUser,
  setPasswordHash,
  setUserDisabledFlag,
} from '../../db/auth/users.repository.ts';
import type { Db } from '../../db/database.ts';
import type { PiiCipher } from '../privacy/pii-cipher.ts';
import { type Principal, ROLES, type Role } from './policy.ts';

/** argon2id with the parameters of docs/security.md (OWASP's m=19 MiB, t=2, p=1). */
const ARGON2 = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const SESSION_COOKIE = 'kelei_session';
export const CSRF_COOKIE = 'kelei_csrf';
export const CSRF_HEADER = 'x-csrf-token';
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
export const LOCKOUT_FAILURES = 5;
export const LOCKOUT_WINDOW_MS = 15 * 60 * 1000;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2);
}

// Verifying against this keeps an unknown user's answer as slow as a known one's.
let dummyHash: Promise<string> | undefined;

/** A random 256-bit token, URL-safe. */
export function randomToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

/** Only hashes of session and API tokens are stored. */
export function tokenHash(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function validatePassword(password: string): void {
  if (password.length < 10) {
    throw new KeleiError('ValidationError', {
      en: 'a password needs at least 10 characters',
      zh: '密码至少需要 10 个字符',
    });
  }
}

export async function createUser(
  db: Db,
  options: { username: string; password: string; role: Role; displayName?: string; now: Date },
): Promise<number> {
  validatePassword(options.password);
  if (!/^[\p{L}\p{N}_.@-]{2,64}$/u.test(options.username)) {
    throw new KeleiError('ValidationError', {
      en: 'a username is 2–64 letters, digits, _ . @ or -',
      zh: '用户名为 2–64 个字母、数字或 _ . @ -',
    });
  }
  if ((await findUserIdByName(db, options.username)) !== undefined) {
    throw new KeleiError('Conflict', {
      en: `user "${options.username}" already exists`,
      zh: `用户“${options.username}”已存在`,
    });
  }
  const now = options.now.toISOString();
  return insertUser(db, {
    username: options.username,
    display_name: options.displayName ?? null,
    role: options.role,
    password_hash: await hashPassword(options.password),
    disabled: 0,
    locale: 'zh-CN',
    created_at: now,
    updated_at: now,
  });
}

/** Sets a new password and ends every session of the user. */
export async function setPassword(
  db: Db,
  options: { username: string; password: string; now: Date },
): Promise<void> {
  validatePassword(options.password);
  const userId = await findUserIdByName(db, options.username);
  if (userId === undefined) {
    throw new KeleiError('NotFound', {
      en: `no user "${options.username}"`,
      zh: `没有用户“${options.username}”`,
    });
  }
  await setPasswordHash(db, {
    id: userId,
    passwordHash: await hashPassword(options.password),
    at: options.now.toISOString(),
  });
  await deleteSessionsOfUser(db, userId);
}

export type LoginResult = {
  sessionToken: string;
  csrfToken: string;
  expiresAt: string;
  user: { id: number; username: string; role: Role; displayName: string | null; locale: string };
};

const BAD_LOGIN = new KeleiError('Unauthorized', {
  en: 'wrong username or password, or the account is locked for 15 minutes after 5 failed attempts',
  zh: '用户名或密码错误，或连续 5 次失败后账户已锁定 15 分钟',
});

/**
 * The name a login attempt of a name that is no account is recorded under, in the
 * attempts and in the audit log: a keyed hash, never the text, which may be a
 * password typed into the user field. Repeated attempts of one name still share it.
 */
export type UnknownNameLabel = (username: string) => string;

/** `unknown:` and 12 characters of a keyed hash (the PII key's blind index). */
export function unknownNameLabel(cipher: PiiCipher): UnknownNameLabel {
  return (username) => `unknown:${cipher.blindIndex(`login-name:${username}`).slice(0, 12)}`;
}

// Without the key (callers that have none): the same shape from a plain hash.
const unkeyedLabel: UnknownNameLabel = (username) =>
  `unknown:${crypto.createHash('sha256').update(`login-name:${username}`).digest('base64url').slice(0, 12)}`;

/** The audit log's actor of a failed sign-in: the account's name, or the label of an unknown name. */
export async function failedLoginActor(db: Db, username: string, label: UnknownNameLabel): Promise<string> {
  const id = await findUserIdByName(db, username);
  return id !== undefined ? username : label(username);
}

/**
 * Checks a password and opens a session. Unknown users, wrong passwords, disabled and
 * locked accounts all get the same answer after the same work; 5 failures in 15
 * minutes lock the account for 15 minutes, even against the right password.
 *
 * Increment, then verify: the attempt is recorded as a failure before the failures
 * are counted and before the slow password check, and only turns into a success
 * after it. Of two attempts at once, at least one therefore counts the other, so
 * attempts sent together cannot all slip under the limit.
 */
export async function login(
  db: Db,
  options: { username: string; password: string; now: Date; unknownName?: UnknownNameLabel },
): Promise<LoginResult> {
  const { username, now } = options;
  const since = new Date(now.getTime() - LOCKOUT_WINDOW_MS).toISOString();
  const user = await findUserByName(db, username);
  const name = user ? username : (options.unknownName ?? unkeyedLabel)(username);
  const attemptId = await openLoginAttempt(db, { username: name, at: now.toISOString() });
  const failures = await countFailuresSince(db, { username: name, since, exceptId: attemptId });
  dummyHash ??= hashPassword(randomToken());
  const valid = await verify(user?.password_hash ?? (await dummyHash), options.password).catch(() => false);
  const locked = failures >= LOCKOUT_FAILURES;
  const ok = user !== undefined && valid && !locked && user.disabled === 0 && isRole(user.role);
  if (ok) await markAttemptSucceeded(db, attemptId);
  if (!ok || !user || !isRole(user.role)) throw BAD_LOGIN;
  const sessionToken = randomToken();
  const csrfToken = randomToken();
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS).toISOString();
  await insertSession(db, {
    user_id: user.id,
    token_hash: tokenHash(sessionToken),
    csrf_token: csrfToken,
    created_at: now.toISOString(),
    expires_at: expiresAt,
    last_seen_at: now.toISOString(),
  });
  return {
    sessionToken,
    csrfToken,
    expiresAt,
    user: {
      id: Number(user.id),
      username: user.username,
      role: user.role,
      displayName: user.display_name,
      locale: user.locale,
    },
  };
}

export async function logout(db: Db, sessionToken: string): Promise<void> {
  await deleteSessionByTokenHash(db, tokenHash(sessionToken));
}

export type ResolvedCredential = Principal & { csrfToken: string | null };

/**
 * How stale an API token's last-used time may get before a request refreshes it. An
 * hour says what a token list needs (used today, or not for months), and every such
 * write is a new state of the data: kept list totals and the list's in-memory index
 * start again after it, so a token polling the API must not cause one a minute.
 */
const LAST_USED_STEP_MS = 60 * 60_000;

/**
 * The principal behind a session cookie or a bearer API token, or null. Expired
 * sessions, revoked or expired tokens and disabled users authenticate nobody.
 */
export async function resolvePrincipal(
  db: Db,
  options: { sessionToken?: string; bearerToken?: string; now: Date },
): Promise<ResolvedCredential | null> {
  const now = options.now.toISOString();
  if (options.bearerToken) {
    const token = await findTokenCredential(db, tokenHash(options.bearerToken));
    if (
      !token ||
      token.revoked_at ||
      (token.expires_at && token.expires_at <= now) ||
      token.disabled ||
      !isRole(token.role)
    ) {
      return null;
    }
    // Best effort: while an import holds SQLite's write lock this fails at once, and the
    // request goes on; the timestamp is informational. At most once an hour: a write on
    // every request would also end every result cached for the data as it was.
    if (!token.last_used_at || Date.parse(token.last_used_at) <= options.now.getTime() - LAST_USED_STEP_MS) {
      await touchApiToken(db, { id: token.id, at: now }).catch(() => {});
    }
    return {
      kind: 'token',
      userId: Number(token.user_id),
      username: token.username,
      role: token.role,
      credentialId: Number(token.id),
      viaCookie: false,
      csrfToken: null,
    };
  }
  if (options.sessionToken) {
    const session = await findSessionCredential(db, tokenHash(options.sessionToken));
    if (!session || session.expires_at <= now || session.disabled || !isRole(session.role)) return null;
    return {
      kind: 'user',
      userId: Number(session.user_id),
      username: session.username,
      role: session.role,
      credentialId: Number(session.id),
      viaCookie: true,
      csrfToken: session.csrf_token,
    };
  }
  return null;
}

/** Creates an API token with its own role; the token itself is returned once. */
export async function createApiToken(
  db: Db,
  options: { name: string; role: Role; createdBy: number; now: Date; expiresAt?: string | null },
): Promise<{ id: number; token: string }> {
  const token = `klt_${randomToken()}`;
  const id = await insertApiToken(db, {
    name: options.name,
    role: options.role,
    token_hash: tokenHash(token),
    created_by: options.createdBy,
    created_at: options.now.toISOString(),
    expires_at: options.expiresAt ?? null,
    revoked_at: null,
    last_used_at: null,
  });
  return { id, token };
}

/** Disabling a user ends their sessions at once. */
export async function setUserDisabled(
  db: Db,
  options: { userId: number; disabled: boolean; now: Date },
): Promise<void> {
  await setUserDisabledFlag(db, {
    id: options.userId,
    disabled: options.disabled,
    at: options.now.toISOString(),
  });
  if (options.disabled) await deleteSessionsOfUser(db, options.userId);
}
