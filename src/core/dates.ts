/** Calendar-date helpers on 'YYYY-MM-DD' strings; no time zones involved. */

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a 'YYYY-MM-DD' date. */
export function dayNumber(date: string): number {
  // Full runs call this millions of times: read the digits in place rather than splitting.
  if (date.length === 10 && date.charCodeAt(4) === 45 && date.charCodeAt(7) === 45) {
    const y = digits(date, 0, 4);
    const m = digits(date, 5, 7);
    const d = digits(date, 8, 10);
    if (y >= 0 && m >= 0 && d >= 0) return Math.round(Date.UTC(y, m - 1, d) / DAY_MS);
  }
  const [y, m, d] = date.split('-').map(Number);
  return Math.round(Date.UTC(y, m - 1, d) / DAY_MS);
}

/** The decimal number written in `text[from, to)`, or -1 when a character is not a digit. */
function digits(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/** The 'YYYY-MM-DD' date of a day number. */
export function fromDayNumber(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to`: `daysBetween('2024-01-01', '2024-03-01') === 60`. */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/** `addDays('2024-01-01', -365) === '2023-01-01'`. */
export function addDays(date: string, days: number): string {
  return fromDayNumber(dayNumber(date) + days);
}

/** True for a real calendar date written as 'YYYY-MM-DD'. */
export function isIsoDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  return fromDayNumber(dayNumber(text)) === text;
}

/** Today's date in an IANA time zone: `todayIn('Asia/Shanghai')`. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}
