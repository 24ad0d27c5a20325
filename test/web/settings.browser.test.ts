import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrivacyExport } from '../../src/api/contract/index.ts';
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

/** Picks an option of an antd Select by its visible text. */
async function pick(page: Page, select: string, option: string) {
  await page.getByTestId(select).click();
  await page
    .locator('.ant-select-dropdown:visible .ant-select-item-option')
    .filter({ hasText: option })
    .first()
    .click();
  await expect.poll(() => page.getByTestId(select).textContent()).toContain(option);
  // A list left open would cover the form's buttons: give it time to close, else close it.
  const open = page.locator('.ant-select-dropdown:visible').first();
  try {
    await open.waitFor({ state: 'hidden', timeout: 3_000 });
  } catch {
    await page.getByTestId(select).click();
    await open.waitFor({ state: 'hidden' });
  }
}

async function noSideScroll(page: Page) {
  expect(await pageScrollsHorizontally(page)).toBe(false);
}

describe.skipIf(!BROWSER_AVAILABLE)('settings: users, roles, audit log, privacy requests', () => {
  let kelei: Kelei;
  beforeAll(async () => {
    kelei = await startKelei('sqlite');
    await kelei.cli(['demo', '--customers', '100']);
  }, 180_000);
  afterAll(async () => {
    await kelei?.stop();
  });

  it('an admin adds an analyst who cannot see the admin tabs; the audit log records it; a customer is exported and erased', async () => {
    const admin = await launchBrowser(LAPTOP);
    const analystBrowser = await launchBrowser(DESKTOP);
    try {
      const page = await admin.newPage();
      await signIn(page, kelei);

      // /settings opens the first tab the admin may use.
      await page.goto(`${kelei.url}/settings`);
      await page.waitForURL('**/settings/users');
      const usersTable = page.getByTestId('users-table');
      await expect.poll(() => usersTable.textContent()).toContain('admin');
      await page.getByTestId('roles-matrix').waitFor();
      expect(await page.getByTestId('roles-matrix').textContent()).toContain('仅自己负责的客户');
      await noSideScroll(page);
      await screenshot(page, 'settings-users-1366');

      // Add an analyst with a generated password, shown once.
      await page.getByTestId('add-user').click();
      await page.getByTestId('new-username').fill('li.analyst');
      await page.getByTestId('new-display-name').fill('李思');
      await pick(page, 'new-role', '分析师');
      await screenshot(page, 'settings-add-user-dialog');
      await page.locator('#add-user-submit').click();
      const secret = page.getByTestId('one-time-secret');
      await secret.waitFor();
      const password = (await secret.textContent())?.trim() ?? '';
      expect(password.length).toBeGreaterThanOrEqual(10);
      await screenshot(page, 'settings-one-time-password');
      await page.getByTestId('one-time-secret-done').click();
      await expect.poll(() => usersTable.textContent()).toContain('li.analyst');
      await expect.poll(() => usersTable.textContent()).toContain('从未登录');

      // The analyst, in another browser at 1920×1080: no users, tokens, audit or privacy tabs.
      const analyst = await analystBrowser.newPage();
      await signIn(analyst, kelei, 'li.analyst', password);
      await analyst.goto(`${kelei.url}/settings`);
      await analyst.waitForURL('**/settings/profile');
      await analyst.getByTestId('my-permissions').waitFor();
      for (const tab of ['users', 'tokens', 'audit', 'privacy']) {
        expect(await analyst.getByTestId(`settings-tab-${tab}`).count(), tab).toBe(0);
      }
      expect(await analyst.getByTestId('settings-tab-profile').count()).toBe(1);
      expect(await analyst.getByTestId('my-permissions').textContent()).toContain('导出数据');
      await noSideScroll(analyst);
      await screenshot(analyst, 'settings-analyst-profile-1920');
      await analyst.goto(`${kelei.url}/settings/audit`);
      await analyst.getByTestId('settings-no-permission').waitFor();
      expect(await analyst.getByTestId('settings-no-permission').textContent()).toContain('分析师');
      await screenshot(analyst, 'settings-analyst-no-permission-1920');

      // Back as admin: the users list now shows the analyst's last sign-in.
      await page.reload();
      await expect.poll(() => usersTable.textContent()).not.toContain('从未登录');

      // The audit log shows the creation and the analyst's sign-in.
      await page.getByTestId('settings-tab-audit').click();
      await page.waitForURL('**/settings/audit');
      const auditTable = page.getByTestId('audit-table');
      await expect.poll(() => auditTable.textContent()).toContain('新建用户');
      const auditText = (await auditTable.textContent()) ?? '';
      expect(auditText).toContain('li.analyst');
      expect(auditText).toContain('登录成功');
      await noSideScroll(page);
      await screenshot(page, 'settings-audit-1366');

      // Filter by action: only sign-ins remain, and the analyst's is among them.
      await pick(page, 'audit-filter-action', '登录成功');
      await page.waitForURL('**/settings/audit?action=login.success');
      await expect
        .poll(async () => {
          const actions = await auditTable
            .locator('[data-action]')
            .evaluateAll((els) => els.map((e) => e.getAttribute('data-action')));
          return actions.length > 0 && actions.every((a) => a === 'login.success');
        })
        .toBe(true);
      expect(await auditTable.textContent()).toContain('li.analyst');
      await auditTable.locator('.ant-table-row-expand-icon').first().click();
      await page.getByTestId('audit-details').first().waitFor();
      await screenshot(page, 'settings-audit-filtered-1366');

      // Privacy: one customer of the demo data.
      const list = await apiFromPage(page, 'GET /customers', { query: { pageSize: 1 } });
      const code = list.body.items[0].code;
      const before = await apiFromPage(page, 'GET /customers/:code', { params: { code } });
      expect(before.body.customer.phone).not.toBeNull();
      await page.getByTestId('settings-tab-privacy').click();
      await page.waitForURL('**/settings/privacy');
      await page.getByTestId('privacy-code').locator('input').fill(code);
      await page.getByTestId('privacy-code').locator('input').press('Enter');
      await page.getByTestId('privacy-customer').waitFor();
      expect(await page.getByTestId('privacy-customer').textContent()).toContain(before.body.customer.name);

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('privacy-export').click(),
      ]);
      expect(download.suggestedFilename()).toBe(`customer-${code}.json`);
      const file = await download.path();
      const exported: PrivacyExport = JSON.parse(fs.readFileSync(file, 'utf8'));
      expect(exported.customer.code).toBe(code);
      expect(exported.customer.name).toBe(before.body.customer.name);
      // In the export the phone is in plain text, unlike the masked one elsewhere.
      expect(exported.customer.phone).toMatch(/^\+?\d[\d\s-]{6,}$/);
      expect(Array.isArray(exported.orders)).toBe(true);
      await noSideScroll(page);
      await screenshot(page, 'settings-privacy-customer-1366');

      // Erase: the button stays disabled until the code is typed.
      await page.getByTestId('privacy-erase').click();
      const confirm = page.locator('#erase-confirm');
      await confirm.waitFor();
      expect(await confirm.isDisabled()).toBe(true);
      await page.getByTestId('erase-confirm-code').fill('WRONG');
      expect(await confirm.isDisabled()).toBe(true);
      await page.getByTestId('erase-confirm-code').fill(code);
      await screenshot(page, 'settings-privacy-erase-confirm');
      expect(await confirm.isDisabled()).toBe(false);
      await confirm.click();
      await page.getByTestId('erase-result').waitFor();
      expect(await page.getByTestId('erase-result').textContent()).toContain('审计');

      // The customer is gone from every ordinary view, and what is still held has no name or phone.
      const after = await apiFromPage(page, 'GET /customers/:code', { params: { code } });
      expect(after.status).toBe(404);
      const search = await apiFromPage(page, 'GET /customers', {
        query: { q: before.body.customer.name ?? '' },
      });
      expect(search.body.items.map((i) => i.code)).not.toContain(code);
      const held = await apiFromPage(page, 'GET /customers/:code/privacy-export', { params: { code } });
      expect(held.status).toBe(200);
      expect(held.body.customer.name).not.toBe(before.body.customer.name);
      expect(held.body.customer.phone).toBeNull();
      expect(held.body.customer.erasedAt).not.toBeNull();
      expect(JSON.stringify(held.body)).not.toContain(exported.customer.phone);

      // The customer's own audit trail on the page shows the export and the erasure.
      const trail = page.getByTestId('privacy-audit-trail');
      await expect.poll(() => trail.textContent()).toContain('删除客户个人信息');
      expect(await trail.textContent()).toContain('导出客户个人数据');
      await screenshot(page, 'settings-privacy-erased-1366');

      // And the audit log, filtered to erasures, lists it.
      await page.goto(`${kelei.url}/settings/audit?action=customer.erase`);
      await expect.poll(() => page.getByTestId('audit-table').textContent()).toContain(code);
      const erasures = await apiFromPage(page, 'GET /audit', { query: { action: 'customer.erase' } });
      expect(erasures.body.items).toEqual([expect.objectContaining({ actor: 'admin', entityId: code })]);
      await screenshot(page, 'settings-audit-erase-1366');

      // Disabling the analyst (after a confirmation) ends their session in the other browser at once.
      await page.goto(`${kelei.url}/settings/users`);
      await page.getByTestId('toggle-li.analyst').click();
      const confirmDisable = page.locator('.ant-modal-confirm .ant-btn-dangerous');
      await confirmDisable.click();
      // On a loaded machine a click can land while the dialog is still opening and be
      // lost: click again until the dialog closes (while its request runs, the button
      // is loading and ignores clicks).
      await expect
        .poll(async () => {
          if (await confirmDisable.isVisible())
            await confirmDisable.click({ timeout: 2_000 }).catch(() => {});
          return page.locator('.ant-modal-confirm').isVisible();
        })
        .toBe(false);
      await expect.poll(() => page.getByTestId('users-table').textContent()).toContain('已停用');
      expect((await apiFromPage(analyst, 'GET /auth/me')).status).toBe(401);
      await screenshot(page, 'settings-user-disabled-1366');

      // API tokens: created, shown once, revoked.
      await page.goto(`${kelei.url}/settings/tokens`);
      await page.getByTestId('tokens-table').waitFor();
      await page.getByTestId('add-token').click();
      await page.getByLabel('名称').fill('ERP 同步');
      await page.locator('#add-token-submit').click();
      await expect.poll(() => page.getByTestId('one-time-secret').textContent()).toMatch(/^klt_/);
      await page.getByTestId('one-time-secret-done').click();
      await expect.poll(() => page.getByTestId('tokens-table').textContent()).toContain('ERP 同步');
      await noSideScroll(page);
      await screenshot(page, 'settings-tokens-1366');

      // My profile in English at 1366.
      await page.goto(`${kelei.url}/settings/profile`);
      await page.getByTestId('profile-language').getByText('English').click();
      await expect.poll(() => page.getByTestId('settings-tabs').textContent()).toContain('Audit log');
      await noSideScroll(page);
      await screenshot(page, 'settings-profile-en-1366');
      await page.getByTestId('profile-language').getByText('中文').click();
      await expect.poll(() => page.getByTestId('settings-tabs').textContent()).toContain('审计日志');
    } finally {
      await admin.closeAll();
      await analystBrowser.closeAll();
    }
  }, 240_000);

  it('fits 1920×1080 without sideways scrolling on every admin tab', async () => {
    const browser = await launchBrowser(DESKTOP);
    try {
      const page = await browser.newPage();
      await signIn(page, kelei);
      for (const tab of ['users', 'tokens', 'audit', 'privacy', 'profile']) {
        await page.goto(`${kelei.url}/settings/${tab}`);
        await page.getByTestId('settings-tabs').waitFor();
        await page.waitForLoadState('networkidle');
        await noSideScroll(page);
        await screenshot(page, `settings-${tab}-1920`);
      }
    } finally {
      await browser.closeAll();
    }
  }, 120_000);
});
