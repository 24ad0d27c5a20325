/**
 * `npm run bench [-- --customers N --orders M --db postgres://…]`: generates order data,
 * imports it through the import service, reclassifies everything and previews a
 * changed scheme, printing each figure beside a baseline measured in the same run
 * (the sqlite3 CLI's `.import` of the same file). Figures only: timing is never
 * asserted in tests.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { valueTierScheme } from '../src/core/schemes/builtin.schemes.ts';
import { migrateToLatest, openDatabase } from '../src/db/connect.ts';
import { previewScheme, runClassification } from '../src/services/classification/classification.service.ts';
import { runImport } from '../src/services/import/import.service.ts';
import { createPiiCipher } from '../src/services/privacy/pii-cipher.ts';
import { generateOrdersCsv } from './generate.ts';

const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '20000' },
    orders: { type: 'string' },
    db: { type: 'string' },
    seed: { type: 'string', default: '1' },
    'as-of': { type: 'string', default: '2024-06-30' },
  },
});
const customers = Number(values.customers);
const ordersWanted = Number(values.orders ?? customers * 10);
const asOf = values['as-of'] as string;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kelei-bench-'));
const csv = path.join(dir, 'orders.csv');

let peakRss = 0;
const sample = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);

async function timed<T>(fn: () => Promise<T> | T): Promise<{ seconds: number; result: T }> {
  const started = process.hrtime.bigint();
  const result = await fn();
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, result };
}

const rows = await generateOrdersCsv({
  customers,
  orders: ordersWanted,
  seed: Number(values.seed),
  out: csv,
  endDate: asOf,
});

const handle = openDatabase(values.db ?? path.join(dir, 'bench.db'));
await migrateToLatest(handle);
const cipher = createPiiCipher(crypto.randomBytes(32));
const imported = await timed(() =>
  runImport(handle, {
    entity: 'orders',
    file: csv,
    cipher,
    timeZone: 'Asia/Shanghai',
    now: () => new Date(),
    errorReportDir: dir,
  }),
);

// Baseline: the sqlite3 command-line tool loading the same file into a bare table.
const baseline = await timed(() =>
  spawnSync('sqlite3', [path.join(dir, 'baseline.db'), '.mode csv', `.import ${csv} orders`], {
    encoding: 'utf8',
  }),
);
const baselineOk = baseline.result.status === 0;

const full = await timed(() => runClassification(handle, { asOf, now: () => new Date() }));
const preview = await timed(() =>
  previewScheme(handle, { definition: { ...valueTierScheme, params: { high: 5000, medium: 1000 } }, asOf }),
);
clearInterval(sample);
peakRss = Math.max(peakRss, process.memoryUsage().rss);

const rate = (n: number, s: number) => Math.round(n / s).toLocaleString('en-US');
const line = (label: string, figure: string, base = '', ratio = '') =>
  console.log(`${label.padEnd(44)} ${figure.padStart(16)} ${base.padStart(20)} ${ratio.padStart(8)}`);

const population = imported.result.counts.newCustomers;
console.log(
  `Kelei bench — ${handle.caps.name}, ${population.toLocaleString('en-US')} customers, ${rows.toLocaleString('en-US')} order rows, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
);
line('figure', 'Kelei', 'baseline', 'ratio');
line(
  'import orders CSV (rows/s)',
  rate(rows, imported.seconds),
  baselineOk ? `${rate(rows, baseline.seconds)} sqlite3 .import` : 'sqlite3 missing',
  baselineOk ? (baseline.seconds / imported.seconds).toFixed(2) : '',
);
line('full reclassification, 4 schemes (s)', full.seconds.toFixed(2));
line('customers classified per second', rate(population, full.seconds));
line('scheme preview, changed threshold (s)', preview.seconds.toFixed(2));
line('peak RSS (MB)', (peakRss / 2 ** 20).toFixed(0));
await handle.close();
fs.rmSync(dir, { recursive: true, force: true });
