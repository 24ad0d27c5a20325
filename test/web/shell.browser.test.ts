import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BROWSER_AVAILABLE,
  DESKTOP,
  glyphFingerprints,
  type Kelei,
  LAPTOP,
  launchBrowser,
  pageScrollsHorizontally,
  screenshot,
  signIn,
  startKelei,
} from '../support/browser.ts';

describe.skipIf(!BROWSER_AVAILABLE)('web app shell: sign-in, navigation, language', () => {
  let kelei: Kelei;
  beforeAll(async () => {
    kelei = await startKelei('sqlite');
  });
  afterAll(async () => {
    await kelei?.stop();
  });

  it('refuses a wrong password with a sentence, signs the admin in, shows the role, switches to English and remembers it', async () => {
    const browser = await launchBrowser(LAPTOP);
    try {
      const page = await browser.newPage();
      await page.goto(`${kelei.url}/customers`);
      // Not signed in: the app sends the visitor to the login page.
      await page.waitForURL('**/login');
      await page.locator('#username').fill('admin');
      await page.locator('#password').fill('wrong-password');
      await page.locator('button[type="submit"]').click();
      const alert = page.getByRole('alert');
      await expect.poll(() => alert.textContent()).toMatch(/用户名或密码|密码/);
      await screenshot(page, 'shell-login-refused');

      await signIn(page, kelei);
      await expect.poll(() => page.getByTestId('current-user').textContent()).toContain('管理员');
      expect(await page.locator('aside').textContent()).toContain('客户');

      // Chinese draws as glyphs, not boxes: four different characters leave four different pixel patterns.
      const glyphs = await glyphFingerprints(page, ['一', '客', '鑫', '圆']);
      expect(new Set(glyphs).size).toBe(4);
      expect(await pageScrollsHorizontally(page)).toBe(false);
      await screenshot(page, 'shell-signed-in-zh-1366');

      await page.getByText('English', { exact: true }).click();
      await expect.poll(() => page.locator('aside').textContent()).toContain('Customers');
      await expect.poll(() => page.getByTestId('current-user').textContent()).toContain('Administrator');
      await screenshot(page, 'shell-english-1366');
    } finally {
      await browser.closeAll();
    }

    // A new browser (no local storage): the language comes back from the user's own setting.
    const second = await launchBrowser(DESKTOP);
    try {
      const page = await second.newPage();
      await signIn(page, kelei);
      await expect.poll(() => page.locator('aside').textContent()).toContain('Customers');
      expect(await pageScrollsHorizontally(page)).toBe(false);
      await screenshot(page, 'shell-english-remembered-1920');
    } finally {
      await second.closeAll();
    }
  });
});
