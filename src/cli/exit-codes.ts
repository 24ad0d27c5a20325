import type { ErrorCode } from '../core/errors.ts';

/** The exit code of every error code, in one exhaustive switch. */
export function exitCodeOf(code: ErrorCode): number {
  switch (code) {
    case 'InvalidArgument':
    case 'InvalidDate':
    case 'ValidationError':
      return 2;
    case 'FileNotFound':
    case 'UnreadableFile':
    case 'FileTooLarge':
    case 'EmptyFile':
    case 'ExportFailed':
    case 'PiiKeyUnusable':
      return 3;
    case 'MappingError':
    case 'InvalidRows':
      return 4;
    case 'SchemeNotFound':
    case 'InvalidScheme':
    case 'InvalidRule':
      return 5;
    case 'CustomerNotFound':
    case 'NotClassified':
    case 'NotFound':
      return 6;
    case 'DatabaseUnavailable':
      return 7;
    case 'Conflict':
      return 8;
    case 'Unauthorized':
    case 'Forbidden':
    case 'CsrfFailed':
      return 9;
    case 'PayloadTooLarge':
    case 'RateLimited':
      return 10;
  }
}
