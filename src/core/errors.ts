import type { Bilingual } from './bilingual.ts';

/** Every failure a user can cause (and the few a user must be told about), as a stable code. */
export type ErrorCode =
  | 'InvalidArgument'
  | 'InvalidDate'
  | 'FileNotFound'
  | 'UnreadableFile'
  | 'FileTooLarge'
  | 'EmptyFile'
  | 'MappingError'
  | 'InvalidRows'
  | 'SchemeNotFound'
  | 'InvalidScheme'
  | 'InvalidRule'
  | 'CustomerNotFound'
  | 'NotClassified'
  | 'DatabaseUnavailable'
  | 'Conflict'
  | 'ValidationError'
  | 'NotFound'
  | 'Unauthorized'
  | 'Forbidden'
  | 'CsrfFailed'
  | 'PayloadTooLarge'
  | 'RateLimited'
  /** the PII key is missing or does not decrypt the stored contact details */
  | 'PiiKeyUnusable'
  /** an export file could not be written (a full disk, a failed read midway) */
  | 'ExportFailed';

/**
 * The one error type of Kelei's core, services, API and CLI: a code, a user-safe message
 * in both languages, optional details (row errors, rule positions) and, for the log
 * only, the underlying cause. Each module writes its errors once, in factories
 * (`schemeNotFound(key)`, `customerNotFound(code)`), and the code maps to an HTTP
 * status (src/api/http-errors.ts) and an exit code (src/cli/exit-codes.ts).
 */
export class KeleiError extends Error {
  readonly code: ErrorCode;
  readonly messageZh: string;
  readonly details?: unknown;

  constructor(code: ErrorCode, messages: Bilingual, details?: unknown, options?: { cause?: unknown }) {
    super(messages.en, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'KeleiError';
    this.code = code;
    this.messageZh = messages.zh;
    this.details = details;
  }

  /** The message in both languages. */
  get messages(): Bilingual {
    return { zh: this.messageZh, en: this.message };
  }
}

export function isKeleiError(e: unknown): e is KeleiError {
  return e instanceof KeleiError;
}
