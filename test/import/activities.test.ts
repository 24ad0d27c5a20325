import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runClassification } from '../../src/services/classification/classification.service.ts';
import { type ImportOptions, runImport } from '../../src/services/import/import.service.ts';
import { DIALECTS, openTestDb, type TestDb } from '../support/databases.ts';
import { importOptions } from '../support/imports.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kelei-activities-'));

function write(name: string, lines: string[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, lines.join('\n'));
  return file;
}

const options = (entity: ImportOptions['entity'], file: string, extra: Partial<ImportOptions> = {}) =>
  importOptions(entity, file, { ...extra, reportDir: dir });

for (const dialect of DIALECTS) {
  describe(`interactions and feedback on ${dialect}`, () => {
    let t: TestDb;
    beforeAll(async () => {
      t = await openTestDb(dialect);
      await runImport(
        t,
        options('customers', write(`c-${dialect}.csv`, ['客户编号,姓名', 'A1,周一', 'A2,吴二'])),
      );
    });
    afterAll(async () => t?.drop());

    it('imports interactions and feedback idempotently and feeds the metrics', async () => {
      const interactions = write(`i-${dialect}.csv`, [
        '客户编号,互动时间,方式,主题,客户需求,解决方案',
        'A1,2024-06-01 09:30,电话,回访,咨询发票,已开具',
        'A1,2024-06-20,微信,关怀,生日祝福,',
        'A2,2023-01-01,拜访,拜访,,',
      ]);
      const feedback = write(`f-${dialect}.csv`, [
        '客户编号,日期,满意度,推荐意愿,意见,类型',
        'A1,2024-05-01,5,9,很好,',
        'A1,2024-06-01,2,3,发货慢,投诉',
        'A2,2024-06-02,4,8,,',
      ]);
      const i1 = await runImport(t, options('interactions', interactions));
      const f1 = await runImport(t, options('feedback', feedback));
      expect(i1.counts).toMatchObject({ new: 3, invalid: 0 });
      expect(f1.counts).toMatchObject({ new: 3, invalid: 0 });
      const i2 = await runImport(t, options('interactions', interactions));
      const f2 = await runImport(t, options('feedback', feedback));
      expect(i2.counts).toMatchObject({ new: 0, unchanged: 3 });
      expect(f2.counts).toMatchObject({ new: 0, unchanged: 3 });

      await runClassification(t, { asOf: '2024-06-30', schemeKeys: ['lifecycle'], now: () => new Date() });
      const m = await t.db
        .selectFrom('customer_metrics as m')
        .innerJoin('customers as c', 'c.id', 'm.customer_id')
        .select([
          'c.code as code',
          'm.satisfaction_avg',
          'm.nps_avg',
          'm.complaint_count_365d',
          'm.interactions_90d',
          'm.days_since_contact',
        ])
        .orderBy('c.code')
        .execute();
      expect(
        m.map((r) => ({ ...r, satisfaction_avg: Number(r.satisfaction_avg), nps_avg: Number(r.nps_avg) })),
      ).toEqual([
        {
          code: 'A1',
          satisfaction_avg: 3.5,
          nps_avg: 6,
          complaint_count_365d: 1,
          interactions_90d: 2,
          days_since_contact: 10,
        },
        {
          code: 'A2',
          satisfaction_avg: 4,
          nps_avg: 8,
          complaint_count_365d: 0,
          interactions_90d: 0,
          days_since_contact: 546,
        },
      ]);
    });

    it('reports rows for unknown customers and out-of-range scores with row and column', async () => {
      const file = write(`bad-f-${dialect}.csv`, [
        '客户编号,日期,满意度',
        'ZZ,2024-05-01,5',
        'A1,2024-05-02,9',
      ]);
      const r = await runImport(t, options('feedback', file));
      expect(r.committed).toBe(false);
      expect(r.errors.map((e) => [e.row, e.column])).toEqual([
        [3, '满意度'],
        [2, '客户编号'],
      ]);
    });
  });
}
