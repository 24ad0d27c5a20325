/**
 * What Kelei's figures are compared with, measured in the same run: bulk loads by the
 * sqlite3 CLI and PostgreSQL COPY, and DuckDB's RFM query over the orders CSV.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Dataset } from './datasets.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

/**
 * Loads the generated files into Kelei's tables with the sqlite3 CLI and plain SQL (the
 * rows Kelei's import would write, without its checks), so later steps run at full scale.
 */
export function bulkLoadSqlite(db: string, data: Dataset): void {
  if (!data.customers) throw new Error('bulk loading needs the generated customers file');
  const now = new Date().toISOString();
  const script = `
.bail on
create temp table stage_customers(code, name, gender, region, province, city, channel);
create temp table stage_orders(order_no, code, at, amount, category, channel, region);
.mode csv
.import --skip 1 ${data.customers} stage_customers
.import --skip 1 ${data.orders} stage_orders
begin;
insert into customers (code, name, kind, gender, region, province, city, source, consent_marketing,
  opening_order_count, opening_amount, version, created_at, updated_at)
select code, name, 'individual', case gender when '女' then 'female' when '男' then 'male' end,
  region, province, city, channel, 0, 0, 0, 1, '${now}', '${now}' from stage_customers;
insert into orders (customer_id, source, external_id, ordered_at, order_date, amount, category, channel,
  status, created_at)
select c.id, 'import', s.order_no, s.at, substr(s.at, 1, 10), cast(round(s.amount * 100) as integer),
  s.category, s.channel, 'completed', '${now}'
from stage_orders s join customers c on c.code = s.code;
commit;
`;
  const r = spawnSync('/usr/bin/sqlite3', [db], { input: script, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`bulk load failed: ${r.stderr}`);
}

/** The sqlite3 CLI's `.import` of `file` into a bare table of a scratch database in `workDir`. */
export function sqliteImport(file: string, workDir: string): { label: string; seconds: number | null } {
  const db = path.join(workDir, 'baseline.db');
  const started = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/sqlite3', [db, '.mode csv', `.import ${file} orders`], { encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  fs.rmSync(db, { force: true });
  return r.status === 0
    ? { label: 'sqlite3 .import', seconds }
    : { label: 'sqlite3 CLI missing', seconds: null };
}

/** The header line of a file too large to read whole (ten million rows is past a string's limit). */
function firstLine(file: string): string {
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(4096);
    const n = fs.readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, n).toString('utf8').split(/\r?\n/)[0] ?? '';
  } finally {
    fs.closeSync(fd);
  }
}

/** PostgreSQL `COPY` of `file` into a bare table of text columns. */
export async function postgresCopy(
  url: string,
  file: string,
): Promise<{ label: string; seconds: number | null }> {
  const pg = (await import('pg')).default;
  const { from } = await import('pg-copy-streams');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const header = firstLine(file);
  const columns = header.split(',').map((_, i) => `c${i} text`);
  await client.query(`drop table if exists bench_copy; create table bench_copy (${columns.join(', ')})`);
  const started = process.hrtime.bigint();
  await pipeline(
    fs.createReadStream(file),
    client.query(from('copy bench_copy from stdin with (format csv, header true)')),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await client.query('drop table bench_copy');
  await client.end();
  return { label: 'PostgreSQL COPY', seconds };
}

/**
 * The same RFM metrics and quintile scores computed by DuckDB straight from the CSV, in a
 * child process so DuckDB's memory does not count as Kelei's.
 */
export async function duckdbRfm(
  data: Dataset,
  day: string,
): Promise<{ seconds: number | null; scored: number | null }> {
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(ROOT, 'bench/duckdb-rfm.ts'),
      JSON.stringify({ orders: data.orders, lines: data.customers === null, asOf: day }),
    ],
    { cwd: ROOT, encoding: 'utf8' },
  );
  if (r.status !== 0) return { seconds: null, scored: null };
  return JSON.parse(r.stdout.trim().split('\n').at(-1) as string);
}
