/** Dates and times from cells: text in many layouts, Excel serials and Date cells, read in the workspace zone. */

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

/** A cleaned date: wall-clock values in the workspace zone, plus the UTC instant. */
export type CleanDate = {
  /** calendar date in the workspace zone, `YYYY-MM-DD` (a business date, docs/architecture.md) */
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

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

// ---------------------------------------------------------------------------
// Dates

type Wall = { year: number; month: number; day: number; hour: number; minute: number; second: number };

const pad2 = (n: number) => String(n).padStart(2, '0');

export function formatWall(w: Wall): string {
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
export function wallFromDateCell(value: Date): Wall & { hasTime: boolean } {
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
