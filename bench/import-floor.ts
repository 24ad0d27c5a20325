/**
 * What Kelei's own statements cost an import on this machine, with nothing else: the
 * generated orders, already parsed into Kelei's batches in memory, appended by Kelei's
 * `OrderAppender` into a fresh database with Kelei's schema and settings, in one
 * transaction as Kelei's import runs it (a bulk transaction, the customer index built at
 * the end), after the file's customers were stored and committed in a transaction of
 * their own. Only the appends, the index and the commit are timed; reading, parsing and
 * cleaning are not. An import that runs near this figure is limited by SQLite, not by
 * its parsing (which runs in a worker on the other core). Like every figure, it moves
 * by 10–20% from one run to the next, with the host and the state of the disk.
 *
 * The bench runs it in a process of its own (`importFloorInChild`), so the memory it
 * leaves behind does not count against the steps that follow.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { type OrderBatch, OrderBatcher } from '../src/core/import/order-batch.ts';
import { emptyOrderLine } from '../src/core/import/order-lines.ts';
import { restoreIndex, suspendIndex } from '../src/db/bulk.ts';
import { migrateToLatest, openDatabase } from '../src/db/connect.ts';
import { OrderAppender } from '../src/db/dialects/sqlite/sqlite-order-writer.ts';
import { sqlitePreparer } from '../src/db/dialects/sqlite/sqlite-prepared.ts';
import { ORDER_CUSTOMER_INDEX } from '../src/db/imports/order-import.repository.ts';

const BATCH = 65_536;

type FloorResult = { rows: number; seconds: number; appendSeconds: number; commitSeconds: number };

/** {@link importFloor} in a child process: `node --import tsx bench/import-floor.ts <csv> <dir>`. */
export function importFloorInChild(ordersCsv: string, workDir: string): FloorResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', import.meta.filename, ordersCsv, workDir], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`the import floor failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as FloorResult;
}

/** Rows/s of the appends and commit alone, for the generated orders file (no quoted cells). */
export async function importFloor(ordersCsv: string, workDir: string): Promise<FloorResult> {
  const file = path.join(workDir, 'floor.db');
  for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
  const handle = openDatabase(file);
  try {
    await migrateToLatest(handle);
    const prepare = sqlitePreparer(handle.db);
    const now = new Date().toISOString();
    const addCustomer = prepare(
      `insert into customers (code, kind, consent_marketing, opening_order_count, opening_amount, version,
        created_at, updated_at) values (?, 'individual', 0, 0, 0, 1, ?, ?) returning id`,
    );
    // The customers first, committed, as the bench imports them before the orders.
    const ids = new Map<string, number>();
    await handle.bulkTransaction(async () => {
      for await (const cells of dataCells(ordersCsv)) {
        const code = cells[1];
        if (code !== undefined && !ids.has(code))
          ids.set(code, Number(addCustomer.all([code, now, now])[0]?.id));
      }
    });
    let appendNs = 0n;
    let rows = 0;
    let appended = 0n;
    // As Kelei's import of orders into an empty table: a bulk transaction, the (customer,
    // date) index built at the end (counted with the appends).
    await handle.bulkTransaction(async (trx) => {
      await suspendIndex(trx, ORDER_CUSTOMER_INDEX);
      const appender = new OrderAppender(prepare, { source: 'import', jobId: 1, now });
      const append = (batch: OrderBatch) => {
        const customerIds = batch.codes.map((code) => ids.get(code) as number);
        const started = process.hrtime.bigint();
        appender.append(batch, customerIds);
        appendNs += process.hrtime.bigint() - started;
        rows += batch.size;
      };
      // Every generated line has an order number: the content hash for lines without one is never needed.
      const batcher = new OrderBatcher({ capacity: BATCH, hash: (content) => content, emit: append });
      const line = emptyOrderLine();
      // Order no, customer code, time, yuan, category, channel, region.
      for await (const cells of dataCells(ordersCsv)) {
        line.row++;
        line.orderNo = cells[0];
        line.customerCode = cells[1];
        line.orderedAt = cells[2];
        line.orderDate = cells[2].slice(0, 10);
        line.amount = Math.round(Number(cells[3]) * 100);
        line.category = cells[4] || null;
        line.channel = cells[5] || null;
        batcher.countRow();
        batcher.add(line);
      }
      batcher.flush();
      const started = process.hrtime.bigint();
      await restoreIndex(trx, handle.caps, ORDER_CUSTOMER_INDEX);
      appendNs += process.hrtime.bigint() - started;
      appended = process.hrtime.bigint();
    });
    const commitSeconds = Number(process.hrtime.bigint() - appended) / 1e9;
    const appendSeconds = Number(appendNs) / 1e9;
    return { rows, seconds: appendSeconds + commitSeconds, appendSeconds, commitSeconds };
  } finally {
    await handle.close();
    for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
  }
}

/** The cells of each data line of the generated orders file, which has no quoted cells. */
async function* dataCells(csv: string): AsyncGenerator<string[]> {
  let header = true;
  for await (const text of readline.createInterface({ input: fs.createReadStream(csv) })) {
    if (!header && text) yield text.split(',');
    header = false;
  }
}

if (process.argv[1] === import.meta.filename) {
  const [csv, dir] = process.argv.slice(2);
  console.log(JSON.stringify(await importFloor(csv, dir)));
}
