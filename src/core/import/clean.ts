/**
 * Cleaning of imported cell values (DESIGN.md §6). Pure: no I/O, no Node imports.
 *
 * Every cleaner takes one raw cell — a string from CSV, or a string, number, boolean
 * or Date from XLSX — and returns a {@link CleanResult}. Conventions shared by all:
 *
 * - An empty cell (null, undefined, '' or only whitespace) is `{ ok: true, value: null }`.
 *   Whether a field is required is the import service's decision, not the cleaner's.
 * - A failure carries a machine code plus a user-safe reason in Chinese and English
 *   that quotes the offending value, ready for the row error report.
 * - Nothing here throws on bad data. The only throw is a RangeError for an invalid
 *   IANA zone name in {@link DateOptions}, which is a configuration error.
 */

/** A raw cell as the readers produce it (plus booleans, which XLSX may hold). */
export type CellValue = string | number | boolean | Date | null | undefined;

export type CleanErrorCode =
  | 'invalid_money'
  | 'invalid_number'
  | 'invalid_integer'
  | 'out_of_range'
  | 'invalid_date'
  | 'invalid_phone'
  | 'invalid_email'
  | 'invalid_code'
  | 'invalid_gender'
  | 'invalid_choice';

export type CleanFailure = { ok: false; code: CleanErrorCode; reason_zh: string; reason_en: string };
export type CleanResult<T> = { ok: true; value: T } | CleanFailure;

/** A cleaned date: wall-clock values in the workspace zone, plus the UTC instant. */
export type CleanDate = {
  /** calendar date in the workspace zone, `YYYY-MM-DD` (business dates, §3) */
  date: string;
  /** wall time in the workspace zone, `YYYY-MM-DD HH:MM:SS` (00:00:00 when the cell had no time) */
  time: string;
  /** whether the cell carried a time of day; a date-only cell has `time` at midnight */
  hasTime: boolean;
  /** the same moment as a UTC ISO string, for timestamp columns (`ordered_at`, `at`) */
  instant: string;
};

export type DateOptions = {
  /** IANA zone of the workspace; wall times are read in it, offsets converted to it. Default Asia/Shanghai. */
  timeZone?: string;
};

export type RangeOptions = { min?: number; max?: number };

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

const ok = <T>(value: T): CleanResult<T> => ({ ok: true, value });

const fail = (code: CleanErrorCode, reason: { zh: string; en: string }): CleanFailure => ({
  ok: false,
  code,
  reason_zh: reason.zh,
  reason_en: reason.en,
});

/** Quotes a raw value for an error message, shortened so one bad cell cannot bloat the report. */
function quote(value: CellValue): string {
  const text = value instanceof Date && !Number.isNaN(value.getTime()) ? value.toISOString() : String(value);
  return text.length > 40 ? `"${text.slice(0, 37)}..."` : `"${text}"`;
}

// ---------------------------------------------------------------------------
// Text

const ZERO_WIDTH = /[\u200B\u2060\uFEFF]/g;

/**
 * Full-width ASCII (U+FF01–U+FF5E) → ASCII and the ideographic space → space:
 * `toHalfWidth('ＡＢＣ１２３（）') === 'ABC123()'`. Other characters are left alone.
 */
export function toHalfWidth(text: string): string {
  return text.replace(/[\uFF01-\uFF5E\u3000]/g, (ch) =>
    ch === '\u3000' ? ' ' : String.fromCharCode(ch.charCodeAt(0) - 0xfee0),
  );
}

/**
 * Text cell: full-width → half-width, zero-width characters removed, trimmed; internal
 * spacing is kept as written. Numbers become their plain decimal form, Dates become
 * `YYYY-MM-DD` (or `YYYY-MM-DD HH:MM:SS` when they carry a time). `cleanText('　张三 ')` → '张三'.
 */
export function cleanText(value: CellValue): CleanResult<string | null> {
  return ok(textOf(value));
}

