import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCode, parseDate } from '../../src/core/import/clean.ts';
import { suggestMapping } from '../../src/core/import/header-mapping.ts';
import { openTable, ReaderError } from '../../src/services/import/readers/index.ts';
import {
  minimalWorkbookParts,
  readAll,
  scratchDir,
  sheetXml,
  workbookZipParts,
  writeZip,
} from './reader-test-support.ts';

const scratch = scratchDir('xlsx');
afterAll(() => scratch.remove());

async function expectReaderError(
  promise: Promise<unknown>,
  expected: Partial<ReaderError>,
): Promise<ReaderError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ReaderError);
  if (!(error instanceof ReaderError)) throw new Error('unreachable');
  expect(error).toMatchObject(expected);
  expect(error.messageZh).not.toBe('');
  return error;
}

const openAndRead = async (file: string, options?: Parameters<typeof openTable>[1]) =>
  readAll(await openTable(file, options));

const CUSTOMERS = scratch.file('customers.xlsx');

beforeAll(async () => {
  const workbook = new ExcelJS.Workbook();
  // A notes sheet first, as many templates have; the data sits on the second tab.
  const notes = workbook.addWorksheet('说明');
  notes.addRow(['这是说明页']);
  const sheet = workbook.addWorksheet('客户');
  sheet.addRow([]);
  sheet.addRow([
    '客户编号',
    '姓名',
    '注册日期',
    '最近消费时间',
    '累计消费金额',
    '是否会员',
    '备注',
    '链接',
    '公式',
  ]);
  sheet.addRow([
    17850,
    { richText: [{ text: '张' }, { text: '三', font: { bold: true } }] },
    new Date(Date.UTC(2024, 0, 5)),
    new Date(Date.UTC(2024, 0, 5, 13, 45, 30)),
    1234.5,
    true,
    null,
    { text: '主页', hyperlink: 'https://example.com' },
    { formula: 'E3*2', result: 2469 },
  ]);
  sheet.addRow([
    'C0002',
    '李四',
    '2024/1/6',
    null,
    '¥880',
    false,
    { error: '#N/A' },
    null,
    { formula: 'E4', result: 'x' },
  ]);
  sheet.addRow([]);
  sheet.addRow(['C0003', '王五']);
  await workbook.xlsx.writeFile(CUSTOMERS);
});

describe('xlsx reading', () => {
  it('reads the first sheet in tab order by default, with Excel row numbers', async () => {
    const table = await openTable(CUSTOMERS);
    expect(table).toMatchObject({ format: 'xlsx', sheet: '说明', headers: ['这是说明页'], headerRow: 1 });
    await table.close();
  });

  it('reads a named sheet: header below a blank row, values normalised', async () => {
    const table = await openTable(CUSTOMERS, { sheet: '客户' });
    expect(table.sheet).toBe('客户');
    expect(table.encoding).toBeUndefined();
    expect(table.headerRow).toBe(2);
    expect(table.headers).toEqual([
      '客户编号',
      '姓名',
      '注册日期',
      '最近消费时间',
      '累计消费金额',
      '是否会员',
      '备注',
      '链接',
      '公式',
    ]);
    const rows = await readAll(table);
    expect(rows.map((r) => r.row)).toEqual([3, 4, 6]);
    expect(rows[0].cells).toEqual([
      17850,
      '张三',
      new Date(Date.UTC(2024, 0, 5)),
      new Date(Date.UTC(2024, 0, 5, 13, 45, 30)),
      1234.5,
      'TRUE',
      null,
      '主页',
      2469,
    ]);
    expect(rows[1].cells).toEqual(['C0002', '李四', '2024/1/6', null, '¥880', 'FALSE', '#N/A', null, 'x']);
    expect(rows[2].cells).toEqual(['C0003', '王五']);

    // What the import service does next: a number-typed code and a Date cell clean correctly.
    expect(parseCode(rows[0].cells[0])).toEqual({ ok: true, value: '17850' });
    expect(parseDate(rows[0].cells[3])).toMatchObject({
      ok: true,
      value: { date: '2024-01-05', time: '2024-01-05 13:45:30', instant: '2024-01-05T05:45:30.000Z' },
    });
    expect(suggestMapping('customers', table.headers).mapping).toMatchObject({
      code: 0,
      name: 1,
      opening_last_date: 3,
      opening_amount: 4,
    });
  });

  it('reads workbooks written by the streaming writer (inline strings, no shared strings)', async () => {
    const file = scratch.file('streamed.xlsx');
    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({
      filename: file,
      useSharedStrings: false,
      useStyles: true,
    });
    const sheet = writer.addWorksheet('orders');
    sheet.addRow(['InvoiceNo', 'InvoiceDate', 'CustomerID', 'Quantity', 'UnitPrice']).commit();
    for (let i = 0; i < 3000; i++) {
      sheet
        .addRow([`${536365 + i}`, new Date(Date.UTC(2010, 11, 1, 8, 26)), 17850 + (i % 7), i % 5, 2.55])
        .commit();
    }
    sheet.commit();
    await writer.commit();
    const table = await openTable(file);
    expect(table.sheet).toBe('orders');
    let n = 0;
    for await (const { row, cells } of table.rows) {
      n++;
      if (row === 2)
        expect(cells).toEqual(['536365', new Date(Date.UTC(2010, 11, 1, 8, 26)), 17850, 0, 2.55]);
    }
    expect(n).toBe(3000);
  });

  it('treats an all-numeric first row as data, as for text files', async () => {
    const file = scratch.file('headerless.xlsx');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('data');
    sheet.addRow([1001, new Date(Date.UTC(2024, 0, 5)), 12.5]);
    sheet.addRow([1002, new Date(Date.UTC(2024, 0, 6)), 8]);
    await workbook.xlsx.writeFile(file);
    const table = await openTable(file);
    expect(table.headers).toEqual(['column1', 'column2', 'column3']);
    expect(table.headerRow).toBeNull();
    expect((await readAll(table)).map((r) => r.row)).toEqual([1, 2]);
  });

  it('stops early without reading the rest of the workbook', async () => {
    const table = await openTable(CUSTOMERS, { sheet: '客户' });
    for await (const { row } of table.rows) {
      expect(row).toBe(3);
      break;
    }
    await table.close();
  });
});

