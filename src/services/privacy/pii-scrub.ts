import { maskEmail, maskPhone } from '../../core/masking.ts';

// Mainland ID numbers (18 characters), mobiles (optionally +86 and separators), landlines with area code.
const ID_NUMBER = /(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])/g;
const MOBILE = /(?<!\d)(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d){8}(?!\d)/g;
const LANDLINE = /(?<!\d)0\d{2,3}[\s-]?\d{7,8}(?!\d)/g;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;

/**
 * Masks personal data that people type into free text (notes, comments, custom
 * attributes) for callers without `pii.view`:
 * `scrubText('回电 13800001111') === '回电 138****1111'`.
 */
export function scrubText(text: string): string;
export function scrubText(text: string | null): string | null;
export function scrubText(text: string | null): string | null {
  if (text === null) return null;
  return text
    .replace(ID_NUMBER, (id) => `${id.slice(0, 3)}${'*'.repeat(11)}${id.slice(-4)}`)
    .replace(MOBILE, (phone) => maskPhone(phone.replace(/\D/g, '').replace(/^86(?=1\d{10}$)/, '')) ?? '')
    .replace(LANDLINE, (phone) => maskPhone(phone) ?? '')
    .replace(EMAIL, (email) => maskEmail(email) ?? '');
}

/** What a caller may see of free text: everything with `pii.view`, scrubbed otherwise. */
export type TextView = (text: string | null) => string | null;

export function textViewFor(piiView: boolean): TextView {
  return piiView ? (text) => text : (text) => scrubText(text);
}
