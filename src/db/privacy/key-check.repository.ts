import { sql } from 'kysely';
import type { Db } from '../database.ts';

/** The key check value stored for `purpose` ('pii'), if any (docs/security.md). */
export async function findKeyFingerprint(db: Db, purpose: string): Promise<string | undefined> {
  const r = await sql<{ fingerprint: string }>`select fingerprint from pii_key_check
    where purpose = ${purpose}`.execute(db);
  return r.rows[0]?.fingerprint;
}

/** Records a fingerprint unless one is already stored: two first starts at once keep the first. */
export async function recordKeyFingerprintOnce(
  db: Db,
  options: { purpose: string; fingerprint: string; at: string },
): Promise<void> {
  await sql`insert into pii_key_check (purpose, fingerprint, recorded_at)
    values (${options.purpose}, ${options.fingerprint}, ${options.at})
    on conflict (purpose) do nothing`.execute(db);
}

/** Ciphertexts of the `limit` oldest and `limit` newest customers that have any. */
export async function encryptedContactSample(db: Db, limit: number): Promise<string[]> {
  const of = (order: 'asc' | 'desc') =>
    db
      .selectFrom('customers')
      .select(['phone_enc', 'email_enc', 'address_enc'])
      .where((eb) =>
        eb.or([
          eb('phone_enc', 'is not', null),
          eb('email_enc', 'is not', null),
          eb('address_enc', 'is not', null),
        ]),
      )
      .orderBy('id', order)
      .limit(limit)
      .execute();
  const rows = [...(await of('asc')), ...(await of('desc'))];
  return rows.flatMap((r) => [r.phone_enc, r.email_enc, r.address_enc].filter((v) => v !== null));
}
