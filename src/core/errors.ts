/** Every failure a user can cause, as a stable code. */
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
  | 'RateLimited';

/**
 * The error type of Kelei's core and services: a code, a user-safe message in both
 * languages, and optional details (row errors, rule positions).
 */
export class KeleiError extends Error {
  readonly code: ErrorCode;
  readonly messageZh: string;
  readonly details?: unknown;

  constructor(code: ErrorCode, messages: { en: string; zh: string }, details?: unknown) {
    super(messages.en);
    this.name = 'KeleiError';
    this.code = code;
    this.messageZh = messages.zh;
    this.details = details;
  }
}

export function isKeleiError(e: unknown): e is KeleiError {
  return e instanceof KeleiError;
}
