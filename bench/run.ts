/**
 * `npm run bench [-- --scale 0.01 | --customers N --orders M] [--db postgres://…] [--uci]`
 * (`npm run bench -- --help` lists every option).
 *
 * Generates customer and order data (1,000,000 customers and 10,000,000 orders at
 * scale 1), imports it through Kelei's import path, reclassifies everyone, then
 * reclassifies single customers after a new order, previews a changed scheme, loads
 * the API with autocannon and sizes the web bundle. Every figure is printed beside a
 * baseline measured in the same run (the sqlite3 CLI's `.import` or PostgreSQL COPY,
 * a DuckDB query for the RFM scores) and saved as JSON under bench/results/.
 * Figures only: timing is never asserted in tests.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { valueTierScheme } from '../src/core/schemes/builtin.schemes.ts';
import { migrateToLatest, openDatabase } from '../src/db/connect.ts';
import {
  previewScheme,
  reclassifyCustomer,
  runClassification,
} from '../src/services/classification/classification.service.ts';
import { runImport } from '../src/services/import/import.service.ts';
import { createPiiCipher } from '../src/services/privacy/pii-cipher.ts';
import { loadApi } from './api-load.ts';
import { bulkLoadSqlite, duckdbRfm, postgresCopy, sqliteImport } from './baselines.ts';
import { countLines, generatedData, headLines, uciData } from './datasets.ts';
import { importFloorInChild } from './import-floor.ts';
import { type Figure, printReport } from './table.ts';
import { webBundle } from './web-bundle.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const USAGE = `Usage: npm run bench -- [options]

Generates data, imports it, reclassifies everyone and loads the API; prints every
figure beside a baseline measured in the same run and saves them under bench/results/.

Options:
  --scale <n>            fraction of 1,000,000 customers and 10,000,000 orders (default 1)
  --customers <n>        number of customers (overrides --scale)
  --orders <n>           number of orders (default 10 per customer)
  --db <url>             a postgres:// URL to measure PostgreSQL (default: a SQLite file)
  --seed <n>             seed of the generated data (default 1)
  --as-of <date>         as-of date of the runs (default 2024-06-30; 2011-12-09 with --uci)
  --uci                  measure the UCI Online Retail file instead of generated data
  --data-dir <dir>       where generated files are kept (default bench/data)
  --results-dir <dir>    where results are saved (default bench/results)
  --api-seconds <n>      seconds of each API load (default 10)
  --incremental <n>      customers reclassified one by one (default 200)
  --import-rows <n>      on SQLite, time the import on the first n order rows and
                         bulk-load the whole file for the later steps
  --skip-web             do not build and size the web bundle
  --keep-data            keep full-scale data files after the run
  -h, --help             print this help
`;

function parseOptions() {
  try {
    return parseArgs({
      options: {
        scale: { type: 'string', default: '1' },
        customers: { type: 'string' },
        orders: { type: 'string' },
        db: { type: 'string' },
        seed: { type: 'string', default: '1' },
        'as-of': { type: 'string' },
        uci: { type: 'boolean', default: false },
        'data-dir': { type: 'string', default: path.join(ROOT, 'bench/data') },
        'results-dir': { type: 'string', default: path.join(ROOT, 'bench/results') },
        'api-seconds': { type: 'string', default: '10' },
        incremental: { type: 'string', default: '200' },
        'skip-web': { type: 'boolean', default: false },
        'keep-data': { type: 'boolean', default: false },
        'import-rows': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    // An unknown or malformed option: one line and the usage, not a stack trace.
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n\n${USAGE}`);
    process.exit(2);
  }
}

const { values } = parseOptions();
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

const scale = Number(values.scale);
const customersWanted = Number(values.customers ?? Math.round(1_000_000 * scale));
const ordersWanted = Number(values.orders ?? customersWanted * 10);
const dataDir = path.resolve(values['data-dir'] as string);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kelei-bench-'));
fs.mkdirSync(dataDir, { recursive: true });

const figures: Figure[] = [];

// --- memory: the highest RSS seen while a step runs (sampled, and at the step's end) ---
let stepPeak = 0;
const sampler = setInterval(() => {
  stepPeak = Math.max(stepPeak, process.memoryUsage.rss());
}, 25);
sampler.unref();

/**
 * Writes out what the previous step left in the system's page cache before the next is
 * timed: ten million orders leave gigabytes to write back, and a step that starts while
 * the disk still takes them was measured up to 30% slower.
 */
