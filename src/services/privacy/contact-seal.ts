import { type ContactField, maskAddress, maskEmail, maskPhone } from '../../core/masking.ts';
import { type PiiCipher, UNREADABLE_PII } from './pii-cipher.ts';

/**
 * A customer's contact details at rest and on the way out. Sealing encrypts a value and,
 * for a phone number or an e-mail address, computes its blind index, the only form in
 * which the database can find it; opening decrypts and masks (or not, for a reveal).
 */
export type { ContactField };

/** The stored columns of sealed contact details. */
export type SealedContacts = {
  phone_enc?: string | null;
  phone_idx?: string | null;
  email_enc?: string | null;
  email_idx?: string | null;
  address_enc?: string | null;
};

/**
 * The blind index of a normalised phone number or e-mail address: what a lookup or a
 * search compares with `phone_idx` / `email_idx`.
 */
export function contactIndex(cipher: PiiCipher, normalised: string): string {
  return cipher.blindIndex(normalised);
}

/**
 * Contact details as stored, from normalised values: each encrypted, phone and e-mail
 * with their blind index. A null value clears the columns; an absent one leaves them out:
 * `sealContacts(cipher, { phone: '13800000000' })` → `{ phone_enc, phone_idx }`.
 */
export function sealContacts(
  cipher: PiiCipher,
  contacts: { phone?: string | null; email?: string | null; address?: string | null },
): SealedContacts {
  const out: SealedContacts = {};
  const { phone, email, address } = contacts;
  if (phone !== undefined) {
    out.phone_enc = phone === null ? null : cipher.encrypt(phone);
    out.phone_idx = phone === null ? null : contactIndex(cipher, phone);
  }
  if (email !== undefined) {
    out.email_enc = email === null ? null : cipher.encrypt(email);
    out.email_idx = email === null ? null : contactIndex(cipher, email);
  }
  if (address !== undefined) out.address_enc = address === null ? null : cipher.encrypt(address);
  return out;
}

/** How a contact leaves the server: masked everywhere, plain only for a reveal or a privacy export. */
export type ContactMode = 'masked' | 'plain';

const MASKS: Record<ContactField, (plain: string | null) => string | null> = {
  phone: maskPhone,
  email: maskEmail,
  address: maskAddress,
};

/**
 * A stored contact decrypted, and masked unless `mode` is 'plain'; null stays null:
 * `openContact(cipher, { field: 'phone', stored: row.phone_enc, mode: 'masked' })` → '138****0000'.
 * A value this key cannot decrypt comes out as UNREADABLE_PII, logged with the customer's
 * code and the field (never the value), so one such row never breaks a list or an export.
 */
export function openContact(
  cipher: PiiCipher,
  options: { field: ContactField; stored: string | null; mode: ContactMode; customer?: string },
): string | null {
  if (options.stored === null) return null;
  const plain = cipher.readable(options.stored, { customer: options.customer ?? '?', field: options.field });
  if (plain === UNREADABLE_PII || options.mode === 'plain') return plain;
  return MASKS[options.field](plain);
}