describe('xlsx robustness (exceljs streaming pitfalls)', () => {
  it('keeps Chinese text intact across chunk boundaries', async () => {
    const file = scratch.file('chinese.xlsx');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('客户');
    sheet.addRow(['客户编号', '客户名称']);
    const names = Array.from({ length: 20_000 }, (_, i) => `客户名称${i}号张三李四王五`);
    for (const [i, name] of names.entries()) sheet.addRow([i, name]);
    await workbook.xlsx.writeFile(file);
    let checked = 0;
    for await (const { cells } of (await openTable(file)).rows) {
      expect(cells[1]).toBe(names[Number(cells[0])]);
      checked++;
    }
    expect(checked).toBe(names.length);
  });

  it('finds the workbook part every time, though exceljs writes it last (exceljs#3064)', async () => {
    const file = scratch.file('two-sheets.xlsx');
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('First').addRow(['a', 'b']);
    workbook.addWorksheet('Second').addRow(['code', 'name']);
    workbook.getWorksheet('Second')?.addRow(['C1', '张三']);
    await workbook.xlsx.writeFile(file);
    for (let i = 0; i < 25; i++) {
      const table = await openTable(file, { sheet: 'Second' });
      expect(table.headers).toEqual(['code', 'name']);
      expect(await readAll(table)).toEqual([{ row: 2, cells: ['C1', '张三'] }]);
    }
  });

  it('reads the first sheet in tab order even when its part is not sheet1.xml', async () => {
    const file = scratch.file('tab-order.xlsx');
    writeZip(
      file,
      workbookZipParts([
        { name: '订单', part: 2, xml: sheetXml([['订单号'], ['A-1']]) },
        { name: '说明', part: 1, xml: sheetXml([['说明']]) },
      ]),
    );
    const table = await openTable(file);
    expect(table.sheet).toBe('订单');
    expect(await readAll(table)).toEqual([{ row: 2, cells: ['A-1'] }]);
    expect((await openTable(file, { sheet: '说明' })).headers).toEqual(['说明']);
  });

  it('reads a workbook with inline strings only (no shared strings, no styles)', async () => {
    const file = scratch.file('inline.xlsx');
    writeZip(
      file,
      minimalWorkbookParts(
        Buffer.from(
          sheetXml([
            ['code', 'amount'],
            ['C1', 12.5],
            ['C2', 7],
          ]),
        ),
      ),
    );
    expect(await openAndRead(file)).toEqual([
      { row: 2, cells: ['C1', 12.5] },
      { row: 3, cells: ['C2', 7] },
    ]);
  });
});

