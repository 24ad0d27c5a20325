import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCode, parseDate, parseMoney } from '../../src/core/import/clean.ts';
import { suggestMapping } from '../../src/core/import/header-mapping.ts';
import { openTable, ReaderError } from '../../src/services/import/readers/index.ts';
import { dataset } from '../support/datasets.ts';
import { FIXTURES, readAll, scratchDir } from './reader-test-support.ts';

const scratch = scratchDir('delimited');
afterAll(() => scratch.remove());

const CHINESE_CSV = [
  '客户编号,姓名,性别,年龄,联系方式,累计消费金额,累计消费次数,平均消费金额',
  'C001,张三,男,35,13800138000,"￥1,234.50",10次,123.45',
  'C002,李四,女,28,139-0013-9000,￥880,4,220',
  'C003,王五,男,41,010-12345678,0,0,0',
  'C004,赵六,女,52,+86 137 0013 7000,15600.8,12,1300.07',
].join('\r\n');

function write(name: string, content: string | Buffer): string {
  const file = scratch.file(name);
  fs.writeFileSync(file, content);
  return file;
}

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
  expect(error.message).not.toBe('');
  expect(error.messageZh).not.toBe('');
  return error;
}

describe('encodings', () => {
  it('reads a GBK-encoded CSV as Chinese text (detected as GB18030)', async () => {
    const file = write('gbk.csv', iconv.encode(CHINESE_CSV, 'gbk'));
    const table = await openTable(file);
    expect(table).toMatchObject({ format: 'csv', encoding: 'gb18030', delimiter: ',', headerRow: 1 });
    expect(table.headers).toEqual(CHINESE_CSV.split('\r\n')[0].split(','));
    const rows = await readAll(table);
    expect(rows).toHaveLength(4);
    expect(rows[0]).toEqual({
      row: 2,
      cells: ['C001', '张三', '男', '35', '13800138000', '￥1,234.50', '10次', '123.45'],
    });
    expect(rows[1].cells[5]).toBe('￥880');
    expect(rows[3].row).toBe(5);
  });

  it('reads even a tiny GBK file, which chardet alone would call Greek', async () => {
    const file = write('gbk-tiny.csv', iconv.encode('客户编号,姓名\n001,张三\n', 'gbk'));
    const table = await openTable(file);
    expect(table.encoding).toBe('gb18030');
    expect(await readAll(table)).toEqual([{ row: 2, cells: ['001', '张三'] }]);
  });

  it('reads GB18030 four-byte characters', async () => {
    const file = write('gb18030.csv', iconv.encode('姓名,备注\n𠀀先生,€ 与 ·\n', 'gb18030'));
    const table = await openTable(file);
    expect(table.encoding).toBe('gb18030');
    expect((await readAll(table))[0].cells).toEqual(['𠀀先生', '€ 与 ·']);
  });

  it('drops a UTF-8 BOM', async () => {
    const file = write(
      'bom.csv',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CHINESE_CSV, 'utf8')]),
    );
    const table = await openTable(file);
    expect(table.encoding).toBe('utf-8');
    expect(table.headers[0]).toBe('客户编号');
    expect((await readAll(table))[0].cells[1]).toBe('张三');
  });

  it('reads UTF-8 without BOM and UTF-16LE as Excel saves "Unicode text"', async () => {
    const utf8 = await openTable(write('plain.csv', CHINESE_CSV));
    expect(utf8.encoding).toBe('utf-8');
    expect((await readAll(utf8))[3].cells[1]).toBe('赵六');

    const tsv = CHINESE_CSV.replace(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/g, '\t');
    const utf16 = await openTable(write('unicode.txt', iconv.encode(tsv, 'utf-16le', { addBOM: true })));
    expect(utf16).toMatchObject({ encoding: 'utf-16le', delimiter: '\t' });
    expect((await readAll(utf16))[0].cells.slice(0, 2)).toEqual(['C001', '张三']);
  });

  it('honours an explicit encoding and rejects an unknown one', async () => {
    const file = write('latin.csv', iconv.encode('name,city\nJosé,Zürich\n', 'windows-1252'));
    const table = await openTable(file, { encoding: 'windows-1252' });
    expect((await readAll(table))[0].cells).toEqual(['José', 'Zürich']);
    await expectReaderError(openTable(file, { encoding: 'klingon-8' }), {
      code: 'InvalidArgument',
      reason: 'unsupported_encoding',
    });
  });
});

