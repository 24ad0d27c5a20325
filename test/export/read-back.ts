import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';

export type XlsxCellRead = { value: ExcelJS.CellValue; numFmt: string | undefined; isFormula: boolean };
export type XlsxSheetRead = { name: string; rows: XlsxCellRead[][] };

/** The bytes start with the UTF-8 BOM and parse as CSV; returns the records. */
export function readCsv(file: string): { bom: boolean; records: string[][] } {
  const bytes = fs.readFileSync(file);
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const records = parse(bytes, { bom: true, relax_column_count: false }) as string[][];
  return { bom, records };
}

/** Every sheet with every cell's value, number format and whether it holds a formula. */
export async function readXlsx(file: string): Promise<XlsxSheetRead[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  return workbook.worksheets.map((ws) => {
    const rows: XlsxCellRead[][] = [];
    ws.eachRow({ includeEmpty: true }, (row, rowNumber) => {
      const cells: XlsxCellRead[] = [];
      for (let c = 1; c <= ws.columnCount; c += 1) {
        const cell = row.getCell(c);
        cells.push({
          value: cell.value,
          numFmt: cell.numFmt,
          isFormula: cell.type === ExcelJS.ValueType.Formula || cell.formula !== undefined,
        });
      }
      rows[rowNumber - 1] = cells;
    });
    return { name: ws.name, rows };
  });
}

export const values = (row: XlsxCellRead[]): ExcelJS.CellValue[] => row.map((c) => c.value);
