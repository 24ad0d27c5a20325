import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResponseOf } from '../../src/api/contract/index.ts';
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

type SchemeDefinition = ResponseOf<'GET /schemes/:key/draft'>['definition'];
type SchemeBody = ResponseOf<'GET /schemes/:key'>;

const CLASSES = ['high', 'medium', 'low', 'none'];

/** The editor's definition of a scheme as the API holds it. */
function definitionOf(s: SchemeBody): SchemeDefinition {
  return {
    key: s.key,
    name: s.name,
    ...(s.description ? { description: s.description } : {}),
    ...(Object.keys(s.params).length ? { params: s.params } : {}),
    ...(s.scores.length ? { scores: s.scores } : {}),
    classes: s.classes,
  };
}

async function previewRows(page: Page): Promise<Record<string, { before: number; after: number }>> {
  const out: Record<string, { before: number; after: number }> = {};
  for (const key of CLASSES) {
    const row = page.getByTestId(`preview-row-${key}`);
    out[key] = {
      before: Number(await row.getAttribute('data-before')),
      after: Number(await row.getAttribute('data-after')),
    };
  }
  return out;
}

/** Replaces the text of an input the way a user does: select all, type. */
async function retype(page: Page, selector: string, text: string): Promise<void> {
  const input = page.locator(selector);
  await input.click();
  await input.press('ControlOrMeta+a');
  await input.pressSequentially(text);
  await input.blur();
}

