import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiTest, openApiTest, TEST_PASSWORD } from '../support/api.ts';
import { DIALECTS } from '../support/databases.ts';

for (const dialect of DIALECTS) {
  describe(`auth on ${dialect}`, () => {
    let api: ApiTest;
    beforeAll(async () => {
      api = await openApiTest(dialect);
    });
    afterAll(async () => api?.close());

    it('stores argon2id hashes with the parameters of docs/security.md', async () => {
      await api.as('analyst', { username: 'hash-check' });
      const row = await api.t.db
        .selectFrom('users')
        .select('password_hash')
        .where('username', '=', 'hash-check')
        .executeTakeFirstOrThrow();
      expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    });

    it('signs in with a cookie session and refuses writes without the CSRF header', async () => {
      const admin = await api.as('admin');
      const me = await admin.get('/api/v1/auth/me');
      expect(me.statusCode).toBe(200);
      expect(me.json()).toMatchObject({ role: 'admin', kind: 'user' });
      const noCsrf = await api.app.inject({
        method: 'POST',
        url: '/api/v1/auth/logout',
        headers: { cookie: admin.headers.cookie },
      });
      expect(noCsrf.statusCode).toBe(403);
      expect(noCsrf.json().error.code).toBe('CsrfFailed');
      const out = await admin.post('/api/v1/auth/logout');
      expect(out.statusCode).toBe(200);
      expect((await admin.get('/api/v1/auth/me')).statusCode).toBe(401);
    });

    it('locks an account after 5 failures, even against the right password, and answers unknown users the same', async () => {
      await api.as('sales', { username: 'lockme' });
      const attempt = (username: string, password: string) =>
        api.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
      for (let i = 0; i < 5; i++) expect((await attempt('lockme', 'wrong password!')).statusCode).toBe(401);
      const sixth = await attempt('lockme', TEST_PASSWORD);
      expect(sixth.statusCode).toBe(401);
      const unknown = await attempt('nobody-here', 'whatever pass');
      expect(unknown.statusCode).toBe(401);
      expect(unknown.json()).toEqual(sixth.json());
    });

    it('accepts bearer API tokens without CSRF and rejects garbage tokens', async () => {
      const token = await api.asToken('manager');
      expect((await token.get('/api/v1/auth/me')).json()).toMatchObject({ role: 'manager', kind: 'token' });
      const bad = await api.app.inject({
        method: 'GET',
        url: '/api/v1/auth/me',
        headers: { authorization: 'Bearer nope' },
      });
      expect(bad.statusCode).toBe(401);
    });

    it('answers malformed JSON with a 400 error body and no stack', async () => {
      const res = await api.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: { 'content-type': 'application/json' },
        payload: '{"username": ',
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBeTruthy();
      expect(res.body).not.toMatch(/at .+:\d+:\d+/);
    });

    it('serves the OpenAPI document', async () => {
      const res = await api.app.inject({ method: 'GET', url: '/api/docs/json' });
      expect(res.statusCode).toBe(200);
      expect(res.json().paths['/api/v1/auth/login']).toBeDefined();
    });
  });
}