function settleDisk(): void {
  spawnSync('sync');
}

async function step<T>(
  fn: () => Promise<T> | T,
): Promise<{ seconds: number; result: T; peakRssMb: number; cpuSeconds: number }> {
  settleDisk();
  stepPeak = process.memoryUsage.rss();
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const result = await fn();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  stepPeak = Math.max(stepPeak, process.memoryUsage.rss());
  return {
    seconds,
    result,
    peakRssMb: Math.round(stepPeak / 2 ** 20),
    cpuSeconds: (used.user + used.system) / 1e6,
  };
}

function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

const dataset = values.uci
  ? uciData(values['as-of'] ?? '2011-12-09')
  : await generatedData({
      customers: customersWanted,
      orders: ordersWanted,
      seed: Number(values.seed),
      asOf: values['as-of'] ?? '2024-06-30',
      dataDir,
      log,
    });
if (!dataset) {
  console.log(
    'The UCI Online Retail file is not here (expected ../shared/datasets/online_retail/online_retail.csv beside the repository): nothing to measure.',
  );
  process.exit(0);
}

const target = values.db ? await benchTarget(values.db) : path.join(work, 'bench.db');
const handle = openDatabase(target);
const engine = handle.caps.name;
await migrateToLatest(handle);
const cipher = createPiiCipher(crypto.randomBytes(32));
const asOf = dataset.asOf;

/**
 * On PostgreSQL the bench works in its own schema (kelei_bench), emptied first, so every
 * run starts from the same state and nothing else in the database is touched.
 */
