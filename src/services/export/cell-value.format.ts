/**
 * How one value becomes one exported cell, for CSV and XLSX alike. Pure functions:
 * the writer decides the file format, this file decides what a value looks like.
 */

export type ColumnKind = 'text' | 'number' | 'money' | 'date';

/** What an XLSX cell receives: a value and, for money and dates, a display format. */
export type XlsxCell = { value: string | number | Date | null; numFmt?: string };

// OWASP CSV injection: spreadsheet programs treat a cell that starts with one of these
// as a formula (or, for tab/CR, strip them and then see the formula behind).
const FORMULA_TRIGGER = /^[=+\-@\t\r]/;
const NUMERIC_TEXT = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER_TEXT = /^-?\d+$/;
// Zone-less wall times and dates; strings with a zone are instants and stay text.
const WALL_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?$/;
/** Excel refuses longer cell texts ("repair" dialog), so longer texts are cut. */
export const XLSX_MAX_TEXT = 32_767;

export const MONEY_FORMAT = '#,##0.00';
export const DATE_FORMAT = 'yyyy-mm-dd';
export const DATE_TIME_FORMAT = 'yyyy-mm-dd hh:mm:ss';

/** Prefixes `'` to text a spreadsheet would run as a formula: `escapeFormula('=1+1') === "'=1+1"`. */
export function escapeFormula(text: string): string {
  return FORMULA_TRIGGER.test(text) ? `'${text}` : text;
}

/**
 * Integer fen as yuan with two decimals, by integer arithmetic so no float error
 * creeps in: `formatYuan(-123456) === '-1234.56'`.
 */
export function formatYuan(fen: number | bigint): string {
  const whole = typeof fen === 'bigint' ? fen : BigInt(Math.round(fen));
  const negative = whole < 0n;
  const abs = negative ? -whole : whole;
  const cents = (abs % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${abs / 100n}.${cents}`;
}

/** The text of a value in a CSV file, before CSV quoting. */
export function csvText(value: unknown, kind: ColumnKind): string {
  if (value === null || value === undefined) return '';
  switch (kind) {
    case 'money': {
      const fen = toFen(value);
      return fen === null ? textOf(value) : formatYuan(fen);
    }
    case 'number': {
      const n = toNumber(value);
      return n === null ? textOf(value) : String(n);
    }
    case 'date': {
      if (value instanceof Date) return value.toISOString();
      return textOf(value);
    }
    case 'text':
      return textOf(value);
  }
}

/** The value (and number format) of a value in an XLSX cell; never a formula. */
export function xlsxCell(value: unknown, kind: ColumnKind): XlsxCell {
  if (value === null || value === undefined) return { value: null };
  switch (kind) {
    case 'money': {
      const fen = toFen(value);
      // Number('123.45') is the double nearest to the exact decimal, the same one
      // Excel stores when a user types 123.45, so sums in Excel stay exact to the fen.
      return fen === null
        ? { value: xlsxText(value) }
        : { value: Number(formatYuan(fen)), numFmt: MONEY_FORMAT };
    }
    case 'number': {
      const n = toNumber(value);
      return n === null ? { value: xlsxText(value) } : { value: n };
    }
    case 'date': {
      if (value instanceof Date) return { value, numFmt: DATE_TIME_FORMAT };
      if (typeof value === 'string') {
        const wall = parseWallTime(value);
        if (wall) return wall;
      }
      return { value: xlsxText(value) };
    }
    case 'text':
      return typeof value === 'number' && Number.isFinite(value) ? { value } : { value: xlsxText(value) };
  }
}

/** Quotes a CSV field when it holds a delimiter, quote or line break (RFC 4180). */
export function csvQuote(field: string): string {
  return /[",\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

function textOf(value: unknown): string {
  // Real numbers are data, not formulas: -2 stays -2.
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return escapeFormula(value);
  return escapeFormula(JSON.stringify(value) ?? '');
}

function xlsxText(value: unknown): string {
  // XML text cannot carry a bare CR (parsers turn it into LF), so line breaks are
  // normalised here rather than silently by the reader.
  const text = textOf(value).replace(/\r\n?/g, '\n');
  return text.length > XLSX_MAX_TEXT ? text.slice(0, XLSX_MAX_TEXT) : text;
}

function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && NUMERIC_TEXT.test(value.trim())) return Number(value.trim());
  return null;
}

function toFen(value: unknown): number | bigint | null {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string') {
    const t = value.trim();
    if (INTEGER_TEXT.test(t)) return BigInt(t);
    if (NUMERIC_TEXT.test(t)) return Number(t);
  }
  return null;
}

function parseWallTime(text: string): XlsxCell | null {
  const m = WALL_TIME.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac] = m;
  const ms = frac ? Math.round(Number(`0.${frac}`) * 1000) : 0;
  // A wall time is stored as the UTC instant with the same digits: Excel serials have no zone.
  const at = new Date(
    Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0), ms),
  );
  if (Number.isNaN(at.getTime()) || at.getUTCDate() !== Number(d)) return null;
  return { value: at, numFmt: h === undefined ? DATE_FORMAT : DATE_TIME_FORMAT };
}
