import type { Db } from '../database.ts';

export async function recordLoginAttempt(
  db: Db,
  attempt: { username: string; at: string; success: boolean },
): Promise<void> {
  await db
    .insertInto('login_attempts')
    .values({ username: attempt.username, at: attempt.at, success: attempt.success ? 1 : 0 })
    .execute();
}

/**
 * Records a sign-in attempt as a failure before its password is checked, so a
 * concurrent attempt counts it; `markAttemptSucceeded` turns it into a success.
 */
export async function openLoginAttempt(db: Db, attempt: { username: string; at: string }): Promise<number> {
  const row = await db
    .insertInto('login_attempts')
    .values({ username: attempt.username, at: attempt.at, success: 0 })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function markAttemptSucceeded(db: Db, id: number): Promise<void> {
  await db.updateTable('login_attempts').set({ success: 1 }).where('id', '=', id).execute();
}

/** Failed sign-ins of `username` after `since`, leaving out the attempt `exceptId`. */
export async function countFailuresSince(
  db: Db,
  options: { username: string; since: string; exceptId?: number },
): Promise<number> {
  let query = db
    .selectFrom('login_attempts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('username', '=', options.username)
    .where('success', '=', 0)
    .where('at', '>', options.since);
  if (options.exceptId !== undefined) query = query.where('id', '!=', options.exceptId);
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The newest successful sign-in of every user who ever signed in. */
export async function lastSuccesses(db: Db): Promise<{ username: string; at: string | null }[]> {
  const rows = await db
    .selectFrom('login_attempts')
    .select(['username', (eb) => eb.fn.max('at').as('at')])
    .where('success', '=', 1)
    .groupBy('username')
    .execute();
  return rows.map((r) => ({ username: r.username, at: r.at === null ? null : String(r.at) }));
}

/** Failed sign-ins after `since`, newest first. */
export async function failuresSince(db: Db, since: string): Promise<{ username: string; at: string }[]> {
  return db
    .selectFrom('login_attempts')
    .select(['username', 'at'])
    .where('success', '=', 0)
    .where('at', '>', since)
    .orderBy('at', 'desc')
    .execute();
}

/** Forgets the failed sign-ins of `username` after `since`; returns how many. */
export async function clearFailuresSince(
  db: Db,
  options: { username: string; since: string },
): Promise<number> {
  const cleared = await db
    .deleteFrom('login_attempts')
    .where('username', '=', options.username)
    .where('success', '=', 0)
    .where('at', '>', options.since)
    .executeTakeFirst();
  return Number(cleared.numDeletedRows);
}