function textOf(value: CellValue): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return null;
    const wall = wallFromDateCell(value);
    return wall.hasTime ? formatWall(wall) : formatWall(wall).slice(0, 10);
  }
  if (typeof value === 'number') return Number.isFinite(value) ? numberToPlain(value) : null;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = toHalfWidth(value.replace(ZERO_WIDTH, '')).trim();
  return text === '' ? null : text;
}

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
function numberToPlain(value: number): string {
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

// ---------------------------------------------------------------------------
// Dates

type Wall = { year: number; month: number; day: number; hour: number; minute: number; second: number };

const pad2 = (n: number) => String(n).padStart(2, '0');

function formatWall(w: Wall): string {
  return `${w.year}-${pad2(w.month)}-${pad2(w.day)} ${pad2(w.hour)}:${pad2(w.minute)}:${pad2(w.second)}`;
}

function wallToUtcMs(w: Wall): number {
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
}

function wallFromUtcMs(ms: number): Wall {
  const d = new Date(ms);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

/** exceljs hands date cells over as Dates whose UTC fields are the wall time typed in Excel. */
function wallFromDateCell(value: Date): Wall & { hasTime: boolean } {
  const wall = wallFromUtcMs(value.getTime());
  return { ...wall, hasTime: wall.hour !== 0 || wall.minute !== 0 || wall.second !== 0 };
}

const MIN_YEAR = 1900;
const MAX_YEAR = 2199;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function validWall(w: Wall): boolean {
  return (
    Number.isInteger(w.year) &&
    w.year >= MIN_YEAR &&
    w.year <= MAX_YEAR &&
    w.month >= 1 &&
    w.month <= 12 &&
    w.day >= 1 &&
    w.day <= daysInMonth(w.year, w.month) &&
    w.hour >= 0 &&
    w.hour <= 23 &&
    w.minute >= 0 &&
    w.minute <= 59 &&
    w.second >= 0 &&
    w.second <= 59
  );
}

// One formatter per zone: constructing Intl.DateTimeFormat is far slower than using one.
const zoneFormatters = new Map<string, Intl.DateTimeFormat>();

function zoneFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = zoneFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    zoneFormatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall time in `timeZone` at the UTC instant `ms`. */
function wallInZone(ms: number, timeZone: string): Wall {
  const parts: Record<string, number> = {};
  for (const part of zoneFormatter(timeZone).formatToParts(new Date(ms))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year,
    month: parts.month,
    day: parts.day,
    hour: parts.hour,
    minute: parts.minute,
    second: parts.second,
  };
}

// Zone offsets change only at transitions, which fall on quarter hours and are rare:
// a day whose first and last quarter hours share an offset has it throughout, so one
// pair of Intl calls per day and zone serves every cell of that day.
const offsetCache = new Map<string, number>();
const dayOffsetCache = new Map<string, Map<number, number | null>>();
const QUARTER_HOUR_MS = 15 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

function quarterHourOffsetMs(bucket: number, timeZone: string): number {
  const key = `${timeZone}|${bucket}`;
  let offset = offsetCache.get(key);
  if (offset === undefined) {
    offset = wallToUtcMs(wallInZone(bucket, timeZone)) - bucket;
    if (offsetCache.size > 50_000) offsetCache.clear();
    offsetCache.set(key, offset);
  }
  return offset;
}

/** Offset of `timeZone` from UTC at instant `ms`, in ms (Asia/Shanghai: +8 h). */
function zoneOffsetMs(ms: number, timeZone: string): number {
  const day = Math.floor(ms / DAY_MS) * DAY_MS;
  let days = dayOffsetCache.get(timeZone);
  if (!days) {
    days = new Map();
    dayOffsetCache.set(timeZone, days);
  }
  let uniform = days.get(day);
  if (uniform === undefined) {
    const first = quarterHourOffsetMs(day, timeZone);
    const last = quarterHourOffsetMs(day + DAY_MS - QUARTER_HOUR_MS, timeZone);
    uniform = first === last ? first : null;
    if (days.size > 100_000) days.clear();
    days.set(day, uniform);
  }
  if (uniform !== null) return uniform;
  return quarterHourOffsetMs(Math.floor(ms / QUARTER_HOUR_MS) * QUARTER_HOUR_MS, timeZone);
}

/** The UTC instant of a wall time in `timeZone`; the second pass settles DST edges. */
function wallToInstantMs(w: Wall, timeZone: string): number {
  const asUtc = wallToUtcMs(w);
  const first = asUtc - zoneOffsetMs(asUtc, timeZone);
  const second = asUtc - zoneOffsetMs(first, timeZone);
  return second;
}

function cleanDate(wall: Wall, hasTime: boolean, timeZone: string): CleanDate {
  const time = formatWall(wall);
  return {
    date: time.slice(0, 10),
    time,
    hasTime,
    instant: new Date(wallToInstantMs(wall, timeZone)).toISOString(),
  };
}

// Excel's 1900 date system counts from 1899-12-30 once past its phantom 1900-02-29;
// the plausible range keeps ordinary numbers (amounts, codes) from passing as dates.
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const SERIAL_MIN = 20000;
const SERIAL_MAX = 80000;

function wallFromSerial(serial: number): { wall: Wall; hasTime: boolean } {
  const days = Math.floor(serial);
  const seconds = Math.round((serial - days) * 86400);
  return { wall: wallFromUtcMs(EXCEL_EPOCH_MS + days * 86400000 + seconds * 1000), hasTime: seconds !== 0 };
}

const TIME_PART = String.raw`(?:[T\s]+(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.\d+)?)?)?`;
const ISO_LIKE = new RegExp(
  String.raw`^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})${TIME_PART}\s*(Z|[+-]\d{2}(?::?\d{2})?)?$`,
  'i',
);
const COMPACT = /^(\d{4})(\d{2})(\d{2})(?:[T\s]?(\d{2})(\d{2})(\d{2})?)?$/;
const US_LIKE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?\s*([ap]\.?m\.?)?)?$/i;
const SERIAL_TEXT = /^\d{5}(?:\.\d+)?$/;
const CHINESE_DATE = /^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*[日号]?/;

/** `2024年1月5日 13时45分30秒` → `2024-1-5 13:45:30`, so one pattern reads both. */
function normaliseChineseDate(text: string): string {
  return text
    .replace(/\s*年\s*/, '-')
    .replace(/\s*月\s*/, '-')
    .replace(/\s*[日号]\s*/, ' ')
    .replace(/\s*[时點点]\s*/, ':')
    .replace(/\s*分\s*/, ':')
    .replace(/\s*秒\s*/, '')
    .replace(/:$/, '')
    .trim();
}

const num = (text: string | undefined) => (text === undefined ? 0 : Number(text));

/** Parses `Z`, `+08:00`, `+0800`, `+08` into minutes east of UTC. */
function offsetMinutes(zone: string): number {
  if (zone.toUpperCase() === 'Z') return 0;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0'));
}

type ParsedText = { wall: Wall; hasTime: boolean; zone?: string };

function fromIsoLike(text: string): ParsedText | null {
  const match = ISO_LIKE.exec(text);
  if (!match) return null;
  return {
    wall: {
      year: num(match[1]),
      month: num(match[3]),
      day: num(match[4]),
      hour: num(match[5]),
      minute: num(match[6]),
      second: num(match[7]),
    },
    hasTime: match[5] !== undefined,
    zone: match[8],
  };
}

function fromCompact(text: string): ParsedText | null {
  const match = COMPACT.exec(text);
  if (!match) return null;
  return {
    wall: {
      year: num(match[1]),
      month: num(match[2]),
      day: num(match[3]),
      hour: num(match[4]),
      minute: num(match[5]),
      second: num(match[6]),
    },
    hasTime: match[4] !== undefined,
  };
}

function fromUsLike(text: string): ParsedText | null {
  const match = US_LIKE.exec(text);
  if (!match) return null;
  const first = num(match[1]);
  const second = num(match[2]);
  // M/D/YYYY as US exports (the UCI file) write it, unless only D/M/YYYY can be right.
  const [month, day] = first > 12 ? [second, first] : [first, second];
  let hour = num(match[4]);
  const meridiem = match[7]?.toLowerCase().replace(/\./g, '');
  if (meridiem) {
    // 13 PM and 0 AM do not exist; -1 fails validation.
    hour = hour < 1 || hour > 12 ? -1 : (hour % 12) + (meridiem === 'pm' ? 12 : 0);
  }
  return {
    wall: { year: num(match[3]), month, day, hour, minute: num(match[5]), second: num(match[6]) },
    hasTime: match[4] !== undefined,
  };
}

/**
 * Date or date-time in the many ways spreadsheets write them:
 * `2024-01-05`, `2024/1/5`, `2024.1.5`, `2024年1月5日`, `20240105`, `2024-01-05 13:45[:30]`,
 * `12/1/2010 8:26` (M/D/YYYY; D/M/YYYY when the first number is above 12), ISO with `T`
 * and `Z` or an offset (converted to the workspace zone), Excel serials 20000–80000
 * (`45296` → 2024-01-05, the fraction is the time of day), and Dates from exceljs
 * (their UTC fields are the wall time written in the cell). Years 1900–2199 only;
 * impossible dates such as 2024-02-30 are errors.
 */
export function parseDate(value: CellValue, options: DateOptions = {}): CleanResult<CleanDate | null> {
  const timeZone = options.timeZone ?? DEFAULT_TIME_ZONE;
  // Validates the zone up front: a bad zone is a configuration error, never a row error.
  zoneFormatter(timeZone);
  if (value === null || value === undefined) return ok(null);
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return dateFailure(value);
    const wall = wallFromDateCell(value);
    return validWall(wall) ? ok(cleanDate(wall, wall.hasTime, timeZone)) : dateFailure(value);
  }
  if (typeof value === 'boolean') return dateFailure(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return dateFailure(value);
    if (Number.isInteger(value) && value >= 19000101 && value <= 21991231) {
      return parseDate(String(value), options);
    }
    if (value >= SERIAL_MIN && value <= SERIAL_MAX) {
      const { wall, hasTime } = wallFromSerial(value);
      return ok(cleanDate(wall, hasTime, timeZone));
    }
    return dateFailure(value);
  }

  let text = toHalfWidth(value.replace(ZERO_WIDTH, '')).trim();
  if (text === '') return ok(null);
  if (CHINESE_DATE.test(text)) text = normaliseChineseDate(text);

  if (SERIAL_TEXT.test(text)) {
    const serial = Number(text);
    if (serial < SERIAL_MIN || serial > SERIAL_MAX) return dateFailure(value);
    const fromSerial = wallFromSerial(serial);
    return ok(cleanDate(fromSerial.wall, fromSerial.hasTime, timeZone));
  }
  const parsed = fromIsoLike(text) ?? fromCompact(text) ?? fromUsLike(text);
  if (!parsed) return dateFailure(value);
  const { wall, hasTime, zone } = parsed;
  if (!validWall(wall)) return dateFailure(value);

  if (zone !== undefined) {
    if (!hasTime) return dateFailure(value);
    const instant = wallToUtcMs(wall) - offsetMinutes(zone) * 60000;
    return ok(cleanDate(wallInZone(instant, timeZone), true, timeZone));
  }
  return ok(cleanDate(wall, hasTime, timeZone));
}

