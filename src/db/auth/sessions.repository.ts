import type { Insertable } from 'kysely';
import type { Db } from '../database.ts';
import type { SessionsTable } from '../schema.ts';

export async function insertSession(db: Db, row: Insertable<SessionsTable>): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

/** Ends the session whose token has this hash. */
export async function deleteSessionByTokenHash(db: Db, tokenHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}

/** Ends every session of a user, but the one `except` when given. */
export async function deleteSessionsOfUser(db: Db, userId: number, options: { except?: number } = {}) {
  await db
    .deleteFrom('sessions')
    .where('user_id', '=', userId)
    .$if(options.except !== undefined, (q) => q.where('id', '!=', options.except ?? 0))
    .execute();
}

/** A session with the user behind it, as a request authenticates. */
export type SessionCredential = {
  id: number;
  csrf_token: string;
  expires_at: string;
  user_id: number;
  username: string;
  role: string;
  disabled: number;
};

export async function findSessionCredential(
  db: Db,
  tokenHash: string,
): Promise<SessionCredential | undefined> {
  return db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select([
      's.id as id',
      's.csrf_token as csrf_token',
      's.expires_at as expires_at',
      'u.id as user_id',
      'u.username as username',
      'u.role as role',
      'u.disabled as disabled',
    ])
    .where('s.token_hash', '=', tokenHash)
    .executeTakeFirst();
}