async function benchTarget(url: string): Promise<string> {
  if (!/^postgres(ql)?:\/\//i.test(url)) return url;
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('drop schema if exists kelei_bench cascade');
  await client.query('create schema kelei_bench');
  await client.end();
  const u = new URL(url);
  u.searchParams.set('options', '-c search_path=kelei_bench');
  return u.toString();
}

// --- import ---
// At full scale Kelei's import can be measured on the first `--import-rows` order rows (a
// slice) while the whole file is bulk-loaded for the later steps: on this hardware an
// import of 10,000,000 rows takes longer than everything else together.
const importRows = values['import-rows'] ? Number(values['import-rows']) : null;
const sliced = importRows !== null && engine === 'sqlite' && dataset.orderRows > importRows;
if (sliced && importRows !== null) {
  const orders = path.join(work, 'orders-slice.csv');
  const customers = dataset.customers ? path.join(work, 'customers-slice.csv') : null;
  headLines(dataset.orders, { out: orders, lines: importRows + 1 });
  if (customers && dataset.customers) {
    headLines(dataset.customers, { out: customers, lines: Math.ceil(importRows / 10) + 1 });
  }
  const scratch = openDatabase(path.join(work, 'slice.db'));
  await migrateToLatest(scratch);
  await measureImport(scratch, { orders, customers, orderRows: importRows, slice: true });
  await scratch.close();
  fs.rmSync(path.join(work, 'slice.db'), { force: true });
  log('bulk-loading the whole file with the sqlite3 CLI for the later steps');
  const started = process.hrtime.bigint();
  bulkLoadSqlite(target, dataset);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  // What the engine itself needs to put these rows into Kelei's tables with their indexes
  // (unique order numbers, customer and date), with no cleaning, checks or JavaScript: a
  // ceiling for any import through SQLite on this machine.
  figures.push({
    key: 'import_orders_sqlite_ceiling',
    label: "sqlite3 CLI: the whole file into Kelei's indexed tables, plain SQL (rows/s)",
    unit: 'rows/s',
    value: dataset.orderRows / seconds,
    detail: { rows: dataset.orderRows, seconds, includesCustomers: true },
  });
} else {
  await measureImport(handle, {
    orders: dataset.orders,
    customers: dataset.customers,
    orderRows: dataset.orderRows,
    slice: false,
  });
}

async function measureImport(
  into: typeof handle,
  files: { orders: string; customers: string | null; orderRows: number; slice: boolean },
): Promise<void> {
  const scope = files.slice ? `, first ${files.orderRows.toLocaleString('en-US')} rows` : '';
  if (files.customers) {
    const file = files.customers;
    const rows = countLines(file) - 1;
    log('importing customers');
    const r = await step(() =>
      runImport(into, {
        entity: 'customers',
        file,
        cipher,
        timeZone: 'Asia/Shanghai',
        now: () => new Date(),
        errorReportDir: work,
      }),
    );
    figures.push({
      key: 'import_customers',
      label: `import customers CSV (rows/s)`,
      unit: 'rows/s',
      value: rows / r.seconds,
      detail: { rows, seconds: r.seconds, counts: r.result.counts, slice: files.slice },
      peakRssMb: r.peakRssMb,
      cpuSeconds: r.cpuSeconds,
    });
  }
  log(`importing orders${scope}`);
  const imported = await step(() =>
    runImport(into, {
      entity: 'orders',
      file: files.orders,
      cipher,
      timeZone: 'Asia/Shanghai',
      now: () => new Date(),
      errorReportDir: work,
      skipInvalid: true,
    }),
  );
  if (!imported.result.committed) {
    throw new Error(`the orders import did not commit: ${JSON.stringify(imported.result.errors[0])}`);
  }
  log('baseline: bulk load of the same file');
  settleDisk();
  const bulk =
    engine === 'postgres' ? await postgresCopy(target, files.orders) : sqliteImport(files.orders, work);
  figures.push({
    key: 'import_orders',
    label: `import orders CSV (rows/s${files.slice ? `, first ${files.orderRows.toLocaleString('en-US')}` : ''})`,
    unit: 'rows/s',
    value: files.orderRows / imported.seconds,
    baseline: { label: bulk.label, value: bulk.seconds === null ? null : files.orderRows / bulk.seconds },
    ratio: bulk.seconds === null ? null : bulk.seconds / imported.seconds,
    target: '≥ 300,000',
    detail: {
      rows: files.orderRows,
      slice: files.slice,
      seconds: imported.seconds,
      baselineSeconds: bulk.seconds,
      counts: imported.result.counts,
    },
    peakRssMb: imported.peakRssMb,
    cpuSeconds: imported.cpuSeconds,
  });
  if (engine === 'sqlite' && !files.slice && files.customers) {
    log("floor: the same orders, parsed beforehand, appended by Kelei's statements into a fresh database");
    settleDisk();
    const floor = importFloorInChild(files.orders, work);
    figures.push({
      key: 'import_orders_floor',
      label: "floor: the orders already parsed in memory, appended by Kelei's statements (rows/s)",
      unit: 'rows/s',
      value: floor.rows / floor.seconds,
      detail: floor,
    });
  }
}

// --- full reclassification ---
log('full reclassification');
const fullPhases: Record<string, number> = {};
const full = await step(() =>
  runClassification(handle, {
    asOf,
    now: () => new Date(),
    onPhase: (name, seconds) => {
      fullPhases[name] = seconds;
    },
  }),
);
const population = full.result[0]?.population ?? 0;
log('baseline: DuckDB RFM over the CSV');
const duck = await duckdbRfm(dataset, asOf);
figures.push({
  key: 'reclassify_full',
  label: 'full reclassification, 4 schemes (s)',
  unit: 's',
  value: full.seconds,
  baseline: { label: 'DuckDB RFM query', value: duck.seconds },
  ratio: duck.seconds === null ? null : duck.seconds / full.seconds,
  target: '≤ 20',
  detail: {
    customers: population,
    customersPerSecond: population / full.seconds,
    changed: Object.fromEntries(full.result.map((s) => [s.schemeKey, s.changed])),
    duckdbScored: duck.scored,
    phases: fullPhases,
  },
  peakRssMb: full.peakRssMb,
  cpuSeconds: full.cpuSeconds,
});

log('second full reclassification (few changes)');
const againPhases: Record<string, number> = {};
const again = await step(() =>
  runClassification(handle, {
    asOf,
    now: () => new Date(),
    onPhase: (name, seconds) => {
      againPhases[name] = seconds;
    },
  }),
);
figures.push({
  key: 'reclassify_full_repeat',
  label: 'full reclassification, repeated (s)',
  unit: 's',
  value: again.seconds,
  baseline: { label: 'DuckDB RFM query', value: duck.seconds },
  ratio: duck.seconds === null ? null : duck.seconds / again.seconds,
  target: '≤ 20',
  detail: {
    phases: againPhases,
    changed: Object.fromEntries(again.result.map((r) => [r.schemeKey, r.changed])),
  },
  peakRssMb: again.peakRssMb,
  cpuSeconds: again.cpuSeconds,
});

log('full reclassification one day later (every metric moves, some classes)');
const nextDay = new Date(Date.parse(`${asOf}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
const nightlyPhases: Record<string, number> = {};
const nightly = await step(() =>
  runClassification(handle, {
    asOf: nextDay,
    now: () => new Date(),
    onPhase: (name, seconds) => {
      nightlyPhases[name] = seconds;
    },
  }),
);
figures.push({
  key: 'reclassify_full_next_day',
  label: 'full reclassification, next day (s)',
  unit: 's',
  value: nightly.seconds,
  baseline: { label: 'DuckDB RFM query', value: duck.seconds },
  ratio: duck.seconds === null ? null : duck.seconds / nightly.seconds,
  target: '≤ 20',
  detail: {
    asOf: nextDay,
    phases: nightlyPhases,
    changed: Object.fromEntries(nightly.result.map((r) => [r.schemeKey, r.changed])),
  },
  peakRssMb: nightly.peakRssMb,
  cpuSeconds: nightly.cpuSeconds,
});

// --- one customer after a new order ---
const sampleCodes = await pickCustomers(Number(values.incremental));
log(`incremental reclassification of ${sampleCodes.length} customers`);
const incremental = await step(async () => {
  const times: number[] = [];
  for (const [i, c] of sampleCodes.entries()) {
    await handle.db
      .insertInto('orders')
      .values({
        customer_id: c.id,
        source: 'bench',
        external_id: `bench-${i}`,
        ordered_at: `${asOf} 12:00:00`,
        order_date: asOf,
        amount: 12_800 + i,
        cost: null,
        quantity: 1,
        product: null,
        category: '数码',
        channel: '天猫',
        status: 'completed',
        import_job_id: null,
        created_at: new Date().toISOString(),
      })
      .execute();
    const started = process.hrtime.bigint();
    await reclassifyCustomer(handle, { customerId: c.id, now: () => new Date() });
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return times.sort((a, b) => a - b);
});
const pct = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : null;
figures.push({
  key: 'reclassify_one_p50',
  label: 'reclassify one customer, median (ms)',
  unit: 'ms',
  value: pct(incremental.result, 50),
  target: '≤ 5',
  detail: { customers: incremental.result.length },
  peakRssMb: incremental.peakRssMb,
});
figures.push({
  key: 'reclassify_one_p95',
  label: 'reclassify one customer, p95 (ms)',
  unit: 'ms',
  value: pct(incremental.result, 95),
  target: '≤ 5',
  peakRssMb: incremental.peakRssMb,
});

async function pickCustomers(n: number): Promise<{ id: number; code: string }[]> {
  const range = await handle.db
    .selectFrom('customers')
    .select((eb) => [eb.fn.min('id').as('low'), eb.fn.max('id').as('high')])
    .executeTakeFirstOrThrow();
  const low = Number(range.low);
  const high = Number(range.high);
  const out: { id: number; code: string }[] = [];
  for (let k = 0; k < n; k++) {
    const wanted = low + Math.floor(((high - low) * k) / Math.max(1, n));
    const row = await handle.db
      .selectFrom('customers')
      .select(['id', 'code'])
      .where('id', '>=', wanted)
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    if (row && !out.some((c) => c.id === Number(row.id))) out.push({ id: Number(row.id), code: row.code });
  }
  return out;
}

// --- scheme preview ---
log('scheme preview');
const preview = await step(() =>
  previewScheme(handle, { definition: { ...valueTierScheme, params: { high: 5000, medium: 1000 } }, asOf }),
);
figures.push({
  key: 'scheme_preview',
  label: 'scheme preview, changed threshold (s)',
  unit: 's',
  value: preview.seconds,
  detail: { changed: preview.result.changed },
  peakRssMb: preview.peakRssMb,
  cpuSeconds: preview.cpuSeconds,
});

// --- API under load ---
log('API under autocannon');
const api = await step(() =>
  loadApi({
    handle,
    target,
    cipher,
    sampleCodes,
    seconds: Number(values['api-seconds']),
    workDir: work,
  }),
);
for (const f of api.result) figures.push({ ...f, peakRssMb: api.peakRssMb });

// --- web bundle ---
if (!values['skip-web']) {
  log('web bundle');
  const web = await webBundle();
  figures.push({
    key: 'web_initial_js_gzip',
    label: 'web bundle, initial JS gzipped (KB)',
    unit: 'KB',
    value: web.kb,
    target: '≤ 600',
    detail: { files: web.files },
  });
}

// --- report ---
await handle.close();
clearInterval(sampler);
const versions = {
  node: process.version,
  kelei: JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version as string,
  sqlite: spawnSync('/usr/bin/sqlite3', ['--version'], { encoding: 'utf8' }).stdout?.split(' ')[0] ?? null,
  sqliteLibrary: await sqliteLibraryVersion(),
  postgres: engine === 'postgres' ? await postgresVersion(target) : null,
  commit:
    spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim() || null,
};
const machine = {
  cores: os.cpus().length,
  cpu: os.cpus()[0]?.model ?? null,
  memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
  platform: `${os.platform()} ${os.release()}`,
};
const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
const report = {
  date: new Date().toISOString(),
  engine,
  dataset: dataset.name,
  scale: values.uci ? null : customersWanted / 1_000_000,
  customers: population,
  orderRows: dataset.orderRows,
  asOf,
  machine,
  versions,
  processPeakRssMb: peakRssMb,
  figures,
};

/** The SQLite library Kelei runs on (bundled with better-sqlite3), not the CLI's. */
async function sqliteLibraryVersion(): Promise<string | null> {
  const memory = openDatabase(':memory:');
  const row = await sql<{ v: string }>`select sqlite_version() as v`.execute(memory.db);
  await memory.close();
  return row.rows[0]?.v ?? null;
}

async function postgresVersion(url: string): Promise<string | null> {
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const r = await client.query('show server_version');
  await client.end();
  return (r.rows[0]?.server_version as string) ?? null;
}

printReport(report);

const resultsDir = path.resolve(values['results-dir'] as string);
fs.mkdirSync(resultsDir, { recursive: true });
const name = `${engine}${values.uci ? '-uci' : ''}`;
const stamped = path.join(
  resultsDir,
  `${report.date.replace(/[:.]/g, '-')}-${name}-${values.uci ? 'uci' : `s${report.scale}`}.json`,
);
fs.writeFileSync(stamped, `${JSON.stringify(report, null, 2)}\n`);
// The default-scale (and UCI) result is kept under a stable name, so runs can be compared over time.
if (values.uci || (values.customers === undefined && scale === 1)) {
  fs.writeFileSync(path.join(resultsDir, `latest-${name}.json`), `${JSON.stringify(report, null, 2)}\n`);
}
console.log(`results: ${path.relative(process.cwd(), stamped)}`);
fs.rmSync(work, { recursive: true, force: true });
if (!values['keep-data'] && !values.uci && scale >= 1) {
  // full-scale files are large; smaller ones are kept for the next run
  fs.rmSync(dataset.orders, { force: true });
  if (dataset.customers) fs.rmSync(dataset.customers, { force: true });
}
process.exit(0);