function dateFailure(value: CellValue): CleanFailure {
  return fail('invalid_date', {
    zh: `日期${quote(value)}无法识别或不存在，应如 2024-01-05 或 2024-01-05 13:45`,
    en: `${quote(value)} is not a valid date; expected e.g. 2024-01-05 or 2024-01-05 13:45`,
  });
}

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

// ---------------------------------------------------------------------------
// Vocabularies (gender, kinds, channels, statuses)

export type Gender = 'male' | 'female';
export type CustomerKind = 'individual' | 'company';
export type InteractionChannel = 'phone' | 'email' | 'wechat' | 'visit' | 'chat' | 'other';
export type InteractionDirection = 'inbound' | 'outbound';
export type FeedbackKind = 'complaint' | 'suggestion' | 'praise' | 'inquiry' | 'other';
export type FeedbackStatus = 'open' | 'handled';

type Vocabulary<T extends string> = {
  code: CleanErrorCode;
  label_zh: string;
  label_en: string;
  words: Readonly<Record<T, readonly string[]>>;
  /** values that mean "not known": they clean to null instead of failing */
  unknown?: readonly string[];
  /** what an unrecognised word becomes; without it an unrecognised word is an error */
  fallback?: T;
};

function vocabularyKey(text: string): string {
  return toHalfWidth(text).trim().toLowerCase().replace(/\s+/g, ' ');
}

