/**
 * Full-width digits (U+FF10–U+FF19), as typed with a Chinese input method, read as ASCII
 * digits: `asciiDigits('１３８') === '138'`.
 */
/** The contact details kept encrypted and shown masked: the fields a reveal opens. */
export const CONTACT_FIELDS = ['phone', 'email', 'address'] as const;
export type ContactField = (typeof CONTACT_FIELDS)[number];

export function asciiDigits(text: string): string {
  return text.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
}

/**
 * Masks a phone number for display, whatever separators or full-width digits it was
 * written with: `maskPhone('13800000000') === '138****0000'`, `maskPhone('(010) 6552-8888') === '010****8888'`.
 */
export function maskPhone(phone: string | null): string | null {
  if (phone === null) return null;
  const digits = asciiDigits(phone).replace(/\D/g, '');
  if (digits.length < 7) return '*'.repeat(digits.length);
  return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}`;
}

/**
 * Masks an e-mail address for display, with an ASCII or a full-width at sign:
 * `maskEmail('zhang@example.com') === 'z***@example.com'`.
 */
export function maskEmail(email: string | null): string | null {
  if (email === null) return null;
  const at = email.search(/[@＠]/);
  if (at <= 0) return '***';
  return `${email[0]}***${email.slice(at)}`;
}

/** Masks a postal address, keeping the first 6 characters (province and city). */
export function maskAddress(address: string | null): string | null {
  if (address === null) return null;
  return address.length <= 6 ? '***' : `${address.slice(0, 6)}***`;
}
