import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleSizes } from '../../scripts/bundle-size.mjs';
import { ensureWebBuilt } from '../support/browser.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

describe('web bundle', () => {
  it('is code-split by page and loads at most 600 KB of gzipped JavaScript first', () => {
    ensureWebBuilt();
    const dist = process.env.KELEI_WEB_DIST
      ? path.resolve(process.env.KELEI_WEB_DIST)
      : path.join(ROOT, 'web/dist');
    const sizes = bundleSizes(dist);
    console.log(`initial JavaScript ${(sizes.initial.gzip / 1024).toFixed(1)} KB gzipped`);
    expect(sizes.initial.gzip).toBeLessThanOrEqual(600 * 1024);
    // Every page is its own chunk, none of them in the first load.
    const lazy = sizes.lazy.files.map((f) => f.file).join(' ');
    for (const page of [
      'dashboard',
      'customers',
      'customer-detail',
      'imports',
      'schemes',
      'scheme-detail',
      'settings',
    ]) {
      expect(lazy).toMatch(new RegExp(`assets/${page}\\.page-`));
    }
    // ECharts is only fetched by pages that draw charts.
    expect(sizes.initial.files.map((f) => f.file).join(' ')).not.toMatch(/echarts/);
  });
});
