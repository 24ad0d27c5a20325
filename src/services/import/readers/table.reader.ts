import fs from 'node:fs/promises';
import { openDelimited } from './delimited.reader.ts';
import { fileLabel, ReaderError, unreadable } from './reader.error.ts';
import type { OpenTableOptions, Table } from './table.types.ts';
import { SNIFF_BYTES } from './text.sniffer.ts';

/** Excel's own sheet limits, used as defaults: anything beyond is not a genuine workbook. */
const EXCEL_MAX_ROWS = 1_048_576;
const EXCEL_MAX_COLUMNS = 16_384;
const DEFAULT_MAX_RECORD_CHARS = 1024 * 1024;
const DEFAULT_MAX_UNCOMPRESSED = 4 * 1024 ** 3;
const DEFAULT_MAX_SHARED_STRINGS = 256 * 1024 ** 2;

type Sniffed = 'zip' | 'ole2' | 'markup' | 'text';

function sniffContainer(sample: Buffer): Sniffed {
  if (sample[0] === 0x50 && sample[1] === 0x4b && (sample[2] === 0x03 || sample[2] === 0x05)) return 'zip';
  if (sample.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])))
    return 'ole2';
  // Many Chinese ERPs "export to Excel" as an HTML table or XML Spreadsheet 2003 named .xls.
  const start = sample
    .subarray(0, 512)
    .toString('latin1')
    .replace(/^\uFEFF|^\xEF\xBB\xBF/, '')
    .trimStart();
  if (/^<(\?xml|!doctype\s+html|html|table)/i.test(start)) return 'markup';
  return 'text';
}

async function readSample(file: string): Promise<{ sample: Buffer; size: number }> {
  const handle = await fs.open(file, 'r');
  try {
    const { size } = await handle.stat();
    const buffer = Buffer.alloc(Math.min(size, SNIFF_BYTES));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return { sample: buffer.subarray(0, bytesRead), size };
  } finally {
    await handle.close();
  }
}

/**
 * Opens a CSV/delimited text file or an .xlsx workbook for streaming import:
 * `const table = await openTable('orders.csv'); for await (const { row, cells } of table.rows) …`.
 * The format is taken from the content, not the extension; for text the encoding
 * (UTF-8 with or without BOM, UTF-16, GB18030/GBK) and delimiter (comma, tab,
 * semicolon, pipe, runs of spaces) are detected; a first row that looks like data
 * means the file has no header and columns are named `column1…columnN`.
 * Every failure, here or while iterating `rows`, is a {@link ReaderError}.
 */
export async function openTable(file: string, options: OpenTableOptions = {}): Promise<Table> {
  const label = fileLabel(file);
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) {
      throw new ReaderError({
        code: 'UnreadableFile',
        reason: 'io',
        zh: `${label} 不是文件`,
        en: `${label} is not a file`,
      });
    }
    if (options.maxFileBytes !== undefined && stat.size > options.maxFileBytes) {
      throw new ReaderError({
        code: 'FileTooLarge',
        reason: 'file_too_large',
        zh: `文件 ${label} 超过 ${options.maxFileBytes} 字节的上限`,
        en: `${label} is larger than the limit of ${options.maxFileBytes} bytes`,
      });
    }
    const { sample, size } = await readSample(file);
    if (size === 0) {
      throw new ReaderError({
        code: 'EmptyFile',
        reason: 'empty',
        zh: `文件 ${label} 是空的`,
        en: `${label} is empty`,
      });
    }
    const container = sniffContainer(sample);
    if (container === 'ole2') {
      throw new ReaderError({
        code: 'UnreadableFile',
        reason: 'legacy_xls',
        zh: `文件 ${label} 是旧版 .xls 或加密的 Excel 文件，暂不支持；请在 Excel 中取消密码并另存为 .xlsx 或 CSV`,
        en: `${label} is a legacy .xls or password-protected Excel file; remove the password and save it as .xlsx or CSV`,
      });
    }
    if (container === 'markup') {
      throw new ReaderError({
        code: 'UnreadableFile',
        reason: 'html_or_xml',
        zh: `文件 ${label} 实际是网页（HTML）或 XML 表格，只是扩展名像 Excel；请用 Excel 打开后另存为 .xlsx 或 CSV`,
        en: `${label} is really a web page (HTML) or XML spreadsheet with an Excel name; open it in Excel and save as .xlsx or CSV`,
      });
    }
    const format =
      options.format === undefined || options.format === 'auto'
        ? container === 'zip'
          ? 'xlsx'
          : 'csv'
        : options.format;
    const header = options.header ?? 'auto';
    const maxColumns = options.maxColumns ?? EXCEL_MAX_COLUMNS;
    if (format === 'xlsx') {
      if (container !== 'zip') {
        throw new ReaderError({
          code: 'UnreadableFile',
          reason: 'not_xlsx',
          zh: `文件 ${label} 不是 .xlsx 工作簿`,
          en: `${label} is not an .xlsx workbook`,
        });
      }
      // exceljs takes longer to load than a CSV file of megabytes takes to read: only for workbooks.
      const { openXlsx } = await import('./xlsx.reader.ts');
      return await openXlsx(file, {
        sheet: options.sheet,
        header,
        maxRows: options.maxRows ?? EXCEL_MAX_ROWS,
        maxColumns,
        maxUncompressedBytes: options.maxUncompressedBytes ?? DEFAULT_MAX_UNCOMPRESSED,
        maxSharedStringsBytes: options.maxSharedStringsBytes ?? DEFAULT_MAX_SHARED_STRINGS,
      });
    }
    return await openDelimited(file, {
      sample,
      complete: size <= sample.length,
      encoding: options.encoding,
      delimiter: options.delimiter,
      header,
      maxRows: options.maxRows,
      maxColumns,
      maxRecordChars: options.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS,
    });
  } catch (e) {
    throw unreadable(e, { file });
  }
}
