import { SPRING_FESTIVAL } from './demo-vocabulary.data.ts';

/**
 * Calendar arithmetic on day numbers (days since 1970-01-01), independent of the
 * machine's time zone, plus the retail seasonality of a Chinese shop.
 */

const MS_PER_DAY = 86_400_000;
/** Asia/Shanghai: UTC+8 all year (no daylight saving since 1991). */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** `dayNumber('1970-01-02') === 1`; throws on anything but a real 'YYYY-MM-DD'. */
export function dayNumber(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN;
  if (!m || Number.isNaN(ms) || new Date(ms).getUTCDate() !== Number(m[3])) {
    throw new RangeError(`not a calendar date (YYYY-MM-DD): ${date}`);
  }
  return ms / MS_PER_DAY;
}

export function dateOf(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** 1–12 */
export function monthOf(day: number): number {
  return new Date(day * MS_PER_DAY).getUTCMonth() + 1;
}

function dayOfMonth(day: number): number {
  return new Date(day * MS_PER_DAY).getUTCDate();
}

/** 0 = Sunday … 6 = Saturday */
export function weekdayOf(day: number): number {
  return new Date(day * MS_PER_DAY).getUTCDay();
}

/** 'YYYY-MM-DD HH:MM:SS' wall time of a day and a second within it. */
export function wallTime(day: number, secondOfDay: number): string {
  return new Date(day * MS_PER_DAY + secondOfDay * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

/** The UTC instant (ISO-8601) of a Shanghai wall time: `'2024-01-01 08:00:00'` → `'2024-01-01T00:00:00.000Z'`. */
export function shanghaiWallToIso(wall: string): string {
  const ms = Date.parse(`${wall.replace(' ', 'T')}Z`);
  return new Date(ms - SHANGHAI_OFFSET_MS).toISOString();
}

/** Today's date in Asia/Shanghai. */
export function todayInShanghai(now: Date = new Date()): string {
  return new Date(now.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

const MONTH_FACTOR = [0, 0.95, 0.9, 1, 0.95, 1, 1.1, 0.9, 0.9, 1, 1.05, 1.25, 1.1];

/** The largest value `seasonality` returns, for thinning a Poisson process. */
export const MAX_SEASONALITY = 8;

/**
 * Relative order intensity on a day: 双11 (peak on 11 November), 618 (June),
 * 双12, the 春节 dip with the 年货节 before it, busier weekends.
 */
export function seasonality(day: number): number {
  const month = monthOf(day);
  const date = dayOfMonth(day);
  let factor = MONTH_FACTOR[month];
  if (month === 11) {
    if (date === 11) factor *= 6;
    else if (date < 11) factor *= 1.8;
    else if (date <= 14) factor *= 1.3;
  } else if (month === 6) {
    if (date === 18) factor *= 3.5;
    else if (date < 18) factor *= 1.5;
  } else if (month === 12 && date === 12) {
    factor *= 2;
  }
  const year = new Date(day * MS_PER_DAY).getUTCFullYear();
  const festival = SPRING_FESTIVAL[year] ?? `${year}-02-05`;
  const fromFestival = day - dayNumber(festival);
  if (fromFestival >= -7 && fromFestival <= 7) factor *= 0.35;
  else if (fromFestival >= -21 && fromFestival < -7) factor *= 1.2;
  const weekday = weekdayOf(day);
  if (weekday === 0 || weekday === 6) factor *= 1.1;
  return Math.min(factor, MAX_SEASONALITY);
}

/** Whether a day is in the 双11 run-up or on it (prices are discounted then). */
export function isPromotionDay(day: number): boolean {
  const month = monthOf(day);
  const date = dayOfMonth(day);
  return (month === 11 && date <= 11) || (month === 6 && date <= 18) || (month === 12 && date === 12);
}
