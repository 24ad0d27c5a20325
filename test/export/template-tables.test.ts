import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeleiError } from '../../src/core/errors.ts';
import { customersSheet } from '../../src/services/export/customers-table.export.ts';
import { exportTable, exportWorkbook } from '../../src/services/export/template-tables.export.ts';
import { createPiiCipher } from '../../src/services/privacy/pii-cipher.ts';
import { DIALECTS, openTestDb, type TestDb } from '../support/databases.ts';
import { type ExportFixture, HOSTILE_NAMES, seedExportFixture } from './export.fixtures.ts';
import { readCsv, readXlsx, values } from './read-back.ts';

const cipher = createPiiCipher(Buffer.alloc(32, 7));

const CUSTOMER_HEADERS = [
  '客户编号',
  '姓名/名称',
  '客户类型',
  '性别',
  '年龄',
  '联系方式',
  '邮箱',
  '地区',
  '省份',
  '城市',
  '行业',
  '企业规模',
  '来源渠道',
  '累计消费金额',
  '累计消费次数',
  '平均消费金额',
  '首次消费时间',
  '最近消费时间',
];

const ESCAPED: Record<string, string> = {
  C003: "'=1+1",
  C004: "'+8613800000000",
  C005: "'-2",
  C006: "'@SUM(A1)",
  C007: "'\tx",
  C008: "'\rx",
};

