import { asciiDigits, maskEmail, maskPhone } from '../../core/masking.ts';

// People write numbers in free text the way they say them: with spaces, hyphens, dots or
// brackets between the groups, with +86 in front, and with the full-width digits and
// punctuation of a Chinese input method. Every pattern below reads all of these; the
// masks then keep only the digits.
const D = '[0-9０-９]';
/** What may stand between two digit groups: spaces (also U+3000), hyphens and dashes, dots, brackets. */
const S = '[\\s\\-‐‑‒–—－.．·・()（）]';
const NOT_DIGIT_BEFORE = '(?<![0-9０-９])';
const NOT_DIGIT_AFTER = '(?![0-9０-９])';

// Mainland ID numbers (18 characters, the last may be X).
const ID_NUMBER = new RegExp(
  `(?<![0-9０-９A-Za-zＡ-Ｚａ-ｚ])${D}{17}[0-9０-９XxＸｘ](?![0-9０-９A-Za-zＡ-Ｚａ-ｚ])`,
  'g',
);
// Mobiles: 11 digits from 13–19, optionally after (+)86, with up to two separators between digits.
const MOBILE = new RegExp(
  `${NOT_DIGIT_BEFORE}(?:[(（]?[+＋]?[8８][6６][)）]?${S}{0,2})?[(（]?[1１]${S}{0,2}[3-9３-９](?:${S}{0,2}${D}){9}${NOT_DIGIT_AFTER}`,
  'g',
);
// Landlines: a 3–4 digit area code starting with 0 (optionally bracketed), then 7–8 digits.
const LANDLINE = new RegExp(
  `${NOT_DIGIT_BEFORE}[(（]?[0０]${D}{2,3}[)）]?${S}{0,2}${D}(?:${S}?${D}){6,7}${NOT_DIGIT_AFTER}`,
  'g',
);
const EMAIL_ATOM = '[A-Za-z0-9Ａ-Ｚａ-ｚ０-９_%+\\-]';
const EMAIL = new RegExp(
  `${EMAIL_ATOM}+(?:[.．]${EMAIL_ATOM}+)*[@＠][A-Za-z0-9Ａ-Ｚａ-ｚ０-９\\-]+(?:[.．][A-Za-z0-9Ａ-Ｚａ-ｚ０-９\\-]+)*[.．][A-Za-zＡ-Ｚａ-ｚ]{2,}`,
  'g',
);

/**
 * Masks personal data that people type into free text (notes, comments, custom
 * attributes) for callers without `pii.view`:
 * `scrubText('回电 13800001111') === '回电 138****1111'`,
 * `scrubText('回电 +86 (138) 0000.1111') === '回电 138****1111'`.
 */
export function scrubText(text: string): string;
export function scrubText(text: string | null): string | null;
export function scrubText(text: string | null): string | null {
  if (text === null) return null;
  return text
    .replace(ID_NUMBER, (id) => `${id.slice(0, 3)}${'*'.repeat(11)}${id.slice(-4)}`)
    .replace(MOBILE, (phone) => maskPhone(mobileDigits(phone)) ?? '')
    .replace(LANDLINE, (phone) => maskPhone(phone) ?? '')
    .replace(EMAIL, (email) => maskEmail(email) ?? '');
}

/** The 11 digits of a mobile number, without its country code. */
function mobileDigits(phone: string): string {
  return asciiDigits(phone)
    .replace(/\D/g, '')
    .replace(/^86(?=1\d{10}$)/, '');
}

/** What a caller may see of free text: everything with `pii.view`, scrubbed otherwise. */
export type TextView = (text: string | null) => string | null;

export function textViewFor(piiView: boolean): TextView {
  return piiView ? (text) => text : (text) => scrubText(text);
}
