/** The data a bench run measures: generated files, or the UCI Online Retail file. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { generateOrdersCsv } from './generate.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

/** The files a bench run imports, and the date it classifies as of. */
export type Dataset = {
  name: string;
  orders: string;
  customers: string | null;
  orderRows: number;
  asOf: string;
  entityMapping?: Record<string, string>;
};

export async function generatedData(options: {
  customers: number;
  orders: number;
  seed: number;
  asOf: string;
  dataDir: string;
  log: (message: string) => void;
}): Promise<Dataset> {
  const { customers: customersWanted, orders: ordersWanted, asOf, dataDir, log } = options;
  const tag = `${customersWanted}-${ordersWanted}-${options.seed}`;
  const orders = path.join(dataDir, `orders-${tag}.csv`);
  const customers = path.join(dataDir, `customers-${tag}.csv`);
  if (!fs.existsSync(orders) || !fs.existsSync(customers)) {
    log(
      `generating ${customersWanted.toLocaleString('en-US')} customers / ${ordersWanted.toLocaleString('en-US')} orders`,
    );
    await generateOrdersCsv({
      customers: customersWanted,
      orders: ordersWanted,
      seed: options.seed,
      out: `${orders}.part`,
      customersOut: `${customers}.part`,
      endDate: asOf,
    });
    fs.renameSync(`${customers}.part`, customers);
    fs.renameSync(`${orders}.part`, orders);
  }
  return {
    name: `generated, scale ${customersWanted / 1_000_000}`,
    orders,
    customers,
    orderRows: countLines(orders) - 1,
    asOf,
  };
}

/** The UCI Online Retail file beside the repository (../shared/datasets), or null when absent. */
export function uciData(asOf: string): Dataset | null {
  const file = path.resolve(ROOT, '../shared/datasets/online_retail/online_retail.csv');
  if (!fs.existsSync(file)) return null;
  return {
    name: 'UCI Online Retail',
    orders: file,
    customers: null,
    orderRows: countLines(file) - 1,
    asOf,
  };
}

export function countLines(file: string): number {
  const r = spawnSync('wc', ['-l', file], { encoding: 'utf8' });
  return Number(r.stdout.trim().split(/\s+/)[0]);
}

/** The first `lines` lines of `file`, written to `out`. */
export function headLines(file: string, options: { out: string; lines: number }): void {
  const r = spawnSync('sh', [
    '-c',
    'head -n "$1" "$2" > "$3"',
    'head',
    String(options.lines),
    file,
    options.out,
  ]);
  if (r.status !== 0) throw new Error(`could not cut ${file}`);
}
