import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportClasses, flattenScores } from '../../src/services/export/classes.export.ts';
import { createPiiCipher } from '../../src/services/privacy/pii-cipher.ts';
import { DIALECTS, openTestDb, type TestDb } from '../support/databases.ts';
import { seedExportFixture } from './export.fixtures.ts';
import { readCsv, readXlsx } from './read-back.ts';

const cipher = createPiiCipher(Buffer.alloc(32, 9));

describe('flattenScores', () => {
  it('flattens nested objects in order and tolerates bad JSON', () => {
    expect(flattenScores('{"r":5,"v":{"pct":80,"w":[1,2]},"n":null}')).toEqual({
      r: 5,
      'v.pct': 80,
      'v.w': '[1,2]',
      n: null,
    });
    expect(flattenScores('not json')).toEqual({});
    expect(flattenScores(null)).toEqual({});
  });
});

for (const dialect of DIALECTS) {
  describe(`exportClasses on ${dialect}`, () => {
    let t: TestDb;
    let dir: string;
    beforeAll(async () => {
      t = await openTestDb(dialect);
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kelei-classes-'));
      await seedExportFixture(t.db, cipher);
    });
    afterAll(async () => {
      await t?.drop();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it('writes code, class, scores and metrics with English headers (CSV)', async () => {
      const out = path.join(dir, 'value_tier.csv');
      const result = await exportClasses({
        db: t.db,
        schemeKey: 'value_tier',
        format: 'csv',
        out,
        batchSize: 1,
      });
      expect(result.sheets[0].rows).toBe(3);
      const { records } = readCsv(out);
      const header = records[0];
      expect(header.slice(0, 8)).toEqual([
        'customer_code',
        'class_key',
        'class_name',
        'r',
        'f',
        'detail.pct',
        'scores.total_amount',
        'extra',
      ]);
      expect(header.slice(8, 12)).toEqual(['as_of', 'order_count', 'total_amount', 'avg_order_amount']);
      expect(header).not.toContain('customer_id');
      const row = (code: string) =>
        Object.fromEntries(header.map((h, i) => [h, records.find((r) => r[0] === code)?.[i]]));
      expect(row('C001')).toMatchObject({
        class_key: 'high',
        class_name: '高价值客户',
        r: '5',
        f: '3',
        'detail.pct': '80.5',
        'scores.total_amount': '1234567',
        extra: '',
        as_of: '2024-06-30',
        total_amount: '12345.67',
        gross_profit_365d: '3000.00',
        satisfaction_avg: '4.5',
        r_score: '5',
      });
      expect(row('C002')).toMatchObject({
        class_key: 'mystery',
        class_name: 'mystery',
        r: '1',
        extra: 'x',
        order_count: '',
      });
      expect(row('C003')).toMatchObject({ class_name: '低价值客户', r: '' });
    });

    it('writes the same as XLSX and rejects an unknown scheme', async () => {
      const out = path.join(dir, 'lifecycle.xlsx');
      await exportClasses({ db: t.db, schemeKey: 'lifecycle', format: 'xlsx', out });
      const [sheet] = await readXlsx(out);
      expect(sheet.name).toBe('生命周期');
      expect(sheet.rows[0].slice(0, 4).map((c) => c.value)).toEqual([
        'customer_code',
        'class_key',
        'class_name',
        'as_of',
      ]);
      expect(sheet.rows[1].slice(0, 3).map((c) => c.value)).toEqual(['C001', 'stable', '长期稳定客户']);
      expect(sheet.rows).toHaveLength(2);
      await expect(
        exportClasses({ db: t.db, schemeKey: 'nope', format: 'csv', out: path.join(dir, 'x.csv') }),
      ).rejects.toMatchObject({ code: 'SchemeNotFound' });
    });
  });
}
