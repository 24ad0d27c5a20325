/**
 * Cleaning of imported cell values (docs/import.md#cleaning). Pure: no I/O, no Node imports.
 * One module per kind of value (clean-numbers, clean-dates, clean-text, clean-contacts,
 * clean-choices, over clean-result); this one names them all and dispatches by kind.
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

import {
  type CustomerKind,
  type FeedbackKind,
  type FeedbackStatus,
  type Gender,
  type InteractionChannel,
  type InteractionDirection,
  parseCustomerKind,
  parseFeedbackKind,
  parseFeedbackStatus,
  parseGender,
  parseInteractionChannel,
  parseInteractionDirection,
  parseSatisfaction,
} from './clean-choices.ts';
import { parseCode, parseEmail, parsePhone } from './clean-contacts.ts';
import { type CleanDate, type DateOptions, parseDate } from './clean-dates.ts';
import { parseDecimal, parseInteger, parseMoney } from './clean-numbers.ts';
import type { CellValue, CleanResult } from './clean-result.ts';
import { cleanText } from './clean-text.ts';

export {
  type CustomerKind,
  type FeedbackKind,
  type FeedbackStatus,
  type Gender,
  type InteractionChannel,
  type InteractionDirection,
  parseCustomerKind,
  parseFeedbackKind,
  parseFeedbackStatus,
  parseGender,
  parseInteractionChannel,
  parseInteractionDirection,
  parseSatisfaction,
} from './clean-choices.ts';
export { parseCode, parseEmail, parsePhone } from './clean-contacts.ts';
export { type CleanDate, type DateOptions, DEFAULT_TIME_ZONE, parseDate } from './clean-dates.ts';
export { formatMoney, parseDecimal, parseInteger, parseMoney } from './clean-numbers.ts';
export {
  type CellValue,
  type CleanErrorCode,
  type CleanFailure,
  type CleanResult,
  type RangeOptions,
  toHalfWidth,
} from './clean-result.ts';
export { cleanText } from './clean-text.ts';

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
