import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runClassification } from '../../src/services/classification/classification.service.ts';
import { loadDemo } from '../../src/services/demo/demo.loader.ts';
import { exportClasses } from '../../src/services/export/classes.export.ts';
import { exportTable, exportWorkbook } from '../../src/services/export/template-tables.export.ts';
import { createPiiCipher } from '../../src/services/privacy/pii-cipher.ts';
import { DIALECTS, openTestDb, type TestDb } from '../support/databases.ts';
import { readCsv, readXlsx } from './read-back.ts';

const cipher = createPiiCipher(Buffer.alloc(32, 5));
const AS_OF = '2024-06-30';

/** The whole path a user takes: demo data, classification, the four tables in Excel. */
for (const dialect of DIALECTS) {
  describe(`demo → classify → export on ${dialect}`, () => {
    let t: TestDb;
    let dir: string;
    let loaded: Awaited<ReturnType<typeof loadDemo>>;
    beforeAll(async () => {
      t = await openTestDb(dialect);
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kelei-demo-export-'));
      loaded = await loadDemo({ handle: t, cipher, seed: 11, customers: 120, asOf: AS_OF });
      await runClassification(t, { asOf: AS_OF, now: () => new Date('2024-07-01T00:00:00Z') });
    });
    afterAll(async () => {
      await t?.drop();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it('exports the four tables with every customer and order', async () => {
      const out = path.join(dir, 'all.xlsx');
      const result = await exportWorkbook({ db: t.db, out, cipher, batchSize: 50 });
      const rows = Object.fromEntries(result.sheets.map((s) => [s.name, s.rows]));
      expect(rows.客户基本信息表).toBe(loaded.customers);
      expect(rows.客户消费记录表).toBe(loaded.orders);
      expect(rows.客户分类表).toBe(loaded.customers);
      const sheets = await readXlsx(out);
      const classification = sheets[2];
      // One column per built-in scheme, in Chinese, and every customer classified.
      expect(classification.rows[0].length).toBeGreaterThanOrEqual(5);
      expect(classification.rows.slice(1).every((r) => r[2].value !== null && r.at(-1)?.value !== null)).toBe(
        true,
      );
      const plans = sheets[3];
      const counted = plans.rows.slice(1).reduce((sum, r) => sum + Number(r[2].value), 0);
      const schemes = new Set(plans.rows.slice(1).map((r) => r[0].value)).size;
      expect(counted).toBe(loaded.customers * schemes);
      expect(sheets.flatMap((s) => s.rows.flat()).some((c) => c.isFormula)).toBe(false);
    });

    it('masks phones and sums money exactly in yuan', async () => {
      const out = path.join(dir, 'customers.csv');
      await exportTable({ db: t.db, table: 'customers', format: 'csv', out, cipher });
      const { records } = readCsv(out);
      const phones = records.slice(1).map((r) => r[5]);
      expect(phones.every((p) => /^1\d\d\*{4}\d{4}$/.test(p))).toBe(true);
      const orders = path.join(dir, 'orders.csv');
      await exportTable({ db: t.db, table: 'orders', format: 'csv', out: orders });
      const fen = readCsv(orders)
        .records.slice(1)
        .reduce((sum, r) => sum + BigInt(r[4].replace('.', '')), 0n);
      const stored = await t.db
        .selectFrom('orders')
        .select((eb) => eb.fn.sum<number>('amount').as('total'))
        .executeTakeFirstOrThrow();
      expect(fen).toBe(BigInt(Number(stored.total)));
    });

    it('exports the classes of a built-in scheme with scores and metrics', async () => {
      const out = path.join(dir, 'rfm8.csv');
      const result = await exportClasses({ db: t.db, schemeKey: 'rfm8', format: 'csv', out });
      expect(result.sheets[0].rows).toBe(loaded.customers);
      const { records } = readCsv(out);
      expect(records[0].slice(0, 3)).toEqual(['customer_code', 'class_key', 'class_name']);
      expect(records[0]).toContain('recency_days');
      expect(records.slice(1).every((r) => /\p{Script=Han}/u.test(r[2]))).toBe(true);
    });
  });
}
