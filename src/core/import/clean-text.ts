/** Text cells, and the text of any cell for the cleaners that read text. */

import { formatWall, wallFromDateCell } from './clean-dates.ts';
import { numberToPlain } from './clean-numbers.ts';
import { type CellValue, type CleanResult, ok, toHalfWidth, ZERO_WIDTH } from './clean-result.ts';

/**
 * Text cell: full-width → half-width, zero-width characters removed, trimmed; internal
 * spacing is kept as written. Numbers become their plain decimal form, Dates become
 * `YYYY-MM-DD` (or `YYYY-MM-DD HH:MM:SS` when they carry a time). `cleanText('　张三 ')` → '张三'.
 */
export function cleanText(value: CellValue): CleanResult<string | null> {
  return ok(textOf(value));
}

/** The cleaned text of a cell ({@link cleanText} without the result wrapper). */
export function textOf(value: CellValue): string | null {
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
