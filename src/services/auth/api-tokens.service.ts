import { KeleiError } from '../../core/errors.ts';
import {
  type ApiTokenRow,
  findApiTokenRow,
  listApiTokenRows,
  revokeApiTokenRow,
} from '../../db/auth/api-tokens.repository.ts';
import type { Db } from '../../db/database.ts';
import { audit } from '../audit/audit.service.ts';
import { createApiToken, isRole } from './auth.service.ts';
import type { Role } from './policy.ts';

/** An API token as listed: never the token or its hash. */
export type ApiTokenView = {
  id: number;
  name: string;
  role: Role;
  createdBy: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
};

function notFound(id: number): KeleiError {
  return new KeleiError('NotFound', { en: `no API token with id ${id}`, zh: `没有 id 为 ${id} 的 API 令牌` });
}

function toView(row: ApiTokenRow): ApiTokenView {
  // Tokens are only ever created with a role of the table; a stray one authenticates nobody.
  const role = isRole(row.role) ? row.role : 'analyst';
  return { ...row, id: Number(row.id), role };
}

/** Every API token, newest first. */
export async function listApiTokens(db: Db): Promise<ApiTokenView[]> {
  return (await listApiTokenRows(db)).map(toView);
}

/**
 * Issues an API token acting with `role` on behalf of `createdBy`; the token itself is
 * returned here once and stored only as a hash. Audited as `token.create`.
 */
export async function issueApiToken(
  db: Db,
  options: {
    name: string;
    role: Role;
    createdBy: number;
    expiresAt?: string;
    actor: string;
    now: Date;
  },
): Promise<{ token: string; view: ApiTokenView }> {
  let expiresAt: string | null = null;
  if (options.expiresAt !== undefined) {
    const at = new Date(options.expiresAt);
    if (Number.isNaN(at.getTime()) || at <= options.now) {
      throw new KeleiError('ValidationError', {
        en: 'expiresAt must be a future date and time',
        zh: 'expiresAt 必须是将来的时间',
      });
    }
    // Stored as ISO UTC so it compares correctly as text on SQLite.
    expiresAt = at.toISOString();
  }
  return db.transaction().execute(async (trx) => {
    const { id, token } = await createApiToken(trx, {
      name: options.name,
      role: options.role,
      createdBy: options.createdBy,
      now: options.now,
      expiresAt,
    });
    await audit(trx, {
      actor: options.actor,
      action: 'token.create',
      entity: 'api_token',
      entityId: id,
      details: { name: options.name, role: options.role, expiresAt },
      at: options.now,
    });
    const row = await findApiTokenRow(trx, id);
    if (!row) throw notFound(id);
    return { token, view: toView(row) };
  });
}

/** Revokes a token at once; revoking a revoked token changes nothing and writes no audit row. */
export async function revokeApiToken(
  db: Db,
  options: { id: number; actor: string; now: Date },
): Promise<ApiTokenView> {
  return db.transaction().execute(async (trx) => {
    const revoked = await revokeApiTokenRow(trx, { id: options.id, at: options.now.toISOString() });
    const row = await findApiTokenRow(trx, options.id);
    if (!row) throw notFound(options.id);
    if (revoked) {
      await audit(trx, {
        actor: options.actor,
        action: 'token.revoke',
        entity: 'api_token',
        entityId: options.id,
        details: { name: row.name, role: row.role },
        at: options.now,
      });
    }
    return toView(row);
  });
}
