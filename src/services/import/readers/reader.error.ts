import { KeleiError } from '../../../core/errors.ts';

/** The subset of Kelei's error codes a reader raises; the CLI and API already map each. */
export type ReaderErrorCode =
  | 'FileNotFound'
  | 'UnreadableFile'
  | 'FileTooLarge'
  | 'EmptyFile'
  | 'InvalidArgument';

/** Finer cause of a reader error, for logs, tests and tailored hints. */
export type ReaderErrorReason =
  | 'not_found'
  | 'io'
  | 'empty'
  | 'binary'
  | 'legacy_xls'
  | 'html_or_xml'
  | 'not_xlsx'
  | 'corrupt'
  | 'malformed_csv'
  | 'record_too_long'
  | 'file_too_large'
  | 'too_many_rows'
  | 'too_many_columns'
  | 'zip_bomb'
  | 'sheet_not_found'
  | 'unsupported_encoding';

export type ReaderErrorInit = {
  code: ReaderErrorCode;
  reason: ReaderErrorReason;
  zh: string;
  en: string;
  /** 1-based row (as Excel shows it) where reading failed, when known */
  row?: number;
  /** the library or system error behind this one, for logs only (never shown to users) */
  cause?: unknown;
};

/**
 * Every failure of `openTable` and of iterating its rows. `message` is the English
 * user-safe text, `messageZh` the Chinese one; the library error, if any, is `cause`.
 */
export class ReaderError extends KeleiError {
  declare readonly code: ReaderErrorCode;
  readonly reason: ReaderErrorReason;
  readonly row: number | undefined;

  constructor(init: ReaderErrorInit) {
    super(init.code, { zh: init.zh, en: init.en }, { reason: init.reason, row: init.row });
    this.name = 'ReaderError';
    this.reason = init.reason;
    this.row = init.row;
    if (init.cause !== undefined) this.cause = init.cause;
  }
}

export function isReaderError(e: unknown): e is ReaderError {
  return e instanceof ReaderError;
}

/** Wraps anything a library threw while reading into an `UnreadableFile` ReaderError. */
export function unreadable(cause: unknown, context: { file: string; row?: number }): ReaderError {
  if (cause instanceof ReaderError) return cause;
  const name = fileLabel(context.file);
  const where = context.row === undefined ? '' : `（约第 ${context.row} 行）`;
  const whereEn = context.row === undefined ? '' : ` (near row ${context.row})`;
  const code = typeof cause === 'object' && cause !== null && 'code' in cause ? cause.code : undefined;
  if (code === 'ENOENT') {
    return new ReaderError({
      code: 'FileNotFound',
      reason: 'not_found',
      zh: `文件不存在：${name}`,
      en: `No such file: ${name}`,
      cause,
    });
  }
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) {
    return new ReaderError({
      code: 'UnreadableFile',
      reason: 'io',
      zh: `无法读取文件 ${name}${where}（${code}）`,
      en: `Cannot read ${name}${whereEn} (${code})`,
      row: context.row,
      cause,
    });
  }
  return new ReaderError({
    code: 'UnreadableFile',
    reason: 'corrupt',
    zh: `文件 ${name} 已损坏或格式不正确${where}，无法读取`,
    en: `${name} is damaged or not in the expected format${whereEn}`,
    row: context.row,
    cause,
  });
}

/** The file name without its directories: messages reach users, server paths should not. */
export function fileLabel(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}
