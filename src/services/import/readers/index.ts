/**
 * File readers for import (docs/import.md): `openTable` turns a CSV/delimited text file
 * or an .xlsx workbook into headers plus a stream of rows. Cleaning and column mapping
 * live in `src/core/import/` (clean.ts, header-mapping.ts).
 */
export {
  isReaderError,
  ReaderError,
  type ReaderErrorCode,
  type ReaderErrorInit,
  type ReaderErrorReason,
} from './reader.error.ts';
export { openTable } from './table.reader.ts';
export type {
  Delimiter,
  HeaderMode,
  OpenTableOptions,
  Table,
  TableCell,
  TableFormat,
  TableRow,
} from './table.types.ts';