describe('delimiters and quoting', () => {
  const rows = [
    ['code', 'name', 'amount', 'note'],
    ['A1', 'Zhang', '1,234.50', 'likes tea'],
    ['A2', 'Li', '5', ''],
  ];

  it.each([
    ['\t', 'tab'],
    [';', 'semicolon'],
    ['|', 'pipe'],
  ] as const)('detects %j (%s)', async (delimiter, name) => {
    const text = rows.map((r) => r.join(delimiter)).join('\n');
    const table = await openTable(write(`${name}.txt`, text));
    expect(table.delimiter).toBe(delimiter);
    expect(table.headers).toEqual(rows[0]);
    expect(await readAll(table)).toEqual([
      { row: 2, cells: ['A1', 'Zhang', '1,234.50', 'likes tea'] },
      { row: 3, cells: ['A2', 'Li', '5', null] },
    ]);
  });

  it('keeps quoted delimiters and line breaks inside one field, numbering rows as Excel does', async () => {
    const text = 'code,note,amount\n\nA1,"Hello, ""world""",1\nA2,"two\nlines",2\n\n\nA3,plain,3\n';
    const table = await openTable(write('quoted.csv', text));
    expect(table.delimiter).toBe(',');
    expect(await readAll(table)).toEqual([
      { row: 3, cells: ['A1', 'Hello, "world"', '1'] },
      { row: 4, cells: ['A2', 'two\nlines', '2'] },
      { row: 7, cells: ['A3', 'plain', '3'] },
    ]);
  });

  it('prefers the consistent delimiter over one that only appears in values', async () => {
    const text = 'code;amount;note\nA1;1,5;x\nA2;2,25;y, z\nA3;3;w\n';
    const table = await openTable(write('semicolon-decimal-comma.csv', text));
    expect(table.delimiter).toBe(';');
  });

  it('tolerates ragged rows and stray quotes inside unquoted fields', async () => {
    const text = 'a,b,c\n1,2\n3,4,5,6\n7,8" screen,9\n';
    const rows = await readAll(await openTable(write('ragged.csv', text)));
    expect(rows.map((r) => r.cells)).toEqual([
      ['1', '2'],
      ['3', '4', '5', '6'],
      ['7', '8" screen', '9'],
    ]);
  });

  it('trims trailing empty header cells but keeps their data cells', async () => {
    const table = await openTable(write('trailing.csv', 'code,name,,\nA1,Zhang,,extra\n'));
    expect(table.headers).toEqual(['code', 'name']);
    expect((await readAll(table))[0].cells).toEqual(['A1', 'Zhang', null, 'extra']);
  });

  it('names empty header cells columnN', async () => {
    const table = await openTable(write('blank-header.csv', 'code,,name\nA1,x,Zhang\n'));
    expect(table.headers).toEqual(['code', 'column2', 'name']);
  });
});