describe.skipIf(!BROWSER_AVAILABLE)('classification schemes (分类方案)', () => {
  let kelei: Kelei;
  beforeAll(async () => {
    kelei = await startKelei('sqlite');
    await kelei.cli(['demo', '--customers', '300']);
    await kelei.cli(['classify']);
  }, 300_000);
  afterAll(async () => {
    await kelei?.stop();
  });

  it('lowers value_tier’s high threshold, previews the same counts as the API, publishes v2, runs it, and marks a bad rule', async () => {
    const browser = await launchBrowser(LAPTOP);
    try {
      const page = await browser.newPage();
      await signIn(page, kelei);

      // The list: every scheme with its version and the last run's counts per class.
      await page.goto(`${kelei.url}/schemes`);
      await page.getByTestId('scheme-row-value_tier').waitFor();
      const before = (await apiFromPage(page, 'GET /schemes/:key', { params: { key: 'value_tier' } })).body;
      expect(before.version).toBe(1);
      expect(before.lastRun).not.toBeNull();
      const listed = page.getByTestId('scheme-row-value_tier');
      expect(await listed.textContent()).toContain('价值分层');
      expect(await listed.getByTestId('class-count-high').getAttribute('data-count')).toBe(
        String(before.lastRun?.counts.high ?? 0),
      );
      for (const key of ['lifecycle', 'rfm8', 'value_potential']) {
        await page.getByTestId(`scheme-row-${key}`).waitFor();
      }
      expect(await pageScrollsHorizontally(page)).toBe(false);
      await screenshot(page, 'schemes-list-1366');

      // The detail page: ¥10,000 in yuan, in the parameters form.
      await page.getByTestId('scheme-link-value_tier').click();
      await page.getByTestId('params-card').waitFor();
      const high = page.getByTestId('param-high');
      await expect.poll(() => high.inputValue()).toBe('10,000');
      expect(await page.getByTestId('class-card-high').textContent()).toContain('高价值客户');
      expect(await pageScrollsHorizontally(page)).toBe(false);
      await screenshot(page, 'schemes-detail-1366');

      // ¥10,000 → ¥5,000, then preview: high grows, and the numbers are the API's for the same draft.
      await retype(page, '[data-testid="param-high"]', '5000');
      await expect.poll(() => high.inputValue()).toBe('5,000');
      await page.getByTestId('pending-changes').waitFor();
      await page.getByTestId('preview-button').click();
      await page.getByTestId('preview-panel').waitFor({ timeout: 60_000 });
      await page.locator('[data-chart="scheme-preview"][data-drawn="true"]').waitFor();
      const shown = await previewRows(page);
      const draft = { ...definitionOf(before), params: { ...before.params, high: 5000 } };
      const api = (
        await apiFromPage(page, 'POST /schemes/:key/preview', {
          params: { key: 'value_tier' },
          body: { definition: draft },
        })
      ).body;
      for (const key of CLASSES) {
        expect(shown[key]).toEqual({ before: api.currentCounts[key] ?? 0, after: api.counts[key] ?? 0 });
      }
      expect(shown.high.after).toBeGreaterThan(shown.high.before);
      expect(shown.medium.after).toBeLessThan(shown.medium.before);
      const moved = api.transitions.medium?.high ?? 0;
      expect(moved).toBeGreaterThan(0);
      expect(await page.getByTestId('preview-matrix-medium-high').getAttribute('data-count')).toBe(
        String(moved),
      );
      expect(await pageScrollsHorizontally(page)).toBe(false);
      await screenshot(page, 'schemes-preview-1366');

      // Publish with a note: version 2, in the history and through the API.
      await page.getByTestId('publish-button').click();
      await page.getByTestId('publish-modal').waitFor();
      expect(await page.getByTestId('change-list').textContent()).toMatch(/¥10,000.*¥5,000/);
      await page.getByTestId('publish-note').fill('高价值门槛下调到 5000 元');
      await screenshot(page, 'schemes-publish-dialog-1366');
      await page.getByTestId('publish-confirm').click();
      await expect.poll(() => page.getByTestId('current-version').textContent()).toContain('第 2 版');
      await page.getByTestId('version-row-2').waitFor();
      expect(await page.getByTestId('version-note-2').textContent()).toBe('高价值门槛下调到 5000 元');
      const versions = (
        await apiFromPage(page, 'GET /schemes/:key/versions', { params: { key: 'value_tier' } })
      ).body;
      expect(versions.currentVersion).toBe(2);
      expect(versions.versions[0].definition.params).toEqual({ high: 5000, medium: 2000 });
      await page.getByTestId('version-view-2').click();
      await page.getByTestId('version-drawer').getByTestId('change-list').waitFor();
      expect(await page.getByTestId('version-drawer').getByTestId('change-list').textContent()).toMatch(
        /¥10,000.*¥5,000/,
      );
      // The drawer has finished sliding in before the picture.
      await expect
        .poll(() =>
          page.evaluate(() => document.querySelector('.ant-drawer [class*="motion"][class*="-active"]')),
        )
        .toBeNull();
      await screenshot(page, 'schemes-versions-1366');
      await page.keyboard.press('Escape');

      // Run now: the new counts are the preview's, and the API's last run says the same.
      await page.getByTestId('run-now').click();
      await page.locator('.ant-popconfirm-buttons .ant-btn-primary').click();
      const result = page.getByTestId('run-result');
      await result.waitFor({ timeout: 60_000 });
      const after = (await apiFromPage(page, 'GET /schemes/:key', { params: { key: 'value_tier' } })).body;
      expect(after.lastRun?.schemeVersion).toBe(2);
      for (const key of CLASSES) {
        const count = Number(await result.getByTestId(`class-count-${key}`).getAttribute('data-count'));
        expect(count).toBe(after.lastRun?.counts[key] ?? 0);
        expect(count).toBe(api.counts[key] ?? 0);
      }
      await page.getByTestId('runs-table').waitFor();
      expect(await pageScrollsHorizontally(page)).toBe(false);
      await screenshot(page, 'schemes-run-now-1366');

      // A misspelt field is marked inline with the suggestion; preview refuses it in a sentence.
      await page.getByRole('tab', { name: /定义/ }).click();
      const rule = page.getByTestId('rule-high').locator('textarea');
      await rule.fill('order_count >= 1 and totl_amount >= $high');
      const inline = page.getByTestId('rule-high-error');
      await inline.waitFor();
      expect(await inline.textContent()).toContain('total_amount');
      await page.getByTestId('preview-button').click();
      const refused = page.getByTestId('draft-errors');
      await refused.waitFor();
      expect(await refused.textContent()).toMatch(/类别 high 第 1 行第 22 列/);
      await screenshot(page, 'schemes-bad-rule-1366');
    } finally {
      await browser.closeAll();
    }
  }, 300_000);

  it('says a concurrent publication in a sentence and reloads with the edits kept as the draft', async () => {
    const browser = await launchBrowser(LAPTOP);
    try {
      const page = await browser.newPage();
      await signIn(page, kelei);
      await page.goto(`${kelei.url}/schemes/lifecycle`);
      await page.getByTestId('params-card').waitFor();
      await retype(page, '[data-testid="param-churn_days"]', '200');

      // Someone else publishes a new lifecycle version meanwhile.
      const other = (await apiFromPage(page, 'GET /schemes/:key', { params: { key: 'lifecycle' } })).body;
      const theirs = { ...definitionOf(other), params: { ...other.params, risk_days: 60 } };
      expect(
        (
          await apiFromPage(page, 'PUT /schemes/:key/draft', {
            params: { key: 'lifecycle' },
            body: { definition: theirs },
          })
        ).status,
      ).toBe(200);
      expect(
        (
          await apiFromPage(page, 'POST /schemes/:key/publish', {
            params: { key: 'lifecycle' },
            body: { version: other.version },
          })
        ).status,
      ).toBe(200);

      await page.getByTestId('publish-button').click();
      await page.getByTestId('publish-confirm').click();
      const alert = page
        .getByTestId('publish-modal')
        .getByRole('alert')
        .filter({ hasText: '已被其他人修改' });
      await alert.waitFor();
      expect(await alert.textContent()).toMatch(/已被其他人修改.*当前已是第 2 版/);
      await screenshot(page, 'schemes-conflict-1366');
      // The versions (with the saved draft) answer after the scheme's new version has
      // arrived, as they may on a loaded server: the editor must still start from the draft.
      await page.route('**/api/v1/schemes/lifecycle/versions', async (route) => {
        await new Promise((resolve) => setTimeout(resolve, 800));
        await route.continue();
      });
      await page.getByTestId('publish-reload').click();
      await expect.poll(() => page.getByTestId('current-version').textContent()).toContain('第 2 版');
      // The edits came back from the draft the failed publication saved.
      await expect.poll(() => page.getByTestId('param-churn_days').inputValue()).toBe('200');
    } finally {
      await browser.closeAll();
    }
  }, 300_000);

  it('shows an analyst the schemes read-only, and fits 1920×1080', async () => {
    const browser = await launchBrowser(DESKTOP);
    try {
      const page = await browser.newPage();
      await signIn(page, kelei);
      await page.goto(`${kelei.url}/schemes/value_tier?tab=runs`);
      await page.getByTestId('runs-table').waitFor();
      expect(await pageScrollsHorizontally(page)).toBe(false);
      await screenshot(page, 'schemes-runs-1920');
      await page.goto(`${kelei.url}/schemes`);
      await page.getByTestId('scheme-row-value_tier').waitFor();
      expect(await pageScrollsHorizontally(page)).toBe(false);
      await screenshot(page, 'schemes-list-1920');

      const created = await apiFromPage(page, 'POST /users', {
        body: { username: 'reader', password: 'a long enough password', role: 'analyst' },
      });
      expect(created.status).toBe(201);
      await page.context().clearCookies();
      await signIn(page, kelei, 'reader', 'a long enough password');
      await page.goto(`${kelei.url}/schemes`);
      await page.getByTestId('scheme-row-value_tier').waitFor();
      expect(await page.getByTestId('new-scheme').count()).toBe(0);
      await page.goto(`${kelei.url}/schemes/value_tier`);
      await page.getByTestId('read-only').waitFor();
      expect(await page.getByTestId('publish-button').count()).toBe(0);
      expect(await page.getByTestId('run-now').count()).toBe(0);
      expect(await page.getByTestId('param-high').isDisabled()).toBe(true);
      // Reading includes previewing: nothing is saved.
      await page.getByTestId('preview-button').click();
      await page.getByTestId('preview-panel').waitFor({ timeout: 60_000 });
      expect(await pageScrollsHorizontally(page)).toBe(false);
      await screenshot(page, 'schemes-read-only-1920');

      // A salesperson sees only their own customers: a preview would classify everyone, so it is not offered.
      await page.context().clearCookies();
      await signIn(page, kelei);
      const rep = await apiFromPage(page, 'POST /users', {
        body: { username: 'rep', password: 'a long enough password', role: 'sales' },
      });
      expect(rep.status).toBe(201);
      await page.context().clearCookies();
      await signIn(page, kelei, 'rep', 'a long enough password');
      await page.goto(`${kelei.url}/schemes/value_tier`);
      await page.getByTestId('read-only').waitFor();
      expect(await page.getByTestId('preview-button').count()).toBe(0);
      const refused = await apiFromPage(page, 'POST /schemes/:key/preview', {
        params: { key: 'value_tier' },
        body: {},
      });
      expect(refused.status).toBe(403);
    } finally {
      await browser.closeAll();
    }
  }, 300_000);
});
