/** Money, whole and decimal numbers from cells, exactly: money never passes through binary floating point. */

import {
  type CellValue,
  type CleanFailure,
  type CleanResult,
  fail,
  ok,
  quote,
  type RangeOptions,
  toHalfWidth,
  ZERO_WIDTH,
} from './clean-result.ts';

// ---------------------------------------------------------------------------
// Exact decimals (money must never pass through binary floating point)

/** value = sign × digits × 10^-scale, digits without sign or leading zeros ('' means 0). */
type Decimal = { negative: boolean; digits: string; scale: number };

const PLAIN_NUMBER = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:e([+-]?\d{1,3}))?$/i;
const GROUPED_NUMBER = /^([+-]?)(\d{1,3}(?:,\d{3})+(?:\.\d*)?)$/;

/** Parses `1234.5`, `-1,234.50`, `1.785E+4`; grouping commas must sit every three digits. */
function parseDecimalText(text: string): Decimal | null {
  const grouped = GROUPED_NUMBER.exec(text);
  const match = grouped ?? PLAIN_NUMBER.exec(text);
  if (!match) return null;
  const body = match[2].replace(/,/g, '');
  const exponent = grouped ? 0 : Number(match[3] ?? '0');
  // Cap the exponent so `1e999` cannot make us build a thousand-digit string.
  if (Math.abs(exponent) > 30) return null;
  const [intPart, fracPart = ''] = body.split('.');
  let digits = (intPart + fracPart).replace(/^0+/, '');
  let scale = fracPart.length - exponent;
  if (scale < 0) {
    digits = digits === '' ? '' : digits + '0'.repeat(-scale);
    scale = 0;
  }
  return { negative: match[1] === '-' && digits !== '', digits, scale };
}

/** Rounds to `places` decimals, half away from zero, returning the scaled integer. */
function roundDecimal(value: Decimal, places: number): bigint {
  const { digits, scale } = value;
  let magnitude: bigint;
  if (scale <= places) {
    magnitude = BigInt((digits || '0') + '0'.repeat(places - scale));
  } else {
    const drop = scale - places;
    const padded = digits.padStart(drop + 1, '0');
    const kept = BigInt(padded.slice(0, padded.length - drop));
    magnitude = padded[padded.length - drop] >= '5' ? kept + 1n : kept;
  }
  return value.negative ? -magnitude : magnitude;
}

/** Whether the decimal has a non-zero fractional part. */
function hasFraction(value: Decimal): boolean {
  if (value.scale === 0) return false;
  return /[1-9]/.test(value.digits.padStart(value.scale, '0').slice(-value.scale));
}

