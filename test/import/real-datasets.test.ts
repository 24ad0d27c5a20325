import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runClassification } from '../../src/services/classification/classification.service.ts';
import { type ImportOptions, runImport } from '../../src/services/import/import.service.ts';
import { DIALECTS, openTestDb, type TestDb } from '../support/databases.ts';
import { dataset } from '../support/datasets.ts';
import { importOptions } from '../support/imports.ts';
import { retailClassCounts } from '../support/retail-oracle.ts';

/**
 * Real public data sets, when a folder `shared/datasets` beside the checkout holds them:
 * the UCI Online Retail file (online_retail/online_retail.csv, UCI Machine Learning
 * Repository, CC BY 4.0) and CDNOW (cdnow/CDNOW_master.txt, Fader, Hardie & Lee 2005;
 * test/fixtures/cdnow/README.md). They are large, so they are read in place and never
 * copied into the repository; on a machine without them these tests
 * are skipped and say why, and under CI they fail.
 */
const retail = dataset('online_retail/online_retail.csv');
const cdnow = dataset('cdnow/CDNOW_master.txt');
const RETAIL = retail.file;
const CDNOW = cdnow.file;

const reports = fs.mkdtempSync(path.join(os.tmpdir(), 'kelei-datasets-'));

const options = (entity: ImportOptions['entity'], file: string, extra: Partial<ImportOptions> = {}) =>
  importOptions(entity, file, { ...extra, reportDir: reports });

for (const dialect of DIALECTS) {
  describe.skipIf(retail.skip)(`UCI Online Retail on ${dialect}`, () => {
    let t: TestDb;
    beforeAll(async () => {
      retail.require();
      t = await openTestDb(dialect);
    });
    afterAll(async () => t?.drop());

    it(
      'imports 541,909 invoice lines with automatic mapping into 4,372 customers',
      { timeout: 600_000 },
      async () => {
        const strict = await runImport(t, options('orders', RETAIL, { dryRun: true }));
        expect(strict.mapping).toMatchObject({
          customer_code: 'CustomerID',
          order_no: 'InvoiceNo',
          date: 'InvoiceDate',
        });
        expect(strict.counts.invalid).toBe(135_080);
        expect(strict.errors[0]).toMatchObject({ column: 'CustomerID' });

        const report = await runImport(t, options('orders', RETAIL, { skipInvalid: true }));
        expect(report.committed).toBe(true);
        expect(report.counts.rows).toBe(541_909);
        expect(report.counts.invalid).toBe(135_080);
        const lines = fs
          .readFileSync(report.errorReportFile as string, 'utf8')
          .trim()
          .split('\n');
        expect(lines.length - 1).toBe(135_080);

        const customers = await t.db
          .selectFrom('customers')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        expect(Number(customers.n)).toBe(4_372);
        // Excel-style float ids become codes: 17850.0 → 17850
        const c = await t.db
          .selectFrom('customers')
          .select('id')
          .where('code', '=', '17850')
          .executeTakeFirst();
        expect(c).toBeDefined();
        // cancellations (InvoiceNo C…) are returns: negative amounts
        const returns = await t.db
          .selectFrom('orders')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('external_id', 'like', 'C%')
          .where('amount', '<', 0)
          .executeTakeFirstOrThrow();
        expect(Number(returns.n)).toBeGreaterThan(3_000);
        const positives = await t.db
          .selectFrom('orders')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('external_id', 'like', 'C%')
          .where('amount', '>', 0)
          .executeTakeFirstOrThrow();
        expect(Number(positives.n)).toBe(0);
      },
    );

    it('classifies as of 2011-12-10 under all four built-in schemes', { timeout: 300_000 }, async () => {
      const summaries = await runClassification(t, { asOf: '2011-12-10', now: () => new Date() });
      expect(summaries.map((s) => s.schemeKey)).toEqual([
        'value_tier',
        'lifecycle',
        'rfm8',
        'value_potential',
      ]);
      for (const s of summaries) {
        expect(s.population).toBe(4_372);
        expect(Object.values(s.counts).reduce((a, b) => a + b, 0)).toBe(4_372);
        expect(s.counts.unclassified ?? 0).toBe(0);
      }
      // every class's count equals DuckDB's, computed from the CSV and the definitions alone
      const independent = await retailClassCounts(RETAIL, '2011-12-10');
      for (const scheme of ['value_tier', 'lifecycle', 'rfm8'] as const) {
        const counts = summaries.find((s) => s.schemeKey === scheme)?.counts ?? {};
        const held = Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
        expect(held, scheme).toEqual(independent[scheme]);
      }
      // the figures themselves, so that a change in the oracle shows too
      expect(independent.value_tier).toEqual({ high: 97, medium: 779, low: 3_462, none: 34 });
      expect(independent.lifecycle).toMatchObject({ stable: 340, churned: 861, prospect: 34 });
      expect(independent.rfm8).toMatchObject({ important_value: 1_494, inactive: 114 });
    });
  });

  describe.skipIf(cdnow.skip)(`CDNOW on ${dialect}`, () => {
    let t: TestDb;
    beforeAll(async () => {
      cdnow.require();
      t = await openTestDb(dialect);
    });
    afterAll(async () => t?.drop());

    it(
      'imports the space-delimited CDNOW master file with YYYYMMDD dates',
      { timeout: 300_000 },
      async () => {
        const report = await runImport(
          t,
          options('orders', CDNOW, {
            mapping: {
              customer_code: 'customer_id',
              date: 'date',
              quantity: 'number_of_cds',
              amount: 'dollar_value',
            },
          }),
        );
        expect(report.committed).toBe(true);
        expect(report.delimiter).toMatch(/space|\\s|\s/);
        expect(report.counts).toMatchObject({ rows: 69_659, invalid: 0, newCustomers: 23_570 });
        const first = await t.db
          .selectFrom('orders as o')
          .innerJoin('customers as c', 'c.id', 'o.customer_id')
          .select(['c.code as code', 'o.order_date as d', 'o.amount as amount'])
          .where('c.code', '=', '00001')
          .executeTakeFirstOrThrow();
        expect(first).toMatchObject({ code: '00001', d: '1997-01-01' });
        expect(Number(first.amount)).toBe(1177);
        const again = await runImport(
          t,
          options('orders', CDNOW, {
            mapping: {
              customer_code: 'customer_id',
              date: 'date',
              quantity: 'number_of_cds',
              amount: 'dollar_value',
            },
          }),
        );
        expect(again.counts).toMatchObject({ new: 0, updated: 0, newCustomers: 0 });
      },
    );
  });
}
