/** Phone numbers, e-mail addresses and customer codes from cells. */

import { numberToPlain } from './clean-numbers.ts';
import {
  type CellValue,
  type CleanFailure,
  type CleanResult,
  fail,
  ok,
  quote,
  toHalfWidth,
  ZERO_WIDTH,
} from './clean-result.ts';
import { textOf } from './clean-text.ts';

// ---------------------------------------------------------------------------
// Phone and e-mail

const PHONE_SEPARATORS = /[\s\-()./·\u2010-\u2015]/g;
const MAINLAND_MOBILE = /^1[3-9]\d{9}$/;
// 0 + two-digit area code (010, 020–029) + 8 digits, or 0 + three-digit code + 7–8 digits.
const MAINLAND_LANDLINE = /^0(?:[12]\d{9}|[3-9]\d{9,10})$/;
const SERVICE_NUMBER = /^[48]00\d{7}$/;

function nationalPhone(digits: string): string | null {
  if (MAINLAND_MOBILE.test(digits) || MAINLAND_LANDLINE.test(digits) || SERVICE_NUMBER.test(digits)) {
    return digits;
  }
  return null;
}

/**
 * Phone → normalised digits. Spaces, dashes, dots and parentheses are dropped; `+86`,
 * `0086` (and a bare `86` before an 11-digit mobile) are removed. Accepts mainland
 * mobiles `1[3-9]` + 9 digits, landlines with area code (`010-12345678` → `01012345678`)
 * and 400/800 numbers; other countries only with an explicit `+`/`00` prefix, kept
 * as `+<digits>` (8–15 digits). Extensions (`转801`) are rejected.
 */
export function parsePhone(value: CellValue): CleanResult<string | null> {
  if (value === null || value === undefined) return ok(null);
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) return phoneFailure(value, 'format');
    text = String(value);
  } else if (typeof value === 'string') {
    text = toHalfWidth(value.replace(ZERO_WIDTH, '')).trim();
  } else {
    return phoneFailure(value, 'format');
  }
  text = text.replace(/^tel:/i, '').replace(PHONE_SEPARATORS, '');
  if (text === '') return ok(null);

  let international = false;
  if (text.startsWith('+')) {
    international = true;
    text = text.slice(1);
  } else if (text.startsWith('00')) {
    international = true;
    text = text.slice(2);
  }
  if (!/^\d+$/.test(text)) return phoneFailure(value, 'format');

  if (international) {
    if (text.startsWith('86')) {
      const national = text.slice(2);
      // `+86 10 12345678`: the trunk 0 is dropped after a country code.
      const found = nationalPhone(national) ?? nationalPhone(`0${national}`);
      return found ? ok(found) : phoneFailure(value, national.length < 10 ? 'short' : 'long');
    }
    if (text.length < 8 || text.length > 15) return phoneFailure(value, text.length < 8 ? 'short' : 'long');
    return ok(`+${text}`);
  }
  if (text.length === 13 && text.startsWith('86') && MAINLAND_MOBILE.test(text.slice(2))) {
    return ok(text.slice(2));
  }
  const found = nationalPhone(text);
  if (found) return ok(found);
  if (text.length < 11) return phoneFailure(value, 'short');
  if (text.length > 12) return phoneFailure(value, 'long');
  return phoneFailure(value, 'format');
}

function phoneFailure(value: CellValue, why: 'short' | 'long' | 'format'): CleanFailure {
  const zh = { short: '位数太少', long: '位数太多', format: '格式不正确' }[why];
  const en = { short: 'has too few digits', long: 'has too many digits', format: 'is not a phone number' }[
    why
  ];
  return fail('invalid_phone', {
    zh: `电话${quote(value)}${zh}；应为 11 位手机号或带区号的座机号（分机号请另填）`,
    en: `Phone ${quote(value)} ${en}; expected an 11-digit mobile or a landline with area code (no extension)`,
  });
}

const EMAIL_LOCAL = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * E-mail → trimmed, lower-cased address: `parseEmail(' Zhang@QQ.com ')` → 'zhang@qq.com'.
 * A leading `mailto:` is dropped and the Chinese full stop 。 (an IME slip) read as a dot.
 * ASCII addresses only; internationalised domains are rejected.
 */
