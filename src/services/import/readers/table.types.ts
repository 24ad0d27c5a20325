/** A cell as the readers hand it over: text, a number, a Date (XLSX date cells) or null for empty. */
export type TableCell = string | number | Date | null;

/** One data row. `row` is the 1-based row number a user sees in Excel (the header is row 1). */
export type TableRow = { row: number; cells: TableCell[] };

export type TableFormat = 'csv' | 'xlsx';

/** `whitespace` = fields separated by runs of spaces or tabs (CDNOW-style fixed-width text). */
export type Delimiter = ',' | '\t' | ';' | '|' | 'whitespace';

/** `auto` treats the first non-empty row as data when every cell in it looks like a number or date. */
export type HeaderMode = 'auto' | 'present' | 'absent';

export type OpenTableOptions = {
  /** default 'auto': sniffed from the file's first bytes (ZIP → xlsx, otherwise delimited text) */
  format?: 'auto' | TableFormat;
  /** delimited text: an iconv-lite encoding name that overrides detection, e.g. 'gb18030' */
  encoding?: string;
  /** delimited text: overrides delimiter detection */
  delimiter?: Delimiter;
  /** default 'auto' */
  header?: HeaderMode;
  /** xlsx: the worksheet to read by name; default the first sheet in tab order */
  sheet?: string;
  /** refuse files larger than this on disk; default no limit */
  maxFileBytes?: number;
  /** refuse files with more data rows; default 1,048,576 for xlsx (Excel's own limit), no limit for text */
  maxRows?: number;
  /** refuse rows with more cells; default 16,384 (Excel's own limit) */
  maxColumns?: number;
  /** delimited text: longest record in characters, which also catches a quote that never closes; default 1 MiB */
  maxRecordChars?: number;
  /** xlsx: largest total uncompressed size of the ZIP; default 4 GiB */
  maxUncompressedBytes?: number;
  /** xlsx: largest uncompressed shared-strings part, which exceljs holds in memory; default 256 MiB */
  maxSharedStringsBytes?: number;
};

/**
 * An open table: headers read, rows still on disk. `rows` is single-pass and streams;
 * iterating it may throw a ReaderError (malformed record, too many rows) — or, since
 * the parsers read ahead, `openTable` itself may throw it when the bad record is near
 * the top. Rows come in file order with empty rows skipped; `cells` may be shorter or
 * longer than `headers`. Breaking out of the loop releases the file; call `close()`
 * when the rows are never iterated.
 */
export type Table = {
  format: TableFormat;
  /** delimited text: the encoding used (utf-8, utf-16le, gb18030, …) */
  encoding?: string;
  /** delimited text: the delimiter used */
  delimiter?: Delimiter;
  /** xlsx: the worksheet read */
  sheet?: string;
  /** header texts, trimmed; `column1…columnN` for a file without a header row or an empty header cell */
  headers: string[];
  /** the row number of the header row, or null when the file has none */
  headerRow: number | null;
  rows: AsyncIterable<TableRow>;
  /**
   * The same rows in batches (one await per batch rather than per row, for large
   * imports). `rows` and `batches` share one single-pass stream: read one of them.
   */
  batches: AsyncIterable<TableRow[]>;
  close(): Promise<void>;
};
