import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runClassification } from '../../src/services/classification/classification.service.ts';
import { type ImportOptions, runImport } from '../../src/services/import/import.service.ts';
import { DIALECTS, openTestDb, type TestDb } from '../support/databases.ts';
import { testCipher as cipher, importOptions } from '../support/imports.ts';
import { tableSnapshot } from '../support/snapshot.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kelei-import-'));

async function seedTemplateXlsx(file: string): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('客户基本信息表');
  ws.addRow(['客户编号', '姓名', '性别', '年龄', '联系方式', '累计消费金额', '累计消费次数', '平均消费金额']);
  ws.addRow([1001, '张三', '男', 35, '138 0013 8000', 50000, 10, 5000]);
  ws.addRow([1002, '李四', '女', 28, '+86 139-0013-9000', 5000, 2, 2500]);
  ws.addRow([1003, '王五', '男', 42, '13700137000', 1000, 1, 1000]);
  await wb.xlsx.writeFile(file);
}

const options = (entity: ImportOptions['entity'], file: string, extra: Partial<ImportOptions> = {}) =>
  importOptions(entity, file, { ...extra, reportDir: dir });

for (const dialect of DIALECTS) {
  describe(`import on ${dialect}`, () => {
    let t: TestDb;
    beforeAll(async () => {
      t = await openTestDb(dialect);
    });
    afterAll(async () => t?.drop());

    it('imports the seed template sheet and classifies 张三/李四/王五 as high/medium/low value', async () => {
      const file = path.join(dir, `seed-${dialect}.xlsx`);
      await seedTemplateXlsx(file);
      const report = await runImport(t, options('customers', file));
      expect(report.committed).toBe(true);
      expect(report.counts).toMatchObject({ rows: 3, new: 3, invalid: 0 });
      await runClassification(t, { asOf: '2024-06-30', schemeKeys: ['value_tier'], now: () => new Date() });
      const rows = await t.db
        .selectFrom('customer_classes as cc')
        .innerJoin('customers as c', 'c.id', 'cc.customer_id')
        .select(['c.name as name', 'c.code as code', 'cc.class_key as cls'])
        .orderBy('c.code')
        .execute();
      expect(rows.map((r) => [r.code, r.name, r.cls])).toEqual([
        ['1001', '张三', 'high'],
        ['1002', '李四', 'medium'],
        ['1003', '王五', 'low'],
      ]);
      // phones are stored encrypted and found by blind index
      const zhang = await t.db
        .selectFrom('customers')
        .selectAll()
        .where('code', '=', '1001')
        .executeTakeFirstOrThrow();
      expect(zhang.phone_enc).not.toContain('13800138000');
      expect(cipher.decrypt(zhang.phone_enc as string)).toBe('13800138000');
      expect(zhang.phone_idx).toBe(cipher.blindIndex('13800138000'));
    });

    it('imports the dated template shape (首次/最近消费时间, 消费频次, 消费偏好) as opening balances', async () => {
      const file = path.join(dir, `dated-${dialect}.csv`);
      fs.writeFileSync(
        file,
        [
          '客户编号,姓名,首次消费时间,最近消费时间,消费频次,消费偏好',
          'T1,钱七,2022/3/1,2024年6月20日,12,数码',
          'T2,孙八,2024-05-01,2024-05-01,1,服装',
          'T3,李九,2021-01-01,2023-10-01,3,食品',
        ].join('\n'),
      );
      const report = await runImport(t, options('customers', file));
      expect(report.counts).toMatchObject({ new: 3, invalid: 0 });
      await runClassification(t, { asOf: '2024-06-30', schemeKeys: ['lifecycle'], now: () => new Date() });
      const rows = await t.db
        .selectFrom('customer_classes as cc')
        .innerJoin('customers as c', 'c.id', 'cc.customer_id')
        .innerJoin('schemes as s', 's.id', 'cc.scheme_id')
        .select(['c.code as code', 'c.preference as preference', 'cc.class_key as cls'])
        .where('c.code', 'in', ['T1', 'T2', 'T3'])
        .where('s.key', '=', 'lifecycle')
        .orderBy('c.code')
        .execute();
      expect(rows).toEqual([
        { code: 'T1', preference: '数码', cls: 'stable' },
        { code: 'T2', preference: '服装', cls: 'new' },
        { code: 'T3', preference: '食品', cls: 'churned' },
      ]);
    });

    it('changes nothing when the same orders file is imported again', async () => {
      const file = path.join(dir, `orders-${dialect}.csv`);
      fs.writeFileSync(
        file,
        [
          '订单号,客户编号,下单时间,商品,数量,单价,类别',
          'A1,2001,2024/1/5 10:00,羽绒服,1,"¥1,299.00",服装',
          'A1,2001,2024/1/5 10:00,围巾,2,99.5,服装',
          'A2,2002,2024年2月1日,耳机,1,399,数码',
          'C3,2001,2024-02-03,羽绒服,-1,1299,服装',
        ].join('\n'),
      );
      const first = await runImport(t, options('orders', file));
      expect(first.counts).toMatchObject({ rows: 4, new: 3, newCustomers: 2, invalid: 0 });
      const before = await tableSnapshot(t.db, ['customers', 'orders']);
      const second = await runImport(t, options('orders', file));
      expect(second.counts).toMatchObject({ new: 0, updated: 0, unchanged: 3, newCustomers: 0 });
      expect(await tableSnapshot(t.db, ['customers', 'orders'])).toEqual(before);
      const a1 = await t.db
        .selectFrom('orders')
        .selectAll()
        .where('external_id', '=', 'A1')
        .executeTakeFirstOrThrow();
      expect(Number(a1.amount)).toBe(129_900 + 19_900);
      const c3 = await t.db
        .selectFrom('orders')
        .selectAll()
        .where('external_id', '=', 'C3')
        .executeTakeFirstOrThrow();
      expect(Number(c3.amount)).toBe(-129_900);
    });

    it('sums the lines of an order that are not adjacent, and re-imports them as unchanged', async () => {
      const file = path.join(dir, `scattered-${dialect}.csv`);
      fs.writeFileSync(
        file,
        [
          'InvoiceNo,CustomerID,InvoiceDate,Quantity,UnitPrice',
          'S1,3001,2024-03-01 09:00,1,10',
          'S2,3002,2024-03-01 09:00,1,20',
          'S1,3001,2024-03-01 09:00,2,10',
          ...Array.from({ length: 2500 }, (_, i) => `F${i},3003,2024-03-02 09:00,1,1`),
          'S1,3001,2024-03-01 09:00,3,10',
        ].join('\n'),
      );
      const first = await runImport(t, options('orders', file));
      expect(first.counts).toMatchObject({ new: 2502, invalid: 0 });
      const s1 = await t.db
        .selectFrom('orders')
        .selectAll()
        .where('external_id', '=', 'S1')
        .executeTakeFirstOrThrow();
      expect([Number(s1.amount), Number(s1.quantity)]).toEqual([6000, 6]);
      const before = await tableSnapshot(t.db, ['orders']);
      const second = await runImport(t, options('orders', file));
      expect(second.counts).toMatchObject({ new: 0, updated: 0, unchanged: 2502 });
      expect(await tableSnapshot(t.db, ['orders'])).toEqual(before);
    });

    it('reads a GBK-encoded CSV with correct Chinese', async () => {
      const file = path.join(dir, `gbk-${dialect}.csv`);
      const text =
        '客户编号,客户名称,地区,行业\r\nG1,北京京东世纪贸易有限公司,华北,零售\r\nG2,陈晓明,华东,\r\n';
      fs.writeFileSync(file, iconv.encode(text, 'gbk'));
      const report = await runImport(t, options('customers', file));
      expect(report.committed).toBe(true);
      const rows = await t.db
        .selectFrom('customers')
        .select(['code', 'name', 'region', 'kind'])
        .where('code', 'in', ['G1', 'G2'])
        .orderBy('code')
        .execute();
      expect(rows).toEqual([
        { code: 'G1', name: '北京京东世纪贸易有限公司', region: '华北', kind: 'company' },
        { code: 'G2', name: '陈晓明', region: '华东', kind: 'individual' },
      ]);
    });

    it('commits nothing when a row is invalid, and skips it only when asked', async () => {
      const file = path.join(dir, `bad-${dialect}.csv`);
      fs.writeFileSync(
        file,
        'customer code,date,amount\nB1,2024-01-05,100\nB2,2024-02-30,100\nB3,2024-03-01,abc\n',
      );
      const before = await tableSnapshot(t.db, ['customers', 'orders']);
      const strict = await runImport(t, options('orders', file));
      expect(strict.committed).toBe(false);
      expect(strict.counts.invalid).toBe(2);
      expect(strict.errors.map((e) => [e.row, e.column])).toEqual([
        [3, 'date'],
        [4, 'amount'],
      ]);
      expect(await tableSnapshot(t.db, ['customers', 'orders'])).toEqual(before);

      const lenient = await runImport(t, options('orders', file, { skipInvalid: true }));
      expect(lenient.committed).toBe(true);
      expect(lenient.counts).toMatchObject({ new: 1, invalid: 2 });
      const report = fs.readFileSync(lenient.errorReportFile as string, 'utf8');
      expect(
        report
          .split('\n')
          .filter((l) => /^\d/.test(l))
          .map((l) => l.split(',')[0]),
      ).toEqual(['3', '4']);
    });

    it('makes a dry run that reports counts and writes nothing', async () => {
      const file = path.join(dir, `dry-${dialect}.csv`);
      fs.writeFileSync(file, '客户编号,姓名\nD1,赵六\n1001,张三\n');
      const before = await tableSnapshot(t.db, ['customers']);
      const report = await runImport(t, options('customers', file, { dryRun: true }));
      expect(report.counts).toMatchObject({ new: 1, unchanged: 1 });
      expect(await tableSnapshot(t.db, ['customers'])).toEqual(before);
      const job = await t.db
        .selectFrom('import_jobs')
        .selectAll()
        .where('id', '=', report.jobId as number)
        .executeTakeFirstOrThrow();
      expect(job.status).toBe('dry_run');
    });

    it('flags a new code with a known phone as a possible duplicate instead of creating it', async () => {
      const file = path.join(dir, `dup-${dialect}.csv`);
      fs.writeFileSync(file, '客户编号,姓名,手机\nX9,张三丰,13800138000\n');
      const report = await runImport(t, options('customers', file));
      expect(report.counts.duplicate).toBe(1);
      expect(report.duplicates[0]).toMatchObject({ code: 'X9', existingCode: '1001', by: 'phone' });
      const x9 = await t.db.selectFrom('customers').select('id').where('code', '=', 'X9').executeTakeFirst();
      expect(x9).toBeUndefined();
    });
  });
}
