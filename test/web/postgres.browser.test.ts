import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiFromPage,
  BROWSER_AVAILABLE,
  type Kelei,
  LAPTOP,
  launchBrowser,
  screenshot,
  signIn,
  startKelei,
} from '../support/browser.ts';
import { PG_ENABLED } from '../support/databases.ts';

// The pages' own tests run on SQLite; this walks the main path once on PostgreSQL.
describe.skipIf(!BROWSER_AVAILABLE || !PG_ENABLED)('web app on PostgreSQL', () => {
  let kelei: Kelei;
  beforeAll(async () => {
    kelei = await startKelei('postgres');
    await kelei.cli(['demo', '--customers', '150']);
    await kelei.cli(['classify']);
  }, 300_000);
  afterAll(async () => {
    await kelei?.stop();
  }, 120_000);

  it('signs in, draws the dashboard, lists and filters customers, opens one with its explanation', async () => {
    const browser = await launchBrowser(LAPTOP);
    try {
      const page = await browser.newPage();
      await signIn(page, kelei);
      await page.getByTestId('dashboard').waitFor();
      await expect
        .poll(() => page.locator('[data-chart][data-drawn="true"]').count())
        .toBeGreaterThanOrEqual(4);
      await screenshot(page, 'postgres-dashboard-1366');

      await page.goto(`${kelei.url}/customers?rule=${encodeURIComponent('累计消费金额 >= 2000')}`);
      const api = await apiFromPage(page, 'GET /customers', {
        query: { filter: '累计消费金额 >= 2000', pageSize: 1 },
      });
      expect(api.status).toBe(200);
      expect(api.body.total).toBeGreaterThan(0);
      expect(api.body.total).toBeLessThan(150);
      await expect
        .poll(() => page.getByTestId('customer-total').textContent())
        .toContain(`共 ${api.body.total} 位客户`);
      await screenshot(page, 'postgres-customers-filtered-1366');

      await page.getByTestId('customer-link').first().click();
      await page.getByTestId('customer-detail').waitFor();
      await expect.poll(() => page.getByTestId('class-explanation').count()).toBeGreaterThanOrEqual(4);
      expect(await page.getByTestId('condition-actual').first().textContent()).toMatch(/实际值/);
      await screenshot(page, 'postgres-customer-detail-1366');
    } finally {
      await browser.closeAll();
    }
  });
});
