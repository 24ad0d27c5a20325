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

/** Failed sign-ins of `username` after `since`. */
export async function countFailuresSince(
  db: Db,
  options: { username: string; since: string },
): Promise<number> {
  const row = await db
    .selectFrom('login_attempts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('username', '=', options.username)
    .where('success', '=', 0)
    .where('at', '>', options.since)
    .executeTakeFirstOrThrow();
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
