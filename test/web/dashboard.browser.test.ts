import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiFromPage,
  BROWSER_AVAILABLE,
  DESKTOP,
  type Kelei,
  LAPTOP,
  launchBrowser,
  pageScrollsHorizontally,
  screenshot,
  signIn,
  startKelei,
} from '../support/browser.ts';

/** Every chart of a classified database with two runs per scheme. */
const CHARTS = [
  'class-distribution',
  'class-share',
  'retention',
  'class-trend',
  'class-transitions',
  'rfm-heatmap',
  'value-potential',
  'satisfaction',
];

/** Generous: the browser tests share a small machine with builds and other suites. */
const TEST_TIMEOUT = 240_000;

async function chartsDrawn(page: Page, names: string[]): Promise<void> {
  for (const name of names) {
    await page.locator(`[data-chart="${name}"][data-drawn="true"]`).waitFor();
  }
}

/** The a year before today, so the second run has a previous run to compare with. */
function yearAgo(): string {
  const d = new Date();
  d.setUTCFullYear(d.getUTCFullYear() - 1);
  return d.toISOString().slice(0, 10);
}

describe.skipIf(!BROWSER_AVAILABLE)('dashboard (概览)', () => {
  let kelei: Kelei;
  beforeAll(async () => {
    kelei = await startKelei('sqlite');
  }, 240_000);
  afterAll(async () => {
    await kelei?.stop();
  });

  it(
    'a fresh database shows a welcome with the way to the import page, then a way to classify once customers are in',
    async () => {
      const browser = await launchBrowser(LAPTOP);
      try {
        const page = await browser.newPage();
        await signIn(page, kelei);
        await page.goto(`${kelei.url}/`);
        const empty = page.getByTestId('dashboard-empty');
        await empty.waitFor();
        expect(await empty.textContent()).toContain('还没有客户数据');
        expect(await page.locator('[data-chart]').count()).toBe(0);
        expect(await pageScrollsHorizontally(page)).toBe(false);
        await screenshot(page, 'dashboard-empty-1366');

        await page.getByTestId('empty-import-link').click();
        await page.waitForURL('**/imports');

        // Customers but no classification yet: a way to classify, still no broken charts.
        await kelei.cli(['demo', '--customers', '400']);
        await page.goto(`${kelei.url}/`);
        const notClassified = page.getByTestId('dashboard-not-classified');
        await notClassified.waitFor();
        expect(await notClassified.textContent()).toContain('立即分类');
        await expect.poll(() => page.getByTestId('total-customers').textContent()).toContain('400');
        expect(await page.locator('[data-chart="class-distribution"]').count()).toBe(0);
        expect(await pageScrollsHorizontally(page)).toBe(false);
        await screenshot(page, 'dashboard-not-classified-1366');
      } finally {
        await browser.closeAll();
      }
    },
    TEST_TIMEOUT,
  );

  it(
    'draws every chart from demo data with two runs, shows the real totals, and a class bar or heat map cell opens its customers',
    async () => {
      // Two runs per scheme, a year apart, so there is a transition matrix between them.
      await kelei.cli(['classify', '--as-of', yearAgo()]);
      await kelei.cli(['classify']);

      const browser = await launchBrowser(LAPTOP);
      try {
        const page = await browser.newPage();
        await signIn(page, kelei);
        await page.goto(`${kelei.url}/`);
        await chartsDrawn(page, CHARTS);

        const { status, body } = await apiFromPage(page, 'GET /dashboard');
        expect(status).toBe(200);
        expect(body.totals.customers).toBe(400);
        await expect
          .poll(() => page.getByTestId('total-customers').textContent())
          .toContain(body.totals.customers.toLocaleString('zh-CN'));
        expect(await page.getByTestId('total-orders').textContent()).toContain(
          body.totals.orders.toLocaleString('zh-CN'),
        );
        // Both runs are there: the transitions panel draws a Sankey, not the "first run" hint.
        expect(body.transitions.every((t) => t.fromRunId !== null)).toBe(true);
        expect(await page.getByTestId('panel-transitions-empty').count()).toBe(0);
        expect(await page.getByTestId('recent-runs').textContent()).toContain('成功');
        expect(await pageScrollsHorizontally(page)).toBe(false);
        await screenshot(page, 'dashboard-1366');

        // Another scheme redraws the scheme panels and is kept in the address.
        await page.getByTestId('scheme-switch').getByText('RFM 八类').click();
        await page.waitForURL('**/?scheme=rfm8');
        await expect
          .poll(() => page.getByTestId('scheme-switch').locator('.ant-segmented-item-selected').textContent())
          .toBe('RFM 八类');
        await chartsDrawn(page, ['class-distribution', 'class-transitions']);
        // Moves only: the customers who stayed in their class drop out of the Sankey.
        await page.getByTestId('panel-transitions').getByText('仅变动').click();
        await chartsDrawn(page, ['class-transitions']);
        expect(await page.getByTestId('panel-transitions-empty').count()).toBe(0);
        await screenshot(page, 'dashboard-rfm8-1366');

        // Click the bar of the largest value_tier class: each class owns an equal band of the plot.
        await page.getByTestId('scheme-switch').getByText('价值分层').click();
        await page.waitForURL('**/?scheme=value_tier');
        // The address changes before React renders the switch: wait for the page itself.
        await expect
          .poll(() => page.getByTestId('scheme-switch').locator('.ant-segmented-item-selected').textContent())
          .toBe('价值分层');
        await chartsDrawn(page, ['class-distribution']);
        const scheme = body.distribution.find((d) => d.schemeKey === 'value_tier');
        if (!scheme) throw new Error('value_tier missing from the dashboard');
        const largest = scheme.classes.reduce(
          (best, c, i) => (c.customers > scheme.classes[best].customers ? i : best),
          0,
        );
        const box = await page.locator('[data-chart="class-distribution"]').boundingBox();
        if (!box) throw new Error('class bar chart has no box');
        const grid = { left: 132, top: 8, bottom: 8 }; // DISTRIBUTION_GRID in class-distribution.tsx
        const band = (box.height - grid.top - grid.bottom) / scheme.classes.length;
        await page.mouse.click(box.x + grid.left + 8, box.y + grid.top + band * (largest + 0.5));
        await page.waitForURL('**/customers?**');
        const url = new URL(page.url());
        expect(url.pathname).toBe('/customers');
        expect(url.searchParams.get('scheme')).toBe('value_tier');
        expect(url.searchParams.get('class')).toBe(scheme.classes[largest].key);

        // A heat map cell lists the customers with that R and F score (rows: R 1 at the bottom).
        await page.goto(`${kelei.url}/`);
        await chartsDrawn(page, ['rfm-heatmap']);
        const cell = body.rfmHeatmap.reduce((best, c) => (c.customers > best.customers ? c : best));
        const heatmap = page.locator('[data-chart="rfm-heatmap"]');
        await heatmap.scrollIntoViewIfNeeded();
        const heat = await heatmap.boundingBox();
        if (!heat) throw new Error('heat map has no box');
        const plot = { left: 56, right: 16, top: 12, bottom: 78 }; // grid in rfm-heatmap.tsx
        const cellWidth = (heat.width - plot.left - plot.right) / 5;
        const cellHeight = (heat.height - plot.top - plot.bottom) / 5;
        await page.mouse.click(
          heat.x + plot.left + cellWidth * (cell.f - 0.5),
          heat.y + plot.top + cellHeight * (5 - cell.r + 0.5),
        );
        await page.waitForURL('**/customers?**');
        expect(new URL(page.url()).searchParams.get('rule')).toBe(
          `r_score = ${cell.r} and f_score = ${cell.f}`,
        );
      } finally {
        await browser.closeAll();
      }
    },
    TEST_TIMEOUT,
  );

  it(
    'fits a 1920 screen without sideways scroll and reads in English',
    async () => {
      const browser = await launchBrowser(DESKTOP);
      try {
        const page = await browser.newPage();
        await signIn(page, kelei);
        await page.goto(`${kelei.url}/`);
        await chartsDrawn(page, CHARTS);
        expect(await pageScrollsHorizontally(page)).toBe(false);
        await screenshot(page, 'dashboard-1920');

        await page.getByText('English', { exact: true }).click();
        await expect
          .poll(() => page.getByTestId('panel-distribution').textContent())
          .toContain('Customers by class');
        await chartsDrawn(page, CHARTS);
        expect(await pageScrollsHorizontally(page)).toBe(false);
        await screenshot(page, 'dashboard-english-1920');
        // Back to Chinese for the next test's admin sign-in.
        await page.getByText('中文', { exact: true }).click();
        await expect
          .poll(() => page.getByTestId('panel-distribution').textContent())
          .toContain('客户分类分布');
      } finally {
        await browser.closeAll();
      }
    },
    TEST_TIMEOUT,
  );

  it(
    'a sales user sees only their own customers, with a note saying so',
    async () => {
      const browser = await launchBrowser(LAPTOP);
      try {
        const page = await browser.newPage();
        await signIn(page, kelei);
        const created = await apiFromPage(page, 'POST /users', {
          body: { username: 'xiaowang', password: 'Sales-pass-2024!', role: 'sales' },
        });
        expect(created.status).toBe(201);
        for (const code of ['KH000001', 'KH000002', 'KH000003']) {
          const current = await apiFromPage(page, 'GET /customers/:code', { params: { code } });
          expect(current.status).toBe(200);
          const changed = await apiFromPage(page, 'PATCH /customers/:code', {
            params: { code },
            body: { version: current.body.customer.version, ownerUserId: created.body.id },
          });
          expect(changed.status).toBe(200);
        }

        const sales = await browser.newPage();
        await sales.context().clearCookies();
        await signIn(sales, kelei, 'xiaowang', 'Sales-pass-2024!');
        await sales.goto(`${kelei.url}/`);
        await sales.getByTestId('scope-own-note').waitFor();
        const own = await apiFromPage(sales, 'GET /dashboard');
        expect(own.body.scope).toBe('own');
        expect(own.body.totals.customers).toBe(3);
        await expect.poll(() => sales.getByTestId('total-customers').textContent()).toContain('3');
        await chartsDrawn(sales, ['class-distribution', 'class-transitions']);
        expect(await pageScrollsHorizontally(sales)).toBe(false);
        await screenshot(sales, 'dashboard-sales-own-1366');
      } finally {
        await browser.closeAll();
      }
    },
    TEST_TIMEOUT,
  );
});
