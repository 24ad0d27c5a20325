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

const RULE = '累计消费金额 >= 2000 and 最近消费天数 <= 90';
const MISSPELT = '累计消费金 >= 2000';

async function apiTotal(page: Page, query: Record<string, string>): Promise<number> {
  const res = await apiFromPage(page, 'GET /customers', { query: { ...query, pageSize: 1 } });
  expect(res.status).toBe(200);
  return res.body.total;
}

const totalText = (page: Page) => page.getByTestId('customer-total').textContent();

describe.skipIf(!BROWSER_AVAILABLE)('customers list and detail (客户)', () => {
  let kelei: Kelei;
  beforeAll(async () => {
    kelei = await startKelei('sqlite');
    await kelei.cli(['demo', '--customers', '300']);
    await kelei.cli(['classify']);
  }, 300_000);
  afterAll(async () => {
    await kelei?.stop();
  }, 240_000);

  it('lists every customer, filters by a Chinese rule like the API does, and marks a misspelt field', async () => {
    const browser = await launchBrowser(LAPTOP);
    try {
      const page = await browser.newPage();
      await signIn(page, kelei);
      await page.goto(`${kelei.url}/customers`);
      const all = await apiTotal(page, {});
      expect(all).toBe(300);
      await expect.poll(() => totalText(page)).toContain(`共 ${all} 位客户`);
      await page.locator('[data-testid="customer-link"]').first().waitFor();
      expect(await page.locator('[data-testid="customer-link"]').count()).toBe(20);
      expect(await pageScrollsHorizontally(page)).toBe(false);
      await screenshot(page, 'customers-list-1366');

      // The rule box: typed in Chinese, checked by the server, applied to the list and to the URL.
      const box = page.locator('[data-testid="customer-rule"] textarea');
      await box.fill(RULE);
      const apply = page.getByTestId('apply-rule');
      await expect.poll(() => apply.isEnabled()).toBe(true);
      await apply.click();
      await page.waitForURL(/rule=/);
      const matching = await apiTotal(page, { filter: RULE });
      expect(matching).toBeGreaterThan(0);
      expect(matching).toBeLessThan(all);
      await expect.poll(() => totalText(page)).toContain(`共 ${matching} 位客户`);
      await screenshot(page, 'customers-rule-filter-1366');

      // The filter lives in the URL: a reload keeps it.
      await page.reload();
      await expect.poll(() => totalText(page)).toContain(`共 ${matching} 位客户`);
      expect(await box.inputValue()).toBe(RULE);

      // Sorting happens on the server: descending spend puts the biggest spender first.
      await page.goto(`${kelei.url}/customers?sort=-total_amount`);
      const top = await apiFromPage(page, 'GET /customers', {
        query: { sort: 'total_amount', dir: 'desc', pageSize: 1 },
      });
      await expect
        .poll(() => page.locator('[data-testid="customer-link"]').first().textContent())
        .toBe(top.body.items[0].code);

      // A misspelt field: an inline mark with the checker's suggestion, and nothing applied.
      await box.fill(MISSPELT);
      const error = page.getByTestId('customer-rule-error');
      await error.waitFor();
      await expect.poll(() => error.textContent()).toContain('累计消费金额');
      expect(await page.getByTestId('rule-error-mark').count()).toBe(1);
      expect(await apply.isDisabled()).toBe(true);
      await screenshot(page, 'customers-rule-misspelt-1366');
    } finally {
      await browser.closeAll();
    }
  }, 240_000);

  it('explains a class, reveals a phone with an audit entry, and shows a conflict on a stale edit', async () => {
    const browser = await launchBrowser(LAPTOP);
    try {
      const page = await browser.newPage();
      await signIn(page, kelei);
      // A customer with orders, so the value tier rule has real values to show.
      const list = await apiFromPage(page, 'GET /customers', {
        query: { filter: '累计消费金额 >= 2000', pageSize: 1, sort: 'code' },
      });
      const code = list.body.items[0].code;
      await page.goto(
        `${kelei.url}/customers?${new URLSearchParams({ rule: '累计消费金额 >= 2000', sort: 'code' })}`,
      );
      await page.locator('[data-testid="customer-link"]').first().click();
      await page.waitForURL(`**/customers/${code}`);

      const tier = page.getByTestId('class-value_tier');
      await tier.waitFor();
      expect(await tier.getByTestId('class-name').textContent()).toMatch(/高价值客户|中价值客户/);
      const actual = tier.getByTestId('condition-actual').filter({ hasText: '累计消费金额' }).first();
      await expect.poll(() => actual.textContent()).toMatch(/实际值：累计消费金额 = ¥[\d,]+\.\d\d/);
      expect(await tier.getByTestId('class-history').count()).toBe(1);
      expect(await pageScrollsHorizontally(page)).toBe(false);
      await screenshot(page, 'customer-detail-1366');

      // Reveal: the masked phone becomes the full number, and the audit log has the reveal.
      const phone = page.getByTestId('profile-phone');
      expect(await phone.textContent()).toMatch(/^1\d{2}\*{4}\d{4}$/);
      await page.getByTestId('reveal-pii').click();
      await expect.poll(() => phone.textContent()).toMatch(/^1\d{10}$/);
      await page.getByTestId('reveal-audited').waitFor();
      const audit = await apiFromPage(page, 'GET /audit', {
        query: { action: 'pii.reveal', entityId: code },
      });
      expect(audit.body.items.length).toBe(1);
      await screenshot(page, 'customer-revealed-1366');

      // A stale edit: someone else saves between opening the editor and saving.
      const before = (await apiFromPage(page, 'GET /customers/:code', { params: { code } })).body.customer;
      await page.getByTestId('edit-customer').click();
      await page.getByTestId('edit-city').fill('测试城');
      const other = await apiFromPage(page, 'PATCH /customers/:code', {
        params: { code },
        body: { version: before.version, name: '他人改过的名字' },
      });
      expect(other.status).toBe(200);
      await page.getByTestId('save-customer').click();
      const conflict = page.getByTestId('edit-conflict');
      await conflict.waitFor();
      const conflictText = await conflict.textContent();
      expect(conflictText).toContain('已被其他人修改');
      expect(conflictText).toContain('他人改过的名字');
      expect(conflictText).toContain('测试城');
      await screenshot(page, 'customer-edit-conflict-1366');

      // Overwrite applies only what this user changed, on top of the other change.
      await page.getByTestId('conflict-overwrite').click();
      await conflict.waitFor({ state: 'detached' });
      const after = (await apiFromPage(page, 'GET /customers/:code', { params: { code } })).body.customer;
      expect(after).toMatchObject({ city: '测试城', name: '他人改过的名字', version: before.version + 2 });
      await expect.poll(() => page.getByTestId('customer-name').textContent()).toBe('他人改过的名字');
      await screenshot(page, 'customer-edit-saved-1366');
    } finally {
      await browser.closeAll();
    }
  }, 240_000);

  it('fits a 1920 screen, and shows an analyst masked phones without a reveal button', async () => {
    const desktop = await launchBrowser(DESKTOP);
    let analystPassword = '';
    try {
      const page = await desktop.newPage();
      await signIn(page, kelei);
      await page.goto(`${kelei.url}/customers`);
      await page.locator('[data-testid="customer-link"]').first().waitFor();
      expect(await pageScrollsHorizontally(page)).toBe(false);
      await screenshot(page, 'customers-list-1920');
      await page.locator('[data-testid="customer-link"]').first().click();
      await page.getByTestId('customer-classes').waitFor();
      expect(await pageScrollsHorizontally(page)).toBe(false);
      await screenshot(page, 'customer-detail-1920');

      analystPassword = 'analyst password 2024';
      const created = await apiFromPage(page, 'POST /users', {
        body: { username: 'analyst1', password: analystPassword, role: 'analyst', displayName: '数据分析师' },
      });
      expect(created.status).toBe(201);
    } finally {
      await desktop.closeAll();
    }

    const browser = await launchBrowser(LAPTOP);
    try {
      const page = await browser.newPage();
      await signIn(page, kelei, 'analyst1', analystPassword);
      await page.goto(`${kelei.url}/customers`);
      const phones = page.getByTestId('customer-phone');
      await phones.first().waitFor();
      const shown = await phones.allTextContents();
      expect(shown.length).toBe(20);
      const withPhone = shown.filter((x) => x !== '—');
      expect(withPhone.length).toBeGreaterThan(10);
      for (const p of withPhone) expect(p).toMatch(/^1\d{2}\*{4}\d{4}$/);
      await screenshot(page, 'customers-list-analyst-1366');

      await page.locator('[data-testid="customer-link"]').first().click();
      await page.getByTestId('customer-profile').waitFor();
      expect(await page.getByTestId('profile-phone').textContent()).toMatch(/^1\d{2}\*{4}\d{4}$/);
      expect(await page.getByTestId('reveal-pii').count()).toBe(0);
      expect(await page.getByTestId('edit-customer').count()).toBe(0);
      expect(await pageScrollsHorizontally(page)).toBe(false);
      await screenshot(page, 'customer-detail-analyst-1366');
    } finally {
      await browser.closeAll();
    }
  }, 240_000);
});
