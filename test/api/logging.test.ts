import crypto from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/build-app.ts';
import { loadConfig } from '../../src/config.ts';
import { createUser } from '../../src/services/auth/auth.service.ts';
import { createPiiCipher } from '../../src/services/privacy/pii-cipher.ts';
import { TEST_PASSWORD } from '../support/api.ts';
import { openTestDb, type TestDb } from '../support/databases.ts';

const CANARY = '13987654321';

describe('request logs', () => {
  let t: TestDb;
  const lines: string[] = [];
  beforeAll(async () => {
    t = await openTestDb('sqlite');
  });
  afterAll(async () => t?.drop());

  it('never carry phone numbers, e-mails or passwords, whatever the request held', async () => {
    const stream = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const app = await buildApp({
      handle: t,
      config: loadConfig({ DATABASE_URL: t.target }),
      clock: () => new Date(),
      cipher: createPiiCipher(crypto.randomBytes(32)),
      logger: { stream },
    });
    await createUser(t.db, {
      username: 'log-admin',
      password: TEST_PASSWORD,
      role: 'admin',
      now: new Date(),
    });
    const login = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'log-admin', password: TEST_PASSWORD },
    });
    const headers = {
      cookie: login.cookies.map((c) => `${c.name}=${c.value}`).join('; '),
      'x-csrf-token': login.json().csrfToken,
    };
    await app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers,
      payload: { code: 'L1', phone: CANARY, email: 'canary@example.com' },
    });
    await app.inject({ method: 'GET', url: `/api/v1/customers?phone=${CANARY}`, headers });
    await app.inject({ method: 'GET', url: '/api/v1/customers?filter=totl_amount%20%3E%201', headers });
    await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'log-admin', password: 'wrong-password-13987654321' },
    });
    await app.close();
    const text = lines.join('');
    expect(lines.length).toBeGreaterThan(4);
    expect(text).not.toContain(CANARY);
    expect(text).not.toContain('canary@example.com');
    expect(text).not.toContain(TEST_PASSWORD);
    // a mainland mobile number on its own (the 13-digit epoch times of log lines are not)
    expect(text).not.toMatch(/(?<!\d)1[3-9]\d{9}(?!\d)/);
  });
});
