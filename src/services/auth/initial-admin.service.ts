import { anyUserExists } from '../../db/auth/users.repository.ts';
import type { Db } from '../../db/database.ts';
import { audit } from '../audit/audit.service.ts';
import { createUser } from './auth.service.ts';
import { generatePassword } from './users.service.ts';

export const INITIAL_ADMIN = 'admin';

/**
 * On a database without any user, creates `admin` (role admin) with a random password
 * and returns it so the caller can show it once; otherwise returns null. Two servers
 * starting together on one PostgreSQL both try; the unique username lets one win.
 */
export async function ensureInitialAdmin(
  db: Db,
  options: { now: Date },
): Promise<{ username: string; password: string } | null> {
  if (await anyUserExists(db)) return null;
  const password = generatePassword();
  try {
    await db.transaction().execute(async (trx) => {
      const id = await createUser(trx, {
        username: INITIAL_ADMIN,
        password,
        role: 'admin',
        now: options.now,
      });
      await audit(trx, {
        actor: 'system',
        action: 'user.create',
        entity: 'user',
        entityId: id,
        details: { username: INITIAL_ADMIN, role: 'admin', reason: 'first start' },
        at: options.now,
      });
    });
  } catch (e) {
    if (await anyUserExists(db)) return null;
    throw e;
  }
  return { username: INITIAL_ADMIN, password };
}