function compileVocabulary<T extends string>(
  vocabulary: Vocabulary<T>,
): (value: CellValue) => CleanResult<T | null> {
  const lookup = new Map<string, T>();
  for (const [canonical, words] of Object.entries(vocabulary.words) as [T, readonly string[]][]) {
    lookup.set(canonical, canonical);
    for (const word of words) lookup.set(vocabularyKey(word), canonical);
  }
  const unknown = new Set((vocabulary.unknown ?? []).map(vocabularyKey));
  const allowed = Object.keys(vocabulary.words).join('/');
  return (value) => {
    const text = textOf(value);
    if (text === null) return ok(null);
    const key = vocabularyKey(text);
    const found = lookup.get(key);
    if (found) return ok(found);
    if (unknown.has(key)) return ok(null);
    if (vocabulary.fallback) return ok(vocabulary.fallback);
    return fail(vocabulary.code, {
      zh: `${vocabulary.label_zh}${quote(value)}无法识别`,
      en: `${vocabulary.label_en} ${quote(value)} is not recognised (expected ${allowed})`,
    });
  };
}

const UNKNOWN_WORDS = [
  '未知',
  '保密',
  '不详',
  '不明',
  '未填',
  '无',
  '-',
  '--',
  '/',
  '?',
  'unknown',
  'n/a',
  'na',
  'none',
];

