import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import {
  type BodyOf,
  methodOf,
  type ParamsOf,
  apiPath as pathOf,
  type ResponseOf,
  type Route,
} from '../../src/api/contract/endpoint.ts';
import { type DialectName, openTestDb } from './databases.ts';

/** Debian's chromium (`apt-get install -y chromium fonts-noto-cjk`); browser tests need it. */
export const CHROMIUM = process.env.KELEI_CHROMIUM ?? '/usr/bin/chromium';
const IN_CI = process.env.CI === 'true' || process.env.CI === '1';

/**
 * Whether browser tests can run here. Without chromium they skip with a message,
 * except under CI, where a missing browser is a failure.
 */
export const BROWSER_AVAILABLE = fs.existsSync(CHROMIUM) || IN_CI;
if (!fs.existsSync(CHROMIUM)) {
  console.warn(
    IN_CI
      ? `chromium is missing at ${CHROMIUM}: CI must install it (apt-get install -y chromium fonts-noto-cjk)`
      : `Browser tests SKIPPED: no chromium at ${CHROMIUM} (apt-get install -y chromium fonts-noto-cjk).`,
  );
}

const ROOT = path.resolve(import.meta.dirname, '../..');
export const SCREENSHOTS = path.join(ROOT, 'test-results', 'screenshots');

/** Builds web/dist when it is older than its sources (the same step `npm start` runs). */
export function ensureWebBuilt(): void {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build-web.mjs')], {
    cwd: ROOT,
    encoding: 'utf8',
    env: process.env,
  });
  if (result.status !== 0) throw new Error(`web build failed:\n${result.stdout}\n${result.stderr}`);
}

export type Kelei = {
  url: string;
  adminPassword: string;
  /** the --db target, for CLI calls against the same database */
  db: string;
  output(): string;
  /** runs `kelei --db <this database> …args` with the server's key file; rejects on a non-zero exit */
  cli(args: string[]): Promise<string>;
  stop(): Promise<void>;
};

/**
 * `kelei serve` as a user runs it, on a fresh database of the given engine and a free port.
 * Resolves once it listens, with the first-start admin password read from its console.
 */
export async function startKelei(dialect: DialectName = 'sqlite'): Promise<Kelei> {
  ensureWebBuilt();
  const testDb = await openTestDb(dialect);
  await testDb.close();
  const keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kelei-web-key-'));
  const env = {
    ...process.env,
    LANG: 'en_US.UTF-8',
    LOG_LEVEL: 'warn',
    KELEI_KEY_FILE: path.join(keyDir, 'kelei.key'),
  };
  const bin = path.join(ROOT, 'bin/kelei.js');
  const child: ChildProcess = spawn(process.execPath, [bin, '--db', testDb.target, 'serve', '--port', '0'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d.toString();
  });
  child.stderr?.on('data', (d) => {
    output += d.toString();
  });
  const started = await new Promise<{ url: string; password: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`kelei serve did not start:\n${output}`)), 60_000);
    const check = () => {
      const password = /password (\S+)|密码 (\S+)/.exec(output);
      const url = /listening on (http:\/\/\S+)|已启动：(http:\/\/\S+)/.exec(output);
      if (password && url) {
        clearTimeout(timer);
        resolve({ password: password[1] ?? password[2], url: url[1] ?? url[2] });
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`kelei serve exited with ${code}:\n${output}`));
    });
  });
  return {
    url: started.url,
    adminPassword: started.password,
    db: testDb.target,
    output: () => output,
    cli: (args) =>
      new Promise((resolve, reject) => {
        const run = spawn(process.execPath, [bin, '--db', testDb.target, ...args], { cwd: ROOT, env });
        let out = '';
        run.stdout.on('data', (d) => {
          out += d.toString();
        });
        run.stderr.on('data', (d) => {
          out += d.toString();
        });
        run.once('exit', (code) =>
          code === 0 ? resolve(out) : reject(new Error(`kelei ${args.join(' ')} exited ${code}:\n${out}`)),
        );
      }),
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      await testDb.drop().catch(() => {});
      fs.rmSync(keyDir, { recursive: true, force: true });
    },
  };
}

