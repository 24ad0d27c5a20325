import type { ErrorCode } from '../core/errors.ts';

/** The HTTP status of every error code, in one exhaustive switch. */
export function httpStatusOf(code: ErrorCode): number {
  switch (code) {
    case 'InvalidArgument':
    case 'InvalidDate':
    case 'ValidationError':
    case 'MappingError':
    case 'InvalidRows':
    case 'InvalidScheme':
    case 'InvalidRule':
    case 'UnreadableFile':
    case 'EmptyFile':
      return 400;
    case 'Unauthorized':
      return 401;
    case 'Forbidden':
    case 'CsrfFailed':
      return 403;
    case 'FileNotFound':
    case 'SchemeNotFound':
    case 'CustomerNotFound':
    case 'NotFound':
      return 404;
    case 'Conflict':
    case 'NotClassified':
      return 409;
    case 'FileTooLarge':
    case 'PayloadTooLarge':
      return 413;
    case 'RateLimited':
      return 429;
    case 'PiiKeyUnusable':
    case 'ExportFailed':
      return 500;
    case 'DatabaseUnavailable':
      return 503;
  }
}

/** The error body of every failed request: `{ error: { code, message, details } }`. */
export type ErrorBody = { error: { code: string; message: string; message_zh?: string; details?: unknown } };