/**
 * Gender → 'male' | 'female'. Explicit "don't know" values (未知, 保密, 其他, U, unknown, -)
 * clean to null without error; anything else unrecognised — including numeric codes
 * such as 0/1/2, whose meaning differs between systems — is an error, so a wrongly
 * mapped column shows up in the dry run instead of being silently emptied.
 */
export const parseGender = compileVocabulary<Gender>({
  code: 'invalid_gender',
  label_zh: '性别',
  label_en: 'Gender',
  words: {
    male: ['男', '男性', '男士', '先生', 'm', 'man', 'mr', 'mr.'],
    female: ['女', '女性', '女士', '小姐', '太太', 'f', 'woman', 'ms', 'ms.', 'mrs', 'mrs.', 'miss'],
  },
  unknown: [...UNKNOWN_WORDS, '其他', '其它', 'u', 'x', 'other'],
});

/** Customer kind: 个人 → 'individual', 企业/公司/单位 → 'company'; anything else is an error. */
export const parseCustomerKind = compileVocabulary<CustomerKind>({
  code: 'invalid_choice',
  label_zh: '客户类型',
  label_en: 'Customer kind',
  words: {
    individual: ['个人', '个人客户', '自然人', 'person', 'personal', 'consumer', 'b2c', 'c'],
    company: [
      '企业',
      '企业客户',
      '公司',
      '单位',
      '机构',
      '组织',
      'business',
      'organization',
      'organisation',
      'b2b',
      'b',
    ],
  },
  unknown: UNKNOWN_WORDS,
});

/** Interaction channel: 电话/邮件/微信/拜访/在线… ; unrecognised channels become 'other'. */
export const parseInteractionChannel = compileVocabulary<InteractionChannel>({
  code: 'invalid_choice',
  label_zh: '互动方式',
  label_en: 'Channel',
  words: {
    phone: ['电话', '来电', '去电', '电话回访', '手机', '短信', 'call', 'telephone', 'tel', 'sms'],
    email: ['邮件', '电子邮件', '邮箱', 'e-mail', 'mail'],
    wechat: ['微信', '企业微信', '企微', 'weixin', 'wx'],
    visit: ['拜访', '上门', '上门拜访', '面谈', '到店', '到访', 'meeting', 'in person', 'onsite'],
    chat: ['在线', '在线客服', '聊天', 'qq', '旺旺', '客服消息', 'online', 'live chat', 'im'],
    other: ['其他', '其它'],
  },
  fallback: 'other',
});

/** Interaction direction: 呼入/来电/客户发起 → 'inbound', 呼出/去电/回访/主动 → 'outbound'. */
export const parseInteractionDirection = compileVocabulary<InteractionDirection>({
  code: 'invalid_choice',
  label_zh: '互动方向',
  label_en: 'Direction',
  words: {
    inbound: ['呼入', '来电', '来访', '客户发起', '被动', 'in', 'incoming'],
    outbound: ['呼出', '去电', '回访', '主动', '我方发起', 'out', 'outgoing'],
  },
  unknown: UNKNOWN_WORDS,
});

