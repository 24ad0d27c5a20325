import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ImportOptions, runImport } from '../../src/services/import/import.service.ts';
import { ReaderError } from '../../src/services/import/readers/index.ts';
import { DIALECTS, openTestDb, type TestDb } from '../support/databases.ts';
import { importOptions, tempDir } from '../support/imports.ts';
import { tableSnapshot } from '../support/snapshot.ts';

/**
 * The orders import at volume: batches of thousands of orders, statements of dozens,
 * lines of one order far apart, a worker thread parsing — and still every row checked,
 * re-imports unchanged, and a failure leaving nothing behind.
 */
const dir = tempDir('orders-bulk');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const options = (file: string, extra: Partial<ImportOptions> = {}) =>
  importOptions('orders', file, { ...extra, reportDir: dir });

function write(name: string, lines: string[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** `n` orders of `n / 10` customers, ten each, as machine exports write them. */
function ordersFile(name: string, options: { prefix: string; n: number; bad?: number[] }): string {
  const lines = ['订单号,客户编号,下单时间,金额,类别,渠道'];
  for (let i = 0; i < options.n; i++) {
    const code = `${options.prefix}C${String(Math.floor(i / 10)).padStart(5, '0')}`;
    const day = String((i % 28) + 1).padStart(2, '0');
    const amount = `${(i * 37) % 1000}.${String(i % 100).padStart(2, '0')}`;
    lines.push(
      `${options.prefix}O${i},${code},2024-03-${day} 10:${String(i % 60).padStart(2, '0')}:00,${amount},运动,网店`,
    );
  }
  for (const at of options.bad ?? []) lines[at] = lines[at].replace(/,2024-03-\d\d/, ',2024-02-30');
  return write(name, lines);
}

async function sourceOrders(db: TestDb['db'], source: string) {
  const rows = await db
    .selectFrom('orders as o')
    .innerJoin('customers as c', 'c.id', 'o.customer_id')
    .select([
      'o.external_id as id',
      'c.code as code',
      'o.ordered_at as at',
      'o.order_date as date',
      'o.amount as amount',
      'o.cost as cost',
      'o.quantity as quantity',
      'o.product as product',
      'o.category as category',
      'o.channel as channel',
      'o.status as status',
    ])
    .where('o.source', '=', source)
    .orderBy('o.external_id')
    .execute();
  return rows.map((r) => ({
    ...r,
    at: String(r.at).slice(0, 19),
    date: String(r.date).slice(0, 10),
    amount: Number(r.amount),
    cost: r.cost === null ? null : Number(r.cost),
    quantity: r.quantity === null ? null : Number(r.quantity),
  }));
}

/** What each engine stored, by source, for the comparison at the end. */
const stored: Partial<Record<(typeof DIALECTS)[number], Record<string, unknown[]>>> = {};
const SOURCES = ['bulk-L', 'bulk-W', 'lines', 'z'];

for (const dialect of DIALECTS) {
  describe(`orders in bulk on ${dialect}`, () => {
    let t: TestDb;
    beforeAll(async () => {
      t = await openTestDb(dialect);
    });
    afterAll(async () => {
      if (t) {
        const bySource: Record<string, unknown[]> = {};
        for (const source of SOURCES) bySource[source] = await sourceOrders(t.db, source);
        stored[dialect] = bySource;
      }
      await t?.drop();
    });

    for (const parseInWorker of [false, true]) {
      const how = parseInWorker ? 'parsed in a worker thread' : 'parsed in line';
      it(`imports 20,000 orders ${how}, reports the bad rows, then finds them all unchanged`, async () => {
        const prefix = parseInWorker ? 'W' : 'L';
        const file = ordersFile(`many-${dialect}-${prefix}.csv`, { prefix, n: 20_000, bad: [5, 12_345] });
        const source = `bulk-${prefix}`;
        const strict = await runImport(t, options(file, { source, parseInWorker }));
        expect(strict.committed).toBe(false);
        expect(strict.errors.map((e) => [e.row, e.column])).toEqual([
          [6, '下单时间'],
          [12_346, '下单时间'],
        ]);

        const first = await runImport(t, options(file, { source, parseInWorker, skipInvalid: true }));
        expect(first.committed).toBe(true);
        expect(first.counts).toMatchObject({
          rows: 20_000,
          records: 19_998,
          new: 19_998,
          updated: 0,
          unchanged: 0,
          invalid: 2,
          newCustomers: 2000,
        });
        const stored = await sourceOrders(t.db, source);
        expect(stored).toHaveLength(19_998);
        expect(stored.find((o) => o.id === `${prefix}O7`)).toMatchObject({
          code: `${prefix}C00000`,
          at: '2024-03-08 10:07:00',
          date: '2024-03-08',
          amount: 25_907,
          category: '运动',
          channel: '网店',
          status: 'completed',
        });

        const before = await tableSnapshot(t.db, ['customers', 'orders']);
        const again = await runImport(t, options(file, { source, parseInWorker, skipInvalid: true }));
        expect(again.counts).toMatchObject({
          new: 0,
          updated: 0,
          unchanged: 19_998,
          newCustomers: 0,
          invalid: 2,
        });
        expect(await tableSnapshot(t.db, ['customers', 'orders'])).toEqual(before);
      });
    }

    it('sums lines of one order across statements and batches, and counts what a changed file updates', async () => {
      // M1 has a line at the top, one 100 rows down and one 9,000 orders down (another batch).
      const lines = ['InvoiceNo,CustomerID,InvoiceDate,Quantity,UnitPrice,Description'];
      const filler = (from: number, n: number) =>
        Array.from(
          { length: n },
          (_, i) => `F${from + i},K${(from + i) % 300},2024-05-01 08:00,1,2.5,widget`,
        );
      // M5 has one line in the first batch and three in the second, between other orders.
      const m5 = (q: number) => `M5,K5,2024-05-06 09:00,${q},1,`;
      lines.push(
        'M1,K1,2024-05-02 09:00,1,10,',
        ...filler(0, 100),
        'M1,K1,2024-05-02 09:00,2,10,lamp',
        m5(1),
      );
      lines.push(...filler(100, 8500), m5(2), ...filler(8600, 200), m5(3), ...filler(8800, 300), m5(4));
      lines.push('M1,K1,2024-05-02 09:00,3,10,', 'M2,K2,2024-05-03 09:00,1,7,');
      const file = write(`lines-${dialect}.csv`, lines);
      const first = await runImport(t, options(file, { source: 'lines' }));
      expect(first.counts).toMatchObject({ rows: 9108, new: 9103, invalid: 0 });
      const imported = await sourceOrders(t.db, 'lines');
      expect(imported.find((o) => o.id === 'M1')).toMatchObject({
        amount: 6000,
        quantity: 6,
        product: 'lamp',
      });
      expect(imported.find((o) => o.id === 'M5')).toMatchObject({ amount: 1000, quantity: 10 });

      // Changed: M2's amount, one filler order; added: M3, and a fourth line of M1 far down.
      const changed = lines.map((l) =>
        l.startsWith('M2,')
          ? 'M2,K2,2024-05-03 09:00,1,8,'
          : l.startsWith('F777,')
            ? l.replace(',1,2.5,', ',2,2.5,')
            : l,
      );
      // New too: M4, whose two lines arrive apart once the import looks orders up before appending.
      changed.push(
        'M3,K9,2024-05-04 09:00,1,1,',
        'M4,K9,2024-05-05 09:00,1,5,',
        'M1,K1,2024-05-02 09:00,4,10,',
        'M4,K9,2024-05-05 09:00,2,5,',
      );
      const second = await runImport(
        t,
        options(write(`lines2-${dialect}.csv`, changed), { source: 'lines', parseInWorker: true }),
      );
      expect(second.counts).toMatchObject({
        new: 2,
        updated: 3,
        unchanged: 9100,
        records: 9105,
        newCustomers: 0,
      });
      const after = await sourceOrders(t.db, 'lines');
      expect(after.find((o) => o.id === 'M1')).toMatchObject({ amount: 10_000, quantity: 10 });
      expect(after.find((o) => o.id === 'M2')).toMatchObject({ amount: 800 });
      expect(after.find((o) => o.id === 'F777')).toMatchObject({ amount: 500, quantity: 2 });
      expect(after.find((o) => o.id === 'M3')).toMatchObject({ amount: 100 });
      expect(after.find((o) => o.id === 'M4')).toMatchObject({ amount: 1500, quantity: 3 });

      const dry = await runImport(t, options(file, { source: 'lines', dryRun: true }));
      expect(dry.counts).toMatchObject({ new: 0, updated: 3, unchanged: 9100 });
      expect(await sourceOrders(t.db, 'lines')).toEqual(after);
    });

    it("keeps a stored order's first line (customer, time, status) when more of its lines follow", async () => {
      const header = '订单号,客户编号,日期,金额,状态';
      await runImport(
        t,
        options(write(`z1-${dialect}.csv`, [header, 'Z1,ZK1,2024-07-01,100,已完成']), { source: 'z' }),
      );
      const again = write(`z2-${dialect}.csv`, [
        header,
        'Z1,ZK1,2024-07-01,100,已完成',
        'Z2,ZK3,2024-07-02,5,',
        'Z1,ZK2,2024-07-09,0,待付款',
      ]);
      const report = await runImport(t, options(again, { source: 'z' }));
      expect(report.counts).toMatchObject({ records: 2, new: 1, updated: 0, unchanged: 1, newCustomers: 2 });
      expect((await sourceOrders(t.db, 'z')).find((o) => o.id === 'Z1')).toMatchObject({
        code: 'ZK1',
        date: '2024-07-01',
        amount: 10_000,
        status: 'completed',
      });
    });

    for (const parseInWorker of [false, true]) {
      it(`commits nothing when the file breaks after thousands of orders were written (${parseInWorker ? 'worker' : 'in line'})`, async () => {
        const good = Array.from({ length: 10_000 }, (_, i) => `X${i},XC${i % 50},2024-06-01,${i}`);
        // A quote that never closes: the rest of the file is one unreadable record.
        const tail = [
          'X-bad,XC1,"2024-06-01,1',
          ...Array.from({ length: 70_000 }, (_, i) => `Y${i},XC1,2024-06-01,1`),
        ];
        const file = write(`broken-${dialect}-${parseInWorker}.csv`, [
          '订单号,客户编号,日期,金额',
          ...good,
          ...tail,
        ]);
        const before = await tableSnapshot(t.db, ['customers', 'orders']);
        const error = await runImport(t, options(file, { source: 'broken', parseInWorker })).then(
          () => null,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(ReaderError);
        expect(error).toMatchObject({ code: 'UnreadableFile', reason: 'record_too_long', row: 10_002 });
        expect(await tableSnapshot(t.db, ['customers', 'orders'])).toEqual(before);
      });
    }
  });
}

describe.skipIf(DIALECTS.length < 2)('orders in bulk on both engines', () => {
  it('stores the same orders on SQLite and PostgreSQL', () => {
    expect(stored.postgres).toEqual(stored.sqlite);
    expect(stored.sqlite?.lines).toHaveLength(9105);
  });
});