export function parseEmail(value: CellValue): CleanResult<string | null> {
  if (value === null || value === undefined) return ok(null);
  if (typeof value !== 'string') return emailFailure(value);
  const text = toHalfWidth(value.replace(ZERO_WIDTH, ''))
    .trim()
    .replace(/^mailto:/i, '')
    .replace(/。/g, '.')
    .toLowerCase();
  if (text === '') return ok(null);
  const at = text.lastIndexOf('@');
  if (at <= 0 || text.length > 254) return emailFailure(value);
  const local = text.slice(0, at);
  const labels = text.slice(at + 1).split('.');
  const valid =
    local.length <= 64 &&
    EMAIL_LOCAL.test(local) &&
    labels.length >= 2 &&
    labels.every((label) => DOMAIN_LABEL.test(label)) &&
    /^(?:[a-z]{2,63}|xn--[a-z0-9-]+)$/.test(labels[labels.length - 1]);
  return valid ? ok(text) : emailFailure(value);
}

function emailFailure(value: CellValue): CleanFailure {
  return fail('invalid_email', {
    zh: `邮箱${quote(value)}格式不正确，应如 name@example.com`,
    en: `${quote(value)} is not an e-mail address; expected e.g. name@example.com`,
  });
}

// ---------------------------------------------------------------------------
// Customer codes

const EXCEL_FLOAT_CODE = /^(\d+)\.0+$/;
const SCIENTIFIC_CODE = /^(\d+)(?:\.(\d+))?e\+?(\d{1,2})$/i;
const MAX_CODE_LENGTH = 64;

/**
 * Customer code (客户编号): trimmed, full-width → half-width, and Excel's number
 * conversion undone: `17850.0` → '17850', `1.785E+4` → '17850', numeric cell 17850 → '17850'.
 * Excel's `="00123"` and leading-apostrophe `'00123` text tricks are unwrapped. Scientific
 * notation that would need padding to 12+ digits is rejected: Excel only writes it that
 * way after cutting digits, so the real code is lost.
 */
export function parseCode(value: CellValue): CleanResult<string | null> {
  if (value === null || value === undefined) return ok(null);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return codeFailure(value, 'format');
    if (Number.isInteger(value) && !Number.isSafeInteger(value)) return codeFailure(value, 'lost');
    return ok(numberToPlain(value));
  }
  if (typeof value !== 'string') return codeFailure(value, 'format');
  let text = textOf(value);
  if (text === null) return ok(null);
  const formulaText = /^="(.*)"$/.exec(text);
  if (formulaText) text = formulaText[1].trim();
  if (text.startsWith("'")) text = text.slice(1).trim();
  if (text === '') return ok(null);

  const asFloat = EXCEL_FLOAT_CODE.exec(text);
  if (asFloat) return ok(asFloat[1]);
  const scientific = SCIENTIFIC_CODE.exec(text);
  if (scientific) {
    const intPart = scientific[1];
    const fracPart = scientific[2] ?? '';
    const exponent = Number(scientific[3]);
    if (fracPart.length > exponent && /[1-9]/.test(fracPart.slice(exponent)))
      return codeFailure(value, 'format');
    const digits = (intPart + fracPart.padEnd(exponent, '0').slice(0, exponent)).replace(/^0+(?=\d)/, '');
    if (fracPart.length < exponent && digits.length >= 12) return codeFailure(value, 'lost');
    return ok(digits);
  }
  if (text.length > MAX_CODE_LENGTH) return codeFailure(value, 'long');
  return ok(text);
}

function codeFailure(value: CellValue, why: 'lost' | 'long' | 'format'): CleanFailure {
  if (why === 'lost') {
    return fail('invalid_code', {
      zh: `客户编号${quote(value)}已被 Excel 转成科学计数法，部分数字已丢失；请把该列设为“文本”后重新导出`,
      en: `Code ${quote(value)} was turned into scientific notation by Excel and lost digits; format the column as Text and export again`,
    });
  }
  if (why === 'long') {
    return fail('invalid_code', {
      zh: `客户编号${quote(value)}超过 ${MAX_CODE_LENGTH} 个字符`,
      en: `Code ${quote(value)} is longer than ${MAX_CODE_LENGTH} characters`,
    });
  }
  return fail('invalid_code', {
    zh: `客户编号${quote(value)}无法识别`,
    en: `${quote(value)} is not a usable code`,
  });
}
