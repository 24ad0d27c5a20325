/**
 * Deterministic order data for benchmarks, written as CSV in the import format:
 * Pareto spend, a repeat-purchase process with dropout, November and June peaks,
 * about 3% returns, Chinese regions and channels. Same seed and scale, same file.
 */

import { once } from 'node:events';
import fs from 'node:fs';
import { createRandom, deriveSeed } from '../src/services/demo/seeded-random.ts';

const REGIONS = ['华东', '华北', '华南', '华中', '西南', '西北', '东北'] as const;
const CHANNELS = ['线下门店', '天猫', '京东', '微信小程序', '抖音', '企业直销'] as const;
const CATEGORIES = ['服装', '数码', '家居', '美妆', '食品', '母婴', '运动', '图书'] as const;
const DAY_MS = 86_400_000;

export type GenerateOptions = {
  customers: number;
  orders: number;
  seed: number;
  out: string;
  endDate?: string;
};

/** Writes the orders CSV; returns the number of order rows written. */
export async function generateOrdersCsv(options: GenerateOptions): Promise<number> {
  const end = Date.parse(`${options.endDate ?? '2024-06-30'}T00:00:00Z`);
  const start = end - 3 * 365 * DAY_MS;
  const meanOrders = options.orders / options.customers;
  const out = fs.createWriteStream(options.out);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write('订单号,客户编号,下单时间,金额,类别,渠道,地区\n');
  let written = 0;
  let chunk = '';
  for (let c = 0; c < options.customers && written < options.orders; c++) {
    const rnd = createRandom(deriveSeed(options.seed, c));
    const code = `B${String(c + 1).padStart(7, '0')}`;
    const region = rnd.pick(REGIONS);
    const spend = 80 * Math.min(rnd.pareto(1.3), 200);
    const count = Math.max(1, rnd.poisson(meanOrders * 0.9) + (rnd.chance(0.1) ? rnd.int(0, 3) : 0));
    let t = start + rnd.next() * (end - start);
    for (let k = 0; k < count && written < options.orders && t <= end; k++) {
      const d = new Date(t);
      // 双11 and 618: pull some orders into the peak weeks
      if (rnd.chance(0.12)) d.setUTCMonth(10, rnd.int(1, 11));
      else if (rnd.chance(0.06)) d.setUTCMonth(5, rnd.int(1, 18));
      const when = Math.min(d.getTime(), end);
      const fen = Math.round(spend * rnd.lognormal(1, 0.6) * 100);
      const amount = rnd.chance(0.03) ? -Math.round(fen / 2) : fen;
      const stamp = new Date(when + rnd.int(8, 22) * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
      written++;
      chunk += `O${written},${code},${stamp},${(amount / 100).toFixed(2)},${rnd.pick(CATEGORIES)},${rnd.pick(CHANNELS)},${region}\n`;
      if (chunk.length > 1 << 16) {
        await write(chunk);
        chunk = '';
      }
      if (rnd.chance(0.12)) break; // dropout after an order
      t += rnd.exponential(75) * DAY_MS;
    }
  }
  await write(chunk);
  out.end();
  await once(out, 'finish');
  return written;
}
