import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = path.resolve(import.meta.dirname, '../../bin/kelei.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kelei-serve-'));
const db = path.join(dir, 'kelei.db');
const env = {
  ...process.env,
  KELEI_LANG: 'en',
  KELEI_KEY_FILE: path.join(dir, 'kelei.key'),
  LOG_LEVEL: 'info',
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

type Served = { child: ChildProcess; stdout: () => string; exit: Promise<number | null> };

/** Starts `kelei serve` and resolves once it says it is listening. */
async function serve(port: number): Promise<Served> {
  const child = spawn(process.execPath, [BIN, '--db', db, 'serve', '--port', String(port)], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk) => {
    out += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    err += chunk;
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 60_000;
  while (!/listening on http/.test(out)) {
    if (child.exitCode !== null) throw new Error(`kelei serve exited early: ${err}`);
    if (Date.now() > deadline) throw new Error(`kelei serve did not start: ${out}${err}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, stdout: () => out, exit };
}

describe('kelei serve', () => {
  const running: ChildProcess[] = [];
  afterAll(() => {
    for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('creates the first admin once, serves real HTTP and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const first = await serve(port);
    running.push(first.child);
    const password = /created administrator "admin" with password (\S+)/.exec(first.stdout())?.[1];
    expect(password).toMatch(/^[\w-]{20}$/);

    const base = `http://127.0.0.1:${port}`;
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const me = await fetch(`${base}/api/v1/auth/me`, { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ username: 'admin', role: 'admin', kind: 'user' });

    first.child.kill('SIGTERM');
    expect(await first.exit).toBe(0);
    // The password is in the console once and never in the request log.
    expect(first.stdout().split(password ?? '').length - 1).toBe(1);

    // A second start finds the admin and prints no password.
    const second = await serve(port);
    running.push(second.child);
    expect(second.stdout()).not.toMatch(/password/);
    const again = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password }),
    });
    expect(again.status).toBe(200);
    second.child.kill('SIGINT');
    expect(await second.exit).toBe(0);
  });

  it('answers a bad port or a taken port with one line and a non-zero exit', async () => {
    const bad = spawnSync(process.execPath, [BIN, '--db', db, 'serve', '--port', 'eighty'], {
      env,
      encoding: 'utf8',
    });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/--port must be a number/);

    const blocker = net.createServer();
    const port = await new Promise<number>((resolve) =>
      blocker.listen(0, '127.0.0.1', () => {
        const address = blocker.address();
        resolve(typeof address === 'object' && address ? address.port : 0);
      }),
    );
    try {
      const taken = spawn(process.execPath, [BIN, '--db', db, 'serve', '--port', String(port)], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      running.push(taken);
      let err = '';
      taken.stderr?.on('data', (chunk) => {
        err += chunk;
      });
      const code = await new Promise<number | null>((resolve) => taken.on('exit', (c) => resolve(c)));
      expect(code).not.toBe(0);
      expect(err.trim().split('\n')).toHaveLength(1);
      expect(err).toMatch(/already in use/);
    } finally {
      blocker.close();
    }
  });
});
