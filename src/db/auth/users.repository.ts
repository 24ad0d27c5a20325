import type { Insertable, Selectable } from 'kysely';
import type { Db } from '../database.ts';
import type { UsersTable } from '../schema.ts';

export type UserRow = Selectable<UsersTable>;

/** The user named `username`, whole row (with its password hash). */
export async function findUserByName(db: Db, username: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
}

/** The id of the user named `username`. */
export async function findUserIdByName(db: Db, username: string): Promise<number | undefined> {
  const row = await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst();
  return row === undefined ? undefined : Number(row.id);
}

export async function findUserById(db: Db, id: number): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Every user, by username. */
export async function listUserRows(db: Db): Promise<UserRow[]> {
  return db.selectFrom('users').selectAll().orderBy('username').execute();
}

/** Whether any user exists (a first start has none). */
export async function anyUserExists(db: Db): Promise<boolean> {
  return (await db.selectFrom('users').select('id').limit(1).executeTakeFirst()) !== undefined;
}

export async function insertUser(db: Db, row: Insertable<UsersTable>): Promise<number> {
  const inserted = await db.insertInto('users').values(row).returning('id').executeTakeFirstOrThrow();
  return Number(inserted.id);
}

/** Stores a new password hash; `bumpVersion` also moves the row's version (a change the user made). */
export async function setPasswordHash(
  db: Db,
  options: { id: number; passwordHash: string; at: string; bumpVersion?: boolean },
): Promise<void> {
  await db
    .updateTable('users')
    .set((eb) => ({
      password_hash: options.passwordHash,
      updated_at: options.at,
      ...(options.bumpVersion ? { version: eb('version', '+', 1) } : {}),
    }))
    .where('id', '=', options.id)
    .execute();
}

/** The columns of a user an admin changes, under optimistic locking. */
export type UserColumnChanges = Pick<
  Partial<Insertable<UsersTable>>,
  'role' | 'locale' | 'display_name' | 'disabled'
>;

/**
 * Changes a user whose version is still `version`, moving it on; false when the row was
 * changed meanwhile (or does not exist).
 */
export async function updateUserAtVersion(
  db: Db,
  options: { id: number; version: number; changes: UserColumnChanges; at: string },
): Promise<boolean> {
  const updated = await db
    .updateTable('users')
    .set((eb) => ({ ...options.changes, updated_at: options.at, version: eb('version', '+', 1) }))
    .where('id', '=', options.id)
    .where('version', '=', options.version)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

/** Enables or disables a user (the version stays). */
export async function setUserDisabledFlag(
  db: Db,
  options: { id: number; disabled: boolean; at: string },
): Promise<void> {
  await db
    .updateTable('users')
    .set({ disabled: options.disabled ? 1 : 0, updated_at: options.at })
    .where('id', '=', options.id)
    .execute();
}

/** Sets a user's language when it differs, moving the version on. */
export async function setUserLocale(
  db: Db,
  options: { id: number; locale: string; at: string },
): Promise<void> {
  await db
    .updateTable('users')
    .set((eb) => ({ locale: options.locale, updated_at: options.at, version: eb('version', '+', 1) }))
    .where('id', '=', options.id)
    .where('locale', '!=', options.locale)
    .execute();
}

/** How many enabled admins there are. */
export async function countActiveAdmins(db: Db): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .where('disabled', '=', 0)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
