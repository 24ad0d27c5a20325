/**
 * Shortcuts for the cell shapes that make up nearly every row of a large machine-written
 * file (`B0000001`, `2021-09-03 22:20:31`, `286.65`, `运动`). Each returns exactly what
 * the matching cleaner of clean.ts returns for that cell, or `undefined` when the cell is
 * anything else and must go through the full cleaner. They allocate nothing but the
 * result, where the full cleaners build result objects and run a dozen expressions.
 */

/** Letters, digits, `_` and `-`; digits-only codes must not look like `1e5` or `17850.0`. */
const PLAIN_CODE = /^(?:[A-Za-z_-][\w-]{0,63}|\d{1,64})$/;

/** `parseCode` of a string: the code itself when it is plain ASCII. */
export function fastCode(text: string): string | undefined {
  return PLAIN_CODE.test(text) ? text : undefined;
}

/** What `textOf` would remove or rewrite: zero-width characters, full-width forms, the ideographic space. */
const NEEDS_TEXT_CLEANING = /[\u200B\u2060\uFEFF\uFF01-\uFF5E\u3000]/;

/** `cleanText` of a string without zero-width or full-width characters: trimmed, null when blank. */
export function fastText(text: string): string | null | undefined {
  if (NEEDS_TEXT_CLEANING.test(text)) return undefined;
  const trimmed = text.trim();
  return trimmed === '' ? null : trimmed;
}

const ZERO = 48;

function digitsAt(text: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const d = text.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * `parseDate` of `YYYY-MM-DD HH:MM:SS` or `YYYY-MM-DD` (zero-padded, no zone): the wall
 * time and date, which then equal the text as written. Years 1900–2199 as parseDate allows.
 */
export function fastWallTime(text: string): { time: string; date: string } | undefined {
  const n = text.length;
  if (n !== 19 && n !== 10) return undefined;
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return undefined;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  if (year < 1900 || year > 2199 || month < 1 || month > 12 || day < 1) return undefined;
  if (day > daysInMonth(year, month)) return undefined;
  if (n === 10) return { time: `${text} 00:00:00`, date: text };
  if (text.charCodeAt(10) !== 32 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58)
    return undefined;
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return undefined;
  return { time: text, date: text.slice(0, 10) };
}

/** An optional minus, 1–13 digits, optionally a point and one or two digits. */
const PLAIN_MONEY = /^-?\d{1,13}(?:\.\d{1,2})?$/;

/** `parseMoney` of a plain decimal such as `286.65` or `-12.5`: integer fen. */
export function fastMoney(text: string): number | undefined {
  if (!PLAIN_MONEY.test(text)) return undefined;
  const negative = text.charCodeAt(0) === 45;
  const point = text.indexOf('.');
  const whole = Number(text.slice(negative ? 1 : 0, point === -1 ? undefined : point));
  let cents = 0;
  if (point !== -1) {
    cents = (text.charCodeAt(point + 1) - ZERO) * 10;
    if (point + 2 < text.length) cents += text.charCodeAt(point + 2) - ZERO;
  }
  const fen = whole * 100 + cents;
  return fen === 0 ? 0 : negative ? -fen : fen;
}

/** An optional minus, 1–15 digits, optionally a point and up to six digits. */
const PLAIN_DECIMAL = /^-?\d{1,15}(?:\.\d{1,6})?$/;

/** `parseDecimal` of a plain number such as `2` or `0.5`. */
export function fastDecimal(text: string): number | undefined {
  if (!PLAIN_DECIMAL.test(text)) return undefined;
  const value = Number(text);
  return value === 0 ? 0 : value;
}
