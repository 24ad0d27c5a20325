import crypto from 'node:crypto';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/api/build-app.ts';
import { loadConfig } from '../../src/config.ts';
import { createApiToken, createUser } from '../../src/services/auth/auth.service.ts';
import type { Role } from '../../src/services/auth/policy.ts';
import { createPiiCipher } from '../../src/services/privacy/pii-cipher.ts';
import { type DialectName, openTestDb, type TestDb } from './databases.ts';

export const TEST_PASSWORD = 'correct horse battery';

/** A signed-in caller: `await client.get('/api/v1/customers')`. */
export type ApiClient = {
  userId: number;
  username: string;
  role: Role;
  headers: Record<string, string>;
  inject(options: InjectOptions): Promise<LightMyRequestResponse>;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  patch(url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  delete(url: string): Promise<LightMyRequestResponse>;
};

export type ApiTest = {
  t: TestDb;
  app: FastifyInstance;
  cipher: ReturnType<typeof createPiiCipher>;
  /** a new user of `role`, signed in through the login route (cookie + CSRF header) */
  as(role: Role, options?: { username?: string }): Promise<ApiClient>;
  /** an API token of `role` (bearer) */
  asToken(role: Role): Promise<ApiClient>;
  /** no credentials at all */
  anonymous: ApiClient;
  close(): Promise<void>;
};

function client(
  app: FastifyInstance,
  who: Omit<ApiClient, 'inject' | 'get' | 'post' | 'patch' | 'delete'>,
): ApiClient {
  const inject = (options: InjectOptions) =>
    app.inject({ ...options, headers: { ...who.headers, ...(options.headers ?? {}) } });
  return {
    ...who,
    inject,
    get: (url) => inject({ method: 'GET', url }),
    post: (url, payload) => inject({ method: 'POST', url, payload: payload as InjectOptions['payload'] }),
    patch: (url, payload) => inject({ method: 'PATCH', url, payload: payload as InjectOptions['payload'] }),
    delete: (url) => inject({ method: 'DELETE', url }),
  };
}

/** A migrated database of `dialect` and an app over it, built like `kelei serve` builds it. */
export async function openApiTest(dialect: DialectName): Promise<ApiTest> {
  const t = await openTestDb(dialect);
  const cipher = createPiiCipher(crypto.randomBytes(32));
  const app = await buildApp({
    handle: t,
    config: loadConfig({ DATABASE_URL: t.target }),
    clock: () => new Date(),
    cipher,
    logger: false,
  });
  let n = 0;
  return {
    t,
    app,
    cipher,
    anonymous: client(app, { userId: 0, username: '', role: 'analyst', headers: {} }),
    async as(role, options = {}) {
      const username = options.username ?? `${role}${++n}`;
      const userId = await createUser(t.db, { username, password: TEST_PASSWORD, role, now: new Date() });
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username, password: TEST_PASSWORD },
      });
      if (res.statusCode !== 200) throw new Error(`login of ${username} failed: ${res.body}`);
      const cookie = res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
      const csrf = res.json().csrfToken as string;
      return client(app, { userId, username, role, headers: { cookie, 'x-csrf-token': csrf } });
    },
    async asToken(role) {
      const username = `${role}-token${++n}`;
      const userId = await createUser(t.db, { username, password: TEST_PASSWORD, role, now: new Date() });
      const { token } = await createApiToken(t.db, {
        name: username,
        role,
        createdBy: userId,
        now: new Date(),
      });
      return client(app, { userId, username, role, headers: { authorization: `Bearer ${token}` } });
    },
    async close() {
      await app.close();
      await t.drop();
    },
  };
}