describe('header-less and whitespace-separated files', () => {
  it('reads the CDNOW sample: runs of spaces, CRLF, no header row', async () => {
    const file = path.join(FIXTURES, 'cdnow/CDNOW_sample_first200.txt');
    const table = await openTable(file);
    expect(table).toMatchObject({
      format: 'csv',
      encoding: 'utf-8',
      delimiter: 'whitespace',
      headers: ['column1', 'column2', 'column3', 'column4', 'column5'],
      headerRow: null,
    });
    const rows = await readAll(table);
    expect(rows).toHaveLength(200);
    expect(rows[0]).toEqual({ row: 1, cells: ['00004', '0001', '19970101', '2', '29.33'] });
    expect(rows[199].row).toBe(200);
    expect(rows.every((r) => r.cells.length === 5)).toBe(true);

    // The codes keep their leading zeros and the cells clean as the import will clean them.
    expect(parseCode(rows[0].cells[0])).toEqual({ ok: true, value: '00004' });
    expect(parseDate(rows[0].cells[2])).toMatchObject({ ok: true, value: { date: '1997-01-01' } });
    expect(parseMoney(rows[0].cells[4])).toEqual({ ok: true, value: 2933 });
  });

  it('treats an all-numeric first row as data, and can be told otherwise', async () => {
    const file = write('numbers.csv', '1001,2024-01-05,12.5\n1002,2024-01-06,8\n');
    const auto = await openTable(file);
    expect(auto.headers).toEqual(['column1', 'column2', 'column3']);
    expect((await readAll(auto)).map((r) => r.row)).toEqual([1, 2]);

    const present = await openTable(file, { header: 'present' });
    expect(present.headers).toEqual(['1001', '2024-01-05', '12.5']);
    expect(await readAll(present)).toHaveLength(1);

    const absent = await openTable(write('words.csv', 'code,name\nA1,Zhang\n'), { header: 'absent' });
    expect(absent.headers).toEqual(['column1', 'column2']);
    expect(await readAll(absent)).toHaveLength(2);
  });

  it('splits on runs of spaces only when no real delimiter is present', async () => {
    const table = await openTable(
      write('spaced.txt', 'id   date      amount\n  1  20240105   12.50\n  2  20240106    8.00\n'),
    );
    expect(table.delimiter).toBe('whitespace');
    expect(table.headers).toEqual(['id', 'date', 'amount']);
    expect((await readAll(table))[1]).toEqual({ row: 3, cells: ['2', '20240106', '8.00'] });
  });

  it('keeps a one-column file as comma-delimited', async () => {
    const table = await openTable(write('one-column.csv', 'code\nA1\nA2\n'));
    expect(table.delimiter).toBe(',');
    expect(await readAll(table)).toHaveLength(2);
  });
});

const onlineRetail = dataset('online_retail/online_retail.csv');
const ONLINE_RETAIL = onlineRetail.file;

describe('UCI Online Retail (read in place from ../shared)', () => {
  it.skipIf(onlineRetail.skip)('streams the first 2,000 lines and stops early', async () => {
    onlineRetail.require();
    const table = await openTable(ONLINE_RETAIL);
    expect(table).toMatchObject({ format: 'csv', encoding: 'utf-8', delimiter: ',', headerRow: 1 });
    expect(table.headers).toEqual([
      'InvoiceNo',
      'StockCode',
      'Description',
      'Quantity',
      'InvoiceDate',
      'UnitPrice',
      'CustomerID',
      'Country',
    ]);
    const mapping = suggestMapping('orders', table.headers);
    expect(mapping.missingRequired).toEqual([]);

    const rows = [];
    for await (const row of table.rows) {
      rows.push(row);
      if (row.row === 2000) break;
    }
    expect(rows).toHaveLength(1999);
    expect(rows[0]).toEqual({
      row: 2,
      cells: [
        '536365',
        '85123A',
        'WHITE HANGING HEART T-LIGHT HOLDER',
        '6',
        '2010-12-01 08:26:00',
        '2.55',
        '17850.0',
        'United Kingdom',
      ],
    });
    expect(rows.every((r) => r.cells.length === 8)).toBe(true);
    const first = rows[0].cells;
    expect(parseCode(first[mapping.mapping.customer_code])).toEqual({ ok: true, value: '17850' });
    expect(parseDate(first[mapping.mapping.date])).toMatchObject({
      ok: true,
      value: { date: '2010-12-01', time: '2010-12-01 08:26:00' },
    });
    expect(parseMoney(first[mapping.mapping.unit_price])).toEqual({ ok: true, value: 255 });
    // Descriptions with commas are quoted in the file and arrive whole.
    expect(rows.some((r) => String(r.cells[2]).includes(','))).toBe(true);
  });
});