for (const dialect of DIALECTS) {
  describe(`template table export on ${dialect}`, () => {
    let t: TestDb;
    let dir: string;
    let fixture: ExportFixture;
    const file = (name: string) => path.join(dir, name);

    beforeAll(async () => {
      t = await openTestDb(dialect);
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kelei-export-'));
      fixture = await seedExportFixture(t.db, cipher);
    });
    afterAll(async () => {
      await t?.drop();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it('writes 客户基本信息表 as CSV with BOM, masked contacts, yuan and escaped names', async () => {
      const out = file('customers.csv');
      const result = await exportTable({ db: t.db, table: 'customers', format: 'csv', out, cipher });
      expect(result.sheets).toEqual([{ name: '客户基本信息表', rows: 9 }]);
      const { bom, records } = readCsv(out);
      expect(bom).toBe(true);
      expect(records[0]).toEqual(CUSTOMER_HEADERS);
      expect(records[1]).toEqual([
        'C001',
        '张伟',
        '个人',
        '男',
        '35',
        '138****1234',
        'z***@example.com',
        '华东',
        '上海市',
        '上海市',
        '',
        '',
        '天猫',
        '12345.67',
        '3',
        '4115.22',
        '2023-01-05',
        '2024-06-18',
      ]);
      // No metrics yet: the opening balance, average rounded to the fen.
      expect(records[2]).toEqual([
        'C002',
        '李"四",商贸',
        '企业',
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        '信息技术',
        '中型',
        '',
        '1000.01',
        '3',
        '333.34',
        '2022-03-01',
        '2022-12-31',
      ]);
      const names = Object.fromEntries(records.slice(1).map((r) => [r[0], r[1]]));
      for (const [code, escaped] of Object.entries(ESCAPED)) expect(names[code]).toBe(escaped);
      // Nothing in the file is the plain phone.
      expect(fs.readFileSync(out, 'utf8')).not.toContain('13800001234');
    });

    it('derives an age from the birth date and reveals contacts only on request', async () => {
      const out = file('customers-revealed.csv');
      await exportTable({
        db: t.db,
        table: 'customers',
        format: 'csv',
        out,
        cipher,
        revealPii: true,
      });
      const { records } = readCsv(out);
      expect(records[1].slice(5, 7)).toEqual(['13800001234', 'zhang.wei@example.com']);
      const sheet = await customersSheet({ db: t.db, asOf: '2024-07-01' });
      const rows: Array<Record<string, unknown>> = [];
      for await (const r of sheet.rows) rows.push(r);
      expect(rows.find((r) => r.code === 'C009')?.age).toBe(33);
      // Without a key the stored contact is neither shown nor masked.
      expect(rows[0].phone).toBe('***');
      const refused = customersSheet({ db: t.db, revealPii: true });
      await expect(refused).rejects.toBeInstanceOf(KeleiError);
      await expect(refused).rejects.toMatchObject({ code: 'PiiKeyUnusable' });
    });

    it('reads customers in keyset batches: every row once, in order', async () => {
      const sheet = await customersSheet({ db: t.db, cipher, batchSize: 2 });
      const codes: unknown[] = [];
      for await (const r of sheet.rows) codes.push(r.code);
      expect(codes).toEqual(['C001', 'C002', 'C003', 'C004', 'C005', 'C006', 'C007', 'C008', 'C009']);
    });

    it('writes 客户基本信息表 as XLSX: numbers, yuan, dates, never a formula', async () => {
      const out = file('customers.xlsx');
      await exportTable({ db: t.db, table: 'customers', format: 'xlsx', out, cipher, batchSize: 3 });
      const [sheet] = await readXlsx(out);
      expect(sheet.name).toBe('客户基本信息表');
      expect(values(sheet.rows[0])).toEqual(CUSTOMER_HEADERS);
      const c001 = sheet.rows[1];
      expect(values(c001).slice(0, 7)).toEqual([
        'C001',
        '张伟',
        '个人',
        '男',
        35,
        '138****1234',
        'z***@example.com',
      ]);
      expect(c001[13]).toMatchObject({ value: 12345.67, numFmt: '#,##0.00' });
      expect(c001[14].value).toBe(3);
      expect(c001[15].value).toBe(4115.22);
      expect(c001[16].value).toEqual(new Date(Date.UTC(2023, 0, 5)));
      expect(c001[16].numFmt).toBe('yyyy-mm-dd');
      const names = Object.fromEntries(sheet.rows.slice(1).map((r) => [r[0].value, r[1].value]));
      for (const [code, escaped] of Object.entries(ESCAPED)) {
        // XML text cannot hold a bare CR; it becomes LF, the escape stays.
        expect(names[code]).toBe(escaped.replace('\r', '\n'));
      }
      expect(HOSTILE_NAMES.C005).toBe('-2');
      expect(sheet.rows.flat().some((c) => c.isFormula)).toBe(false);
    });

    it('writes 客户消费记录表 with returns as negative yuan and escaped products', async () => {
      const csv = file('orders.csv');
      await exportTable({ db: t.db, table: 'orders', format: 'csv', out: csv });
      const { records } = readCsv(csv);
      expect(records[0]).toEqual([
        '订单号',
        '客户编号',
        '客户名称',
        '消费时间',
        '消费金额',
        '数量',
        '产品',
        '类别',
        '渠道',
        '状态',
      ]);
      expect(records[1]).toEqual([
        'O-1',
        'C001',
        '张伟',
        '2024-06-18 20:15:00',
        '123.45',
        '2',
        'T恤',
        '服装',
        '天猫',
        '已完成',
      ]);
      // A real negative amount is a number, not escaped text.
      expect(records[2][4]).toBe('-0.05');
      expect(records[3].slice(1, 7)).toEqual([
        'C003',
        "'=1+1",
        '2024-06-18 20:15:00',
        '1.00',
        '',
        '\'=HYPERLINK("http://x")',
      ]);
      expect(records[3][9]).toBe('已取消');

      const xlsx = file('orders.xlsx');
      await exportTable({ db: t.db, table: 'orders', format: 'xlsx', out: xlsx });
      const [sheet] = await readXlsx(xlsx);
      expect(sheet.rows[1][3].value).toEqual(new Date(Date.UTC(2024, 5, 18, 20, 15, 0)));
      expect(sheet.rows[1][3].numFmt).toBe('yyyy-mm-dd hh:mm:ss');
      expect(sheet.rows[2][4].value).toBe(-0.05);
      expect(sheet.rows[3][6].value).toBe('\'=HYPERLINK("http://x")');
      expect(sheet.rows.flat().some((c) => c.isFormula)).toBe(false);
    });

    it('writes 客户分类表 with a column per active scheme in Chinese', async () => {
      const out = file('classification.csv');
      await exportTable({ db: t.db, table: 'classification', format: 'csv', out });
      const { records } = readCsv(out);
      expect(records[0]).toEqual(['客户编号', '客户名称', '价值分层', '生命周期', '分类日期']);
      expect(records[1]).toEqual(['C001', '张伟', '高价值客户', '长期稳定客户', '2024-07-01']);
      // An unknown class key is shown as the key; the inactive scheme is left out.
      expect(records[2]).toEqual(['C002', '李"四",商贸', 'mystery', '', '2024-06-30']);
      expect(records[3]).toEqual(['C003', "'=1+1", '低价值客户', '', '2024-06-30']);
      expect(records[9]).toEqual(['C009', '王芳', '', '', '']);
      expect(records).toHaveLength(10);
    });

    it('writes 客户维护计划表 from the plans table, else the definition', async () => {
      const out = file('plans.xlsx');
      await exportTable({ db: t.db, table: 'plans', format: 'xlsx', out });
      const [sheet] = await readXlsx(out);
      expect(sheet.rows.map(values)).toEqual([
        ['分类方案', '客户类别', '客户数', '维护目标', '维护措施', '回访周期(天)', '负责角色'],
        ['价值分层', '高价值客户', 1, '保持高价值', '一对一回访；生日礼遇', 30, '销售'],
        ['价值分层', '中价值客户', 0, '促进复购', '会员日优惠券；新品推荐', 45, '销售'],
        ['价值分层', '低价值客户', 1, null, null, null, null],
        ['价值分层', 'mystery', 1, null, null, null, null],
        ['生命周期', '新客户', 0, null, null, null, null],
        ['生命周期', '长期稳定客户', 1, '维持关系', null, null, null],
      ]);
      expect(fixture.schemes.retired).toBeGreaterThan(0);
    });

    it('writes all four tables as the sheets of one workbook', async () => {
      const out = file('workbook.xlsx');
      const result = await exportWorkbook({ db: t.db, out, cipher, batchSize: 4 });
      expect(result.sheets).toEqual([
        { name: '客户基本信息表', rows: 9 },
        { name: '客户消费记录表', rows: 3 },
        { name: '客户分类表', rows: 9 },
        { name: '客户维护计划表', rows: 6 },
      ]);
      const sheets = await readXlsx(out);
      expect(sheets.map((s) => [s.name, s.rows.length])).toEqual([
        ['客户基本信息表', 10],
        ['客户消费记录表', 4],
        ['客户分类表', 10],
        ['客户维护计划表', 7],
      ]);
      expect(sheets.flatMap((s) => s.rows.flat()).some((c) => c.isFormula)).toBe(false);
      expect(fs.readdirSync(dir).filter((f) => f.endsWith('.part'))).toEqual([]);
    });
  });
}