/** Feedback kind: 投诉 → 'complaint', 建议 → 'suggestion', 表扬 → 'praise', 咨询 → 'inquiry'; else 'other'. */
export const parseFeedbackKind = compileVocabulary<FeedbackKind>({
  code: 'invalid_choice',
  label_zh: '反馈类型',
  label_en: 'Feedback kind',
  words: {
    complaint: ['投诉', '客诉', '抱怨', '差评'],
    suggestion: ['建议', '意见', '改进建议'],
    praise: ['表扬', '赞扬', '好评', '感谢', 'compliment'],
    inquiry: ['咨询', '询问', '疑问', 'question', 'enquiry'],
    other: ['其他', '其它'],
  },
  fallback: 'other',
});

/** Feedback status: 未处理/待处理/处理中 → 'open', 已处理/已解决/已关闭 → 'handled'. */
export const parseFeedbackStatus = compileVocabulary<FeedbackStatus>({
  code: 'invalid_choice',
  label_zh: '处理状态',
  label_en: 'Status',
  words: {
    open: ['未处理', '待处理', '处理中', '跟进中', '未解决', '新建', 'new', 'pending', 'in progress'],
    handled: ['已处理', '已解决', '已关闭', '已完成', '完成', '关闭', 'resolved', 'closed', 'done'],
  },
  unknown: UNKNOWN_WORDS,
});

const SATISFACTION_WORDS: Readonly<Record<string, number>> = {
  非常满意: 5,
  很满意: 5,
  满意: 4,
  比较满意: 4,
  一般: 3,
  不满意: 2,
  不太满意: 2,
  非常不满意: 1,
  很不满意: 1,
};

/**
 * Satisfaction 1–5 (满意度): a number (`4`, `4分`, `4星`), stars (`★★★★☆` → 4) or
 * words (非常满意 → 5, 满意 → 4, 一般 → 3, 不满意 → 2, 非常不满意 → 1).
 */
export function parseSatisfaction(value: CellValue): CleanResult<number | null> {
  if (typeof value === 'string') {
    const text = toHalfWidth(value).trim();
    const word = SATISFACTION_WORDS[text];
    if (word !== undefined) return ok(word);
    if (/^[★☆]+$/.test(text)) return parseInteger(String(text.replace(/☆/g, '').length), { min: 1, max: 5 });
  }
  return parseInteger(value, { min: 1, max: 5 });
}

// ---------------------------------------------------------------------------
// Dispatch by kind (used with the `cleaner` of each target field in header-mapping.ts)

/** What each cleaner kind produces once the cell is not empty. */
export type CleanerOutputs = {
  text: string;
  code: string;
  money: number;
  integer: number;
  count: number;
  age: number;
  decimal: number;
  date: CleanDate;
  phone: string;
  email: string;
  gender: Gender;
  customer_kind: CustomerKind;
  interaction_channel: InteractionChannel;
  interaction_direction: InteractionDirection;
  feedback_kind: FeedbackKind;
  feedback_status: FeedbackStatus;
  satisfaction: number;
  nps: number;
};

export type CleanerKind = keyof CleanerOutputs;

export type CleanOptions = DateOptions;

type Cleaners = {
  [K in CleanerKind]: (value: CellValue, options: CleanOptions) => CleanResult<CleanerOutputs[K] | null>;
};

const CLEANERS: Cleaners = {
  text: cleanText,
  code: parseCode,
  money: parseMoney,
  integer: (value) => parseInteger(value),
  count: (value) => parseInteger(value, { min: 0 }),
  age: (value) => parseInteger(value, { min: 0, max: 150 }),
  decimal: (value) => parseDecimal(value),
  date: parseDate,
  phone: parsePhone,
  email: parseEmail,
  gender: parseGender,
  customer_kind: parseCustomerKind,
  interaction_channel: parseInteractionChannel,
  interaction_direction: parseInteractionDirection,
  feedback_kind: parseFeedbackKind,
  feedback_status: parseFeedbackStatus,
  satisfaction: parseSatisfaction,
  nps: (value) => parseInteger(value, { min: 0, max: 10 }),
};

/**
 * Cleans one cell with the cleaner a target field names:
 * `cleanValue('money', '¥12.50')` → `{ ok: true, value: 1250 }`.
 */
export function cleanValue<K extends CleanerKind>(
  kind: K,
  value: CellValue,
  options: CleanOptions = {},
): CleanResult<CleanerOutputs[K] | null> {
  return CLEANERS[kind](value, options);
}
