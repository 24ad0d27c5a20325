import type { TFunction } from 'i18next';
import { ApiError } from '../../api/client.ts';
import { errorSentence } from '../../api/errors.ts';

/** 1536 → "1.5 KB", in the user's language. */
export function formatBytes(bytes: number, t: TFunction): string {
  if (bytes < 1024) return t('imports:size.b', { n: bytes });
  if (bytes < 1024 * 1024) return t('imports:size.kb', { n: (bytes / 1024).toFixed(1) });
  return t('imports:size.mb', { n: (bytes / (1024 * 1024)).toFixed(1) });
}

/** 12345 → "12,345" */
export function formatCount(n: number, lang: string): string {
  return n.toLocaleString(lang.startsWith('en') ? 'en-US' : 'zh-CN');
}

/** An ISO instant as local date and time, e.g. 2024/5/1 14:03. */
export function formatTime(iso: string, lang: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(lang.startsWith('en') ? 'en-US' : 'zh-CN', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** A preview cell as text: date cells of a workbook arrive as midnight instants, shown as dates. */
export function cellText(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const midnight = /^(\d{4}-\d{2}-\d{2})T00:00:00(\.000)?Z$/.exec(value);
  return midnight ? midnight[1] : value;
}

const FILE_CODES = new Set([
  'UnreadableFile',
  'EmptyFile',
  'FileTooLarge',
  'PayloadTooLarge',
  'MappingError',
]);

/**
 * What went wrong with a file, as a sentence: the reader's own reason (damaged file,
 * decompression bomb, legacy .xls, undecodable text) in the user's language, introduced
 * by what kind of problem it is; anything else as the app's usual error sentence.
 */
export function importErrorSentence(error: unknown, t: TFunction, lang: string): string {
  if (!(error instanceof ApiError)) return errorSentence(error, t, lang);
  const reason = (lang.startsWith('zh') ? (error.messageZh ?? error.message) : error.message).replace(
    /[。.]$/,
    '',
  );
  if (FILE_CODES.has(error.code)) return t(`imports:uploadErrors.${error.code}`, { reason });
  if (error.status === 404 && /upload|上传/.test(error.message + (error.messageZh ?? ''))) {
    return t('imports:uploadErrors.expired');
  }
  return errorSentence(error, t, lang);
}

/** The delimiter as words: "," → 逗号（,）. */
export function delimiterLabel(delimiter: string | null, t: TFunction): string {
  const key =
    delimiter === ','
      ? 'comma'
      : delimiter === '\t'
        ? 'tab'
        : delimiter === ';'
          ? 'semicolon'
          : delimiter === '|'
            ? 'pipe'
            : delimiter === 'spaces'
              ? 'spaces'
              : null;
  return key ? t(`imports:detect.delimiters.${key}`) : (delimiter ?? '—');
}

/** iconv names as people know them: gb18030 → GB18030 (GBK). */
export function encodingLabel(encoding: string | null): string {
  if (!encoding) return '—';
  const e = encoding.toLowerCase();
  if (e === 'utf-8' || e === 'utf8') return 'UTF-8';
  if (e === 'gb18030' || e === 'gbk') return 'GB18030 (GBK)';
  return encoding.toUpperCase();
}