describe('xlsx errors', () => {
  it('names the sheets when the requested one is missing', async () => {
    const error = await expectReaderError(openTable(CUSTOMERS, { sheet: '订单' }), {
      code: 'InvalidArgument',
      reason: 'sheet_not_found',
    });
    expect(error.message).toContain('说明');
    expect(error.message).toContain('客户');
  });

  it('EmptyFile for a workbook with an empty sheet', async () => {
    const file = scratch.file('empty.xlsx');
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('空');
    await workbook.xlsx.writeFile(file);
    await expectReaderError(openTable(file), { code: 'EmptyFile' });
  });

  it('UnreadableFile for a truncated workbook', async () => {
    const file = scratch.file('truncated.xlsx');
    const bytes = fs.readFileSync(CUSTOMERS);
    fs.writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expectReaderError(openAndRead(file), { code: 'UnreadableFile', reason: 'corrupt' });
  });

  it('UnreadableFile for a workbook whose compressed data is damaged', async () => {
    const file = scratch.file('damaged.xlsx');
    const bytes = Buffer.from(fs.readFileSync(CUSTOMERS));
    // Overwrite the middle of the archive; the table of contents at the end stays intact.
    for (let i = 200; i < Math.min(bytes.length - 2000, 5000); i++) bytes[i] = (i * 31) & 0xff;
    fs.writeFileSync(file, bytes);
    await expectReaderError(openAndRead(file, { sheet: '客户' }), { code: 'UnreadableFile' });
  });

  it('UnreadableFile for garbage named .xlsx and for a ZIP that is not a workbook', async () => {
    const garbage = scratch.file('garbage.xlsx');
    fs.writeFileSync(garbage, Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(4000, 7)]));
    await expectReaderError(openTable(garbage), { code: 'UnreadableFile', reason: 'corrupt' });

    const docx = scratch.file('letter.xlsx');
    writeZip(docx, [{ name: 'word/document.xml', data: Buffer.from('<w:document/>') }]);
    await expectReaderError(openTable(docx), { code: 'UnreadableFile', reason: 'not_xlsx' });
  });

  it('UnreadableFile for malformed sheet XML', async () => {
    const file = scratch.file('bad-xml.xlsx');
    writeZip(
      file,
      minimalWorkbookParts(
        Buffer.from(
          '<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row><row r="2"><c r="A2"></broken>',
        ),
      ),
    );
    await expectReaderError(openAndRead(file), { code: 'UnreadableFile' });
  });

  it('FileTooLarge for a decompression bomb, before inflating it', async () => {
    const file = scratch.file('bomb.xlsx');
    // 80 MB of one repeated row packs into well under 1 MB: a ratio no real sheet has.
    const row = '<row><c t="inlineStr"><is><t>0</t></is></c></row>';
    const sheet = Buffer.from(
      `<worksheet><sheetData>${row.repeat(Math.ceil(80_000_000 / row.length))}</sheetData></worksheet>`,
    );
    writeZip(file, minimalWorkbookParts(sheet));
    expect(fs.statSync(file).size).toBeLessThan(1_000_000);
    await expectReaderError(openTable(file), { code: 'FileTooLarge', reason: 'zip_bomb' });
  });

  it('FileTooLarge when a part inflates beyond the size its archive declared', async () => {
    const file = scratch.file('lying.xlsx');
    const parts = minimalWorkbookParts(
      Buffer.from(sheetXml(Array.from({ length: 2000 }, (_, i) => [`C${i}`, i]))),
    );
    writeZip(file, parts);
    // Shrink the declared size of the sheet in the central directory to 1,000 bytes.
    const bytes = fs.readFileSync(file);
    const name = Buffer.from('xl/worksheets/sheet1.xml');
    for (let at = bytes.indexOf(name); at !== -1; at = bytes.indexOf(name, at + 1)) {
      if (bytes.readUInt32LE(at - 46) === 0x02014b50) bytes.writeUInt32LE(1000, at - 46 + 24);
    }
    fs.writeFileSync(file, bytes);
    await expectReaderError(openAndRead(file), { code: 'FileTooLarge', reason: 'zip_bomb' });
  });

  it('FileTooLarge past maxUncompressedBytes and maxRows', async () => {
    await expectReaderError(openTable(CUSTOMERS, { maxUncompressedBytes: 1000 }), {
      code: 'FileTooLarge',
      reason: 'file_too_large',
    });
    const table = await openTable(CUSTOMERS, { sheet: '客户', maxRows: 2 });
    await expectReaderError(readAll(table), { code: 'FileTooLarge', reason: 'too_many_rows', row: 6 });
  });

  it('FileTooLarge for rows wider than maxColumns', async () => {
    await expectReaderError(openAndRead(CUSTOMERS, { sheet: '客户', maxColumns: 5 }), {
      code: 'FileTooLarge',
      reason: 'too_many_columns',
    });
  });
});
