import type { Bilingual } from '../bilingual.ts';

/** What every cleaner returns, and the helpers they share (see clean.ts). */

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

export type CleanFailure = { ok: false; code: CleanErrorCode; reason: Bilingual };
export type CleanResult<T> = { ok: true; value: T } | CleanFailure;

export type RangeOptions = { min?: number; max?: number };

export const ok = <T>(value: T): CleanResult<T> => ({ ok: true, value });

export const fail = (code: CleanErrorCode, reason: Bilingual): CleanFailure => ({ ok: false, code, reason });

/** Quotes a raw value for an error message, shortened so one bad cell cannot bloat the report. */
export function quote(value: CellValue): string {
  const text = value instanceof Date && !Number.isNaN(value.getTime()) ? value.toISOString() : String(value);
  return text.length > 40 ? `"${text.slice(0, 37)}..."` : `"${text}"`;
}

// ---------------------------------------------------------------------------
// Text

export const ZERO_WIDTH = /[\u200B\u2060\uFEFF]/g;

/**
 * Full-width ASCII (U+FF01–U+FF5E) → ASCII and the ideographic space → space:
 * `toHalfWidth('ＡＢＣ１２３（）') === 'ABC123()'`. Other characters are left alone.
 */
export function toHalfWidth(text: string): string {
  return text.replace(/[\uFF01-\uFF5E\u3000]/g, (ch) =>
    ch === '\u3000' ? ' ' : String.fromCharCode(ch.charCodeAt(0) - 0xfee0),
  );
}
