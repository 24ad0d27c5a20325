import type { Insertable } from 'kysely';
import type { Db } from '../database.ts';
import type { ApiTokensTable } from '../schema.ts';

export async function insertApiToken(db: Db, row: Insertable<ApiTokensTable>): Promise<number> {
  const inserted = await db.insertInto('api_tokens').values(row).returning('id').executeTakeFirstOrThrow();
  return Number(inserted.id);
}

/** A token as listed, with the name of the user who issued it (never its hash). */
export type ApiTokenRow = {
  id: number;
  name: string;
  role: string;
  createdBy: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
};

function tokensQuery(db: Db) {
  return db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.created_by')
    .select([
      't.id as id',
      't.name as name',
      't.role as role',
      'u.username as createdBy',
      't.created_at as createdAt',
      't.expires_at as expiresAt',
      't.revoked_at as revokedAt',
      't.last_used_at as lastUsedAt',
    ]);
}

/** Every API token, newest first. */
export async function listApiTokenRows(db: Db): Promise<ApiTokenRow[]> {
  return tokensQuery(db).orderBy('t.created_at', 'desc').orderBy('t.id', 'desc').execute();
}

export async function findApiTokenRow(db: Db, id: number): Promise<ApiTokenRow | undefined> {
  return tokensQuery(db).where('t.id', '=', id).executeTakeFirst();
}

/** Revokes a token not revoked yet; false when it already was (or does not exist). */
export async function revokeApiTokenRow(db: Db, options: { id: number; at: string }): Promise<boolean> {
  const revoked = await db
    .updateTable('api_tokens')
    .set({ revoked_at: options.at })
    .where('id', '=', options.id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(revoked.numUpdatedRows) === 1;
}

/** Revokes every live token a user issued; returns how many. */
export async function revokeTokensIssuedBy(db: Db, options: { userId: number; at: string }): Promise<number> {
  const revoked = await db
    .updateTable('api_tokens')
    .set({ revoked_at: options.at })
    .where('created_by', '=', options.userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(revoked.numUpdatedRows);
}

/** A token with the user behind it, as a request authenticates. */
export type TokenCredential = {
  id: number;
  role: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
  user_id: number;
  username: string;
  disabled: number;
};

export async function findTokenCredential(db: Db, tokenHash: string): Promise<TokenCredential | undefined> {
  return db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.created_by')
    .select([
      't.id as id',
      't.role as role',
      't.expires_at as expires_at',
      't.revoked_at as revoked_at',
      't.last_used_at as last_used_at',
      'u.id as user_id',
      'u.username as username',
      'u.disabled as disabled',
    ])
    .where('t.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export async function touchApiToken(db: Db, options: { id: number; at: string }): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: options.at }).where('id', '=', options.id).execute();
}
