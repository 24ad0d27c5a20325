import { KeleiError } from '../../core/errors.ts';

/** The errors of exports, as KeleiErrors with messages in both languages. */

export function invalidSheets(options: { sheets: number; format: string }): KeleiError {
  return options.sheets === 0
    ? new KeleiError('InvalidArgument', {
        en: 'an export needs at least one sheet',
        zh: '导出至少需要一张表',
      })
    : new KeleiError('InvalidArgument', {
        en: `a ${options.format.toUpperCase()} file holds exactly one sheet, got ${options.sheets}; export XLSX instead`,
        zh: 'CSV 只能导出一张表，请改用 XLSX',
      });
}

export function piiKeyMissing(): KeleiError {
  return new KeleiError('PiiKeyUnusable', {
    en: 'exporting contact details in plain text needs the encryption key',
    zh: '缺少密钥，无法导出明文联系方式',
  });
}

/** The cause names the customer, for the log; the message does not. */
export function piiDecryptFailed(options: { customerCode: string; cause: unknown }): KeleiError {
  return new KeleiError(
    'PiiKeyUnusable',
    {
      en: 'the contact details cannot be decrypted; check the encryption key',
      zh: '联系方式解密失败，请检查密钥',
    },
    undefined,
    {
      cause: new Error(`cannot decrypt contact details of customer ${options.customerCode}`, {
        cause: options.cause,
      }),
    },
  );
}

/** The file could not be written; the cause (for the log) says why. */
export function exportFailed(cause: unknown): KeleiError {
  return new KeleiError('ExportFailed', { en: 'the export failed', zh: '导出失败' }, undefined, { cause });
}