/** Shortest exact decimal text of a finite number, never in exponent form: 1e21 → '1000000000000000000000'. */
export function numberToPlain(value: number): string {
  const text = String(value);
  if (!/e/i.test(text)) return text;
  const decimal = parseDecimalText(text);
  if (!decimal) return text;
  const digits = decimal.digits || '0';
  const padded = digits.padStart(decimal.scale + 1, '0');
  const intPart = padded.slice(0, padded.length - decimal.scale);
  const fracPart = decimal.scale > 0 ? `.${padded.slice(-decimal.scale)}` : '';
  return `${decimal.negative ? '-' : ''}${intPart}${fracPart}`;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function toSafeNumber(value: bigint): number | null {
  return value > MAX_SAFE || value < -MAX_SAFE ? null : Number(value);
}

// ---------------------------------------------------------------------------
// Money

const MONEY_PREFIX = /^([+-]?)(¥|￥|rmb|cny|人民币)?([+-]?)/i;
const CURRENCY_SUFFIX = /(?:元|rmb|cny|人民币)$/i;
const WAN_SUFFIX = /万$/;
const SPACES = /[\s\u00A0\u2000-\u200B\u202F\u205F\u3000]+/g;
const MINUS_SIGNS = /[\u2212\u2012\u2013\u2014\uFE63]/g;

/**
 * Money → integer fen. Accepts `¥1,234.50`, `￥1234.5`, `1234`, `-12.5`, `(12.50)`
 * (accounting negative), `12.50-`, `1,234.50元`, `1.5万`, full-width digits and numeric
 * cells; rounds to the fen half away from zero with decimal arithmetic:
 * `parseMoney('12.345')` → `{ ok: true, value: 1235 }`. Rejects `abc`, `1.2.3`, `$5`.
 */
export function parseMoney(value: CellValue): CleanResult<number | null> {
  if (value === null || value === undefined) return ok(null);
  if (value instanceof Date || typeof value === 'boolean') return moneyFailure(value);
  if (typeof value === 'number' && !Number.isFinite(value)) return moneyFailure(value);
  let text = typeof value === 'number' ? numberToPlain(value) : toHalfWidth(value.replace(ZERO_WIDTH, ''));
  text = text.replace(SPACES, '').replace(MINUS_SIGNS, '-');
  if (text === '') return ok(null);

  let negative = false;
  const parenthesised = /^\((.*)\)$/.exec(text);
  if (parenthesised) {
    negative = true;
    text = parenthesised[1];
  } else if (/^[^-].*-$/.test(text)) {
    // SAP-style trailing minus: `12.50-`.
    negative = true;
    text = text.slice(0, -1);
  }
  // A sign may sit before or after the currency symbol: `-¥12` and `¥-12` both occur.
  const prefix = MONEY_PREFIX.exec(text);
  const sign = prefix ? prefix[1] || prefix[3] : '';
  if (prefix) {
    if ((prefix[1] && prefix[3]) || (sign && negative)) return moneyFailure(value);
    text = text.slice(prefix[0].length);
  }
  if (sign === '-') negative = true;
  text = text.replace(CURRENCY_SUFFIX, '');
  let shift = 0;
  if (WAN_SUFFIX.test(text)) {
    text = text.slice(0, -1);
    shift = 4;
  }

  const decimal = parseDecimalText(text);
  if (!decimal || !/^[\d.]/.test(text)) return moneyFailure(value);
  const shifted: Decimal = {
    negative: negative && decimal.digits !== '',
    digits: decimal.digits,
    scale: decimal.scale - shift,
  };
  if (shifted.scale < 0) {
    shifted.digits = shifted.digits === '' ? '' : shifted.digits + '0'.repeat(-shifted.scale);
    shifted.scale = 0;
  }
  const fen = toSafeNumber(roundDecimal(shifted, 2));
  if (fen === null) {
    return fail('out_of_range', {
      zh: `金额${quote(value)}超出可处理范围`,
      en: `Amount ${quote(value)} is too large`,
    });
  }
  return ok(fen === 0 ? 0 : fen);
}

function moneyFailure(value: CellValue): CleanFailure {
  return fail('invalid_money', {
    zh: `金额${quote(value)}无法识别，应为数字，如 1234.50 或 ¥1,234.50`,
    en: `${quote(value)} is not an amount; expected a number such as 1234.50 or ¥1,234.50`,
  });
}

/**
 * Integer fen → yuan text with thousands separators and the ¥ sign, the inverse of
 * {@link parseMoney}: `formatMoney(123450) === '¥1,234.50'`, `formatMoney(-5) === '-¥0.05'`.
 */
export function formatMoney(fen: number): string {
  const magnitude = BigInt(Math.abs(Math.trunc(fen)));
  const yuan = (magnitude / 100n).toString().replace(/\B(?=(\d{3})+$)/g, ',');
  const cents = (magnitude % 100n).toString().padStart(2, '0');
  return `${fen < 0 ? '-' : ''}¥${yuan}.${cents}`;
}

// ---------------------------------------------------------------------------
// Integers and decimals

// Units people type after a count or age (`10次`, `35岁`, `3件`). Magnitude characters
// (十百千万亿) are deliberately absent: `1万` must not read as 1.
const UNIT_SUFFIX =
  /\s*(?:次|件|个|岁|周岁|人|名|位|单|笔|台|张|份|盒|箱|包|瓶|套|支|只|条|双|袋|天|日|个月|月|年|分|星|pcs?)$/i;

function numberText(value: string): string {
  return toHalfWidth(value.replace(ZERO_WIDTH, '')).trim().replace(MINUS_SIGNS, '-').replace(UNIT_SUFFIX, '');
}

function rangeFailure(value: CellValue, range: RangeOptions): CleanFailure | null {
  const n = Number(value);
  if (range.min !== undefined && n < range.min) {
    return fail('out_of_range', {
      zh: `${quote(value)}小于最小值 ${range.min}`,
      en: `${quote(value)} is below the minimum ${range.min}`,
    });
  }
  if (range.max !== undefined && n > range.max) {
    return fail('out_of_range', {
      zh: `${quote(value)}大于最大值 ${range.max}`,
      en: `${quote(value)} is above the maximum ${range.max}`,
    });
  }
  return null;
}

/**
 * Whole number, with grouping commas and a trailing unit allowed:
 * `parseInteger('10次')` → 10, `parseInteger('1,200')` → 1200, `parseInteger('12.0')` → 12.
 * `12.5` is an error, as is anything outside `options.min`/`options.max`.
 */
export function parseInteger(value: CellValue, options: RangeOptions = {}): CleanResult<number | null> {
  if (value === null || value === undefined) return ok(null);
  let parsed: number | null = null;
  if (typeof value === 'number') {
    parsed = Number.isSafeInteger(value) ? value : null;
  } else if (typeof value === 'string') {
    const text = numberText(value);
    if (text === '') return ok(null);
    const decimal = parseDecimalText(text);
    if (decimal && !hasFraction(decimal)) parsed = toSafeNumber(roundDecimal(decimal, 0));
  }
  if (parsed === null) {
    return fail('invalid_integer', {
      zh: `${quote(value)}不是整数`,
      en: `${quote(value)} is not a whole number`,
    });
  }
  return rangeFailure(parsed, options) ?? ok(parsed === 0 ? 0 : parsed);
}

/**
 * Decimal number such as a quantity or weight: `parseDecimal('2.5件')` → 2.5. The result
 * is a JS number, so use {@link parseMoney} for anything that is money.
 */
export function parseDecimal(value: CellValue, options: RangeOptions = {}): CleanResult<number | null> {
  if (value === null || value === undefined) return ok(null);
  let parsed: number | null = null;
  if (typeof value === 'number') {
    parsed = Number.isFinite(value) ? value : null;
  } else if (typeof value === 'string') {
    const text = numberText(value);
    if (text === '') return ok(null);
    const decimal = parseDecimalText(text);
    if (decimal) parsed = Number(text.replace(/,/g, ''));
  }
  if (parsed === null || !Number.isFinite(parsed)) {
    return fail('invalid_number', { zh: `${quote(value)}不是数字`, en: `${quote(value)} is not a number` });
  }
  return rangeFailure(parsed, options) ?? ok(parsed === 0 ? 0 : parsed);
}