export type Viewport = { width: number; height: number };
export const LAPTOP: Viewport = { width: 1366, height: 768 };
export const DESKTOP: Viewport = { width: 1920, height: 1080 };

/** Chromium with its own fresh profile directory, headless, offline apart from loopback. */
export async function launchBrowser(
  viewport: Viewport = LAPTOP,
): Promise<BrowserContext & { closeAll(): Promise<void> }> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'kelei-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    locale: 'zh-CN',
    // Charts then draw without animation, so what a test clicks is where it will stay.
    reducedMotion: 'reduce',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  // A CI machine running several suites at once can take a while to draw a page.
  context.setDefaultTimeout(60_000);
  context.setDefaultNavigationTimeout(60_000);
  return Object.assign(context, {
    closeAll: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  });
}

/** Signs in through the login page and waits for the signed-in frame. */
export async function signIn(page: Page, kelei: Kelei, username = 'admin', password = kelei.adminPassword) {
  await page.goto(`${kelei.url}/login`);
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(password);
  await page.locator('button[type="submit"]').click();
  await page.getByTestId('current-user').waitFor();
}

/** A call of a contract route from a test: path parameters, query string and body as the contract types them. */
export type PageCall<R extends Route> = { params?: ParamsOf<R>; query?: Record<string, string | number> } & ([
  BodyOf<R>,
] extends [never]
  ? { body?: undefined }
  : { body?: BodyOf<R> });

/**
 * Calls a route of the API contract (src/api/contract/endpoints.contract.ts) from inside the
 * page, with its session cookie and CSRF header. `body` is typed by the contract when the
 * call succeeds; tests of refusals read `status` (and the error body, typed by `ErrorBody`).
 */
export async function apiFromPage<R extends Route>(
  page: Page,
  route: R,
  call: PageCall<R> = {},
): Promise<{ status: number; body: ResponseOf<R> }> {
  const query = new URLSearchParams(
    Object.entries(call.query ?? {}).map(([k, v]): [string, string] => [k, String(v)]),
  ).toString();
  const apiPath = `${pathOf(route, call.params)}${query ? `?${query}` : ''}`;
  return page.evaluate(
    async ({ method, apiPath, body }) => {
      const csrf = document.cookie
        .split('; ')
        .find((c) => c.startsWith('kelei_csrf='))
        ?.slice('kelei_csrf='.length);
      const response = await fetch(`/api/v1${apiPath}`, {
        method,
        headers: {
          'content-type': 'application/json',
          ...(csrf ? { 'x-csrf-token': decodeURIComponent(csrf) } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null };
    },
    { method: methodOf(route), apiPath, body: call.body as unknown },
  );
}

/** Saves a full-page screenshot under test-results/screenshots/ (kept by CI as an artifact). */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** True when the page itself scrolls sideways (tables may scroll inside their own box). */
export async function pageScrollsHorizontally(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1);
}

/**
 * Draws each string on a canvas in the page's font and returns a fingerprint of the pixels.
 * CJK glyphs all have the same width, so width says nothing; but a missing glyph draws as
 * the same box (tofu) for every character, so distinct characters with equal fingerprints
 * mean boxes, and distinct fingerprints mean real glyphs.
 */
export async function glyphFingerprints(page: Page, texts: string[]): Promise<string[]> {
  return page.evaluate((texts) => {
    const canvas = document.createElement('canvas');
    canvas.width = 64;
    canvas.height = 64;
    const ctx = canvas.getContext('2d');
    if (!ctx) return [];
    return texts.map((text) => {
      ctx.clearRect(0, 0, 64, 64);
      ctx.font = `48px ${getComputedStyle(document.body).fontFamily}`;
      ctx.fillStyle = '#000';
      ctx.fillText(text, 4, 52);
      const pixels = ctx.getImageData(0, 0, 64, 64).data;
      let inked = 0;
      let hash = 0;
      for (let i = 3; i < pixels.length; i += 4) {
        if (pixels[i] > 0) inked++;
        hash = (hash * 31 + pixels[i]) >>> 0;
      }
      return `${inked}:${hash}`;
    });
  }, texts);
}
