import { KeleiError } from '../../core/errors.ts';
import { findLiveCustomer } from '../../db/customers/customer-records.repository.ts';
import type { Db } from '../../db/database.ts';
import type { CustomerRow } from '../../db/schema.ts';
import { can, type Principal, scopeOf } from '../auth/policy.ts';
import { scrubText } from '../privacy/pii-scrub.ts';

/**
 * Record scope and PII visibility of a caller (docs/security.md), applied by every
 * customer, activity and privacy use case.
 */
export type Access = {
  principal: Principal;
  /** set when the caller may only see customers they own */
  ownerId: number | undefined;
  /** may see unmasked PII (through reveal) and search or filter by it */
  piiView: boolean;
};

export function accessOf(principal: Principal): Access {
  return {
    principal,
    ownerId: scopeOf(principal.role) === 'own' ? principal.userId : undefined,
    piiView: can(principal.role, 'pii.view'),
  };
}

/** Whether the caller's record scope includes a customer with this owner. */
export function inScope(access: Access, ownerUserId: number | null): boolean {
  return access.ownerId === undefined || (ownerUserId !== null && Number(ownerUserId) === access.ownerId);
}

/** Not found; the code is echoed masked when it looks like a phone number or e-mail (some shops use them as codes). */
export function customerNotFound(code: string): KeleiError {
  const shown = scrubText(code);
  return new KeleiError('CustomerNotFound', {
    en: `no customer with code "${shown}"`,
    zh: `找不到客户编号为“${shown}”的客户`,
  });
}

export function piiForbidden(what: { en: string; zh: string }): KeleiError {
  return new KeleiError('Forbidden', {
    en: `${what.en} needs permission pii.view`,
    zh: `${what.zh}需要查看个人信息权限（pii.view）`,
  });
}

/**
 * A live customer the caller may see, or CustomerNotFound: a customer outside the
 * caller's scope is answered exactly like one that does not exist, so existence does not leak.
 */
export async function visibleCustomer(
  db: Db,
  options: { access: Access; code: string },
): Promise<CustomerRow> {
  const row = await findLiveCustomer(db, options.code);
  if (!row || !inScope(options.access, row.owner_user_id)) throw customerNotFound(options.code);
  return row;
}
