/** Masks a phone number for display: `maskPhone('13800000000') === '138****0000'`. */
export function maskPhone(phone: string | null): string | null {
  if (phone === null) return null;
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 7) return '*'.repeat(digits.length);
  return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}`;
}

/** Masks an e-mail address for display: `maskEmail('zhang@example.com') === 'z***@example.com'`. */
export function maskEmail(email: string | null): string | null {
  if (email === null) return null;
  const at = email.indexOf('@');
  if (at <= 0) return '***';
  return `${email[0]}***${email.slice(at)}`;
}

/** Masks a postal address, keeping the first 6 characters (province and city). */
export function maskAddress(address: string | null): string | null {
  if (address === null) return null;
  return address.length <= 6 ? '***' : `${address.slice(0, 6)}***`;
}
