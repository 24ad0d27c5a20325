export type ExportErrorCode =
  | 'InvalidSheets'
  | 'SchemeNotFound'
  | 'PiiCipherMissing'
  | 'PiiDecryptFailed'
  | 'WriteFailed';

/** An export that cannot be produced; `userMessage` is safe to show, `message` is for logs. */
export class ExportError extends Error {
  readonly code: ExportErrorCode;
  readonly userMessage: string;

  constructor(options: { code: ExportErrorCode; message: string; userMessage?: string; cause?: unknown }) {
    super(options.message, { cause: options.cause });
    this.name = 'ExportError';
    this.code = options.code;
    this.userMessage = options.userMessage ?? options.message;
  }
}
