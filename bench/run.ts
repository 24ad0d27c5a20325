/**
 * `npm run bench [-- --customers N] [-- --db postgres://…]`: loads generated demo data
 * into a fresh database and times the main job (full reclassification, a scheme
 * preview). Figures only — timing is never asserted in tests.
 */

import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { valueTierScheme } from '../src/core/schemes/builtin.schemes.ts';
import { migrateToLatest, openDatabase } from '../src/db/connect.ts';
import { previewScheme, runClassification } from '../src/services/classification/classification.service.ts';
import { loadDemo } from '../src/services/demo/demo.loader.ts';
import { createPiiCipher } from '../src/services/privacy/pii-cipher.ts';

const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '20000' },
    db: { type: 'string' },
    'as-of': { type: 'string', default: '2024-06-30' },
  },
});
const customers = Number(values.customers);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kelei-bench-'));
const target = values.db ?? path.join(dir, 'bench.db');
const handle = openDatabase(target);
await migrateToLatest(handle);

let peakRss = 0;
const sample = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);

async function timed<T>(
  label: string,
  fn: () => Promise<T>,
): Promise<{ label: string; seconds: number; result: T }> {
  const started = process.hrtime.bigint();
  const result = await fn();
  return { label, seconds: Number(process.hrtime.bigint() - started) / 1e9, result };
}

const asOf = values['as-of'] as string;
const cipher = createPiiCipher(crypto.randomBytes(32));
const load = await timed('load demo data', () => loadDemo({ handle, cipher, seed: 1, customers, asOf }));
const full = await timed('full reclassification (metrics + 4 schemes + history)', () =>
  runClassification(handle, { asOf, now: () => new Date() }),
);
const preview = await timed('scheme preview (value_tier, changed threshold)', () =>
  previewScheme(handle, { definition: { ...valueTierScheme, params: { high: 5000, medium: 1000 } }, asOf }),
);
clearInterval(sample);
peakRss = Math.max(peakRss, process.memoryUsage().rss);

console.log(
  `Kelei bench — ${handle.caps.name}, ${customers.toLocaleString('en-US')} customers, ${load.result.orders.toLocaleString('en-US')} orders, ${os.cpus().length} cores, Node ${process.version}`,
);
for (const r of [load, full, preview])
  console.log(`${r.label.padEnd(58)} ${r.seconds.toFixed(2).padStart(8)} s`);
console.log(
  `${'customers classified per second'.padEnd(58)} ${Math.round(customers / full.seconds)
    .toLocaleString('en-US')
    .padStart(8)}`,
);
console.log(`${'peak RSS'.padEnd(58)} ${(peakRss / 1024 / 1024).toFixed(0).padStart(8)} MB`);
await handle.close();
fs.rmSync(dir, { recursive: true, force: true });