describe('errors', () => {
  it('FileNotFound for a missing file, UnreadableFile for a directory', async () => {
    await expectReaderError(openTable(scratch.file('nope.csv')), {
      code: 'FileNotFound',
      reason: 'not_found',
    });
    await expectReaderError(openTable(scratch.dir), { code: 'UnreadableFile' });
  });

  it('EmptyFile for an empty or blank file', async () => {
    await expectReaderError(openTable(write('empty.csv', '')), { code: 'EmptyFile' });
    await expectReaderError(openTable(write('blank.csv', '\n\n  \r\n,,\n')), { code: 'EmptyFile' });
    await expectReaderError(openTable(write('bom-only.csv', Buffer.from([0xef, 0xbb, 0xbf]))), {
      code: 'EmptyFile',
    });
  });

  it('a quote that never closes is reported with its row, not read to the end of memory', async () => {
    // The parser reads ahead, so the error may surface from openTable or from the rows.
    const readFile = async (name: string, text: string) =>
      readAll(await openTable(write(name, text), { maxRecordChars: 10_000 }));
    const text = `code,note\nA1,ok\n\nA2,"never closed\n${'A3,filler\n'.repeat(5000)}`;
    const error = await expectReaderError(readFile('unclosed.csv', text), {
      code: 'UnreadableFile',
      reason: 'record_too_long',
      row: 4,
    });
    expect(error.messageZh).toContain('第 4 行');
    await expectReaderError(readFile('unclosed-short.csv', 'code,note\nA1,"open\n'), {
      code: 'UnreadableFile',
      reason: 'record_too_long',
      row: 2,
    });
  });

  it('keeps a field with a misplaced closing quote verbatim instead of failing the file', async () => {
    const table = await openTable(write('bad-quote.csv', 'code,note\nA1,"quoted"tail\nA2,ok\n'));
    expect((await readAll(table)).map((r) => r.cells)).toEqual([
      ['A1', '"quoted"tail'],
      ['A2', 'ok'],
    ]);
  });

  it('enforces maxRows, maxColumns and maxFileBytes', async () => {
    const file = write('many.csv', `code\n${'A\n'.repeat(50)}`);
    const table = await openTable(file, { maxRows: 10 });
    await expectReaderError(readAll(table), { code: 'FileTooLarge', reason: 'too_many_rows', row: 12 });
    await expectReaderError(openTable(file, { maxFileBytes: 10 }), {
      code: 'FileTooLarge',
      reason: 'file_too_large',
    });
    const wide = await openTable(write('wide.csv', 'a,b\n1,2,3,4,5\n'), { maxColumns: 4 });
    await expectReaderError(readAll(wide), { code: 'FileTooLarge', reason: 'too_many_columns' });
  });

  it('recognises files that only pretend to be tables', async () => {
    const ole = Buffer.concat([
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
      Buffer.alloc(512),
    ]);
    await expectReaderError(openTable(write('old.xls', ole)), {
      code: 'UnreadableFile',
      reason: 'legacy_xls',
    });
    await expectReaderError(
      openTable(write('export.xls', '<html><body><table><tr><td>1</td></tr></table>')),
      {
        code: 'UnreadableFile',
        reason: 'html_or_xml',
      },
    );
    const binary = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
    await expectReaderError(openTable(write('random.bin', binary)), { code: 'UnreadableFile' });
    await expectReaderError(openTable(write('text.csv', 'a,b\n1,2\n'), { format: 'xlsx' }), {
      code: 'UnreadableFile',
      reason: 'not_xlsx',
    });
  });
});

describe('resources', () => {
  it('close() releases a table whose rows were never read, and breaking out early is safe', async () => {
    const file = write('big.csv', `code,amount\n${'A1,1\n'.repeat(200_000)}`);
    const unread = await openTable(file);
    await unread.close();
    const table = await openTable(file);
    let n = 0;
    for await (const _ of table.rows) if (++n === 10) break;
    expect(n).toBe(10);
    await table.close();
  });

  it('reads a large generated file row by row', async () => {
    const count = 100_000;
    const lines = ['客户编号,消费时间,消费金额'];
    for (let i = 0; i < count; i++)
      lines.push(`C${i},2024-01-${String((i % 28) + 1).padStart(2, '0')},"￥${i}.50"`);
    const file = write('large-gbk.csv', iconv.encode(lines.join('\n'), 'gbk'));
    const table = await openTable(file);
    let last = 0;
    let rows = 0;
    for await (const { row, cells } of table.rows) {
      rows++;
      last = row;
      if (row === 50_002) expect(cells).toEqual(['C50000', '2024-01-21', '￥50000.50']);
    }
    expect(rows).toBe(count);
    expect(last).toBe(count + 1);
  });
});
