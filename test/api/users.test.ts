import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.ts';
import type { Role } from '../../src/services/auth/policy.ts';
import { type ApiClient, type ApiTest, openApiTest, TEST_PASSWORD } from '../support/api.ts';
import { DIALECTS } from '../support/databases.ts';
import { tableSnapshot } from '../support/snapshot.ts';

const NON_ADMIN: Role[] = ['manager', 'sales', 'service', 'analyst'];
const NEW_PASSWORD = 'a brand new secret';

async function auditRows(db: Db, where: { action: string; entityId?: string | number }) {
  return db
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', where.action)
    .$if(where.entityId !== undefined, (q) => q.where('entity_id', '=', String(where.entityId)))
    .execute();
}

/** Users, sessions, tokens (less the last-used stamp a bearer request sets) and the audit log. */
async function authState(db: Db) {
  const tokens = await db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'role', 'token_hash', 'created_by', 'created_at', 'expires_at', 'revoked_at'])
    .orderBy('id')
    .execute();
  return { ...(await tableSnapshot(db, ['users', 'sessions', 'audit_log'])), tokens };
}

function login(api: ApiTest, username: string, password: string) {
  return api.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
}

for (const dialect of DIALECTS) {
  describe(`users and tokens API on ${dialect}`, () => {
    let api: ApiTest;
    let admin: ApiClient;
    beforeAll(async () => {
      api = await openApiTest(dialect);
      admin = await api.as('admin', { username: 'chief' });
    });
    afterAll(async () => api?.close());

    it('creates and lists users without ever showing a password hash, and audits the creation once', async () => {
      const created = await admin.post('/api/v1/users', {
        username: 'wang.fang',
        password: TEST_PASSWORD,
        role: 'sales',
        displayName: '王芳',
      });
      expect(created.statusCode).toBe(201);
      const user = created.json();
      expect(user).toMatchObject({
        username: 'wang.fang',
        role: 'sales',
        displayName: '王芳',
        disabled: false,
        locale: 'zh-CN',
        version: 1,
      });
      expect(created.body).not.toMatch(/argon2|password/i);

      const list = await admin.get('/api/v1/users');
      expect(list.statusCode).toBe(200);
      expect(list.body).not.toMatch(/argon2|password/i);
      expect(list.json().items.map((u: { username: string }) => u.username)).toContain('wang.fang');
      expect(list.json().total).toBe(list.json().items.length);

      expect((await login(api, 'wang.fang', TEST_PASSWORD)).statusCode).toBe(200);
      const rows = await auditRows(api.t.db, { action: 'user.create', entityId: user.id });
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ actor: 'chief', entity: 'user' });
      expect(JSON.parse(rows[0].details ?? '{}')).toEqual({ username: 'wang.fang', role: 'sales' });
    });

    it('refuses a duplicate name, a short password and an unknown role, writing nothing', async () => {
      await admin.post('/api/v1/users', { username: 'dup.user', password: TEST_PASSWORD, role: 'service' });
      const before = await authState(api.t.db);
      const cases: [unknown, number, string][] = [
        [{ username: 'dup.user', password: TEST_PASSWORD, role: 'analyst' }, 409, 'Conflict'],
        [{ username: 'short.pw', password: 'short', role: 'analyst' }, 400, 'ValidationError'],
        [{ username: 'bad.role', password: TEST_PASSWORD, role: 'root' }, 400, 'ValidationError'],
        [{ username: 'bad name!', password: TEST_PASSWORD, role: 'analyst' }, 400, 'ValidationError'],
      ];
      for (const [payload, status, code] of cases) {
        const res = await admin.post('/api/v1/users', payload);
        expect(res.statusCode, JSON.stringify(payload)).toBe(status);
        expect(res.json().error.code).toBe(code);
        expect(res.json().error.message_zh).toBeTruthy();
      }
      expect(await authState(api.t.db)).toEqual(before);
    });

    it('answers 403 to every other role and 401 to nobody, and the database stays as it was', async () => {
      const target = (
        await admin.post('/api/v1/users', { username: 'target', password: TEST_PASSWORD, role: 'analyst' })
      ).json();
      const token = (await admin.post('/api/v1/tokens', { name: 'ci', role: 'analyst' })).json();
      const callers = [
        ...(await Promise.all(NON_ADMIN.map((role) => api.as(role)))),
        await api.asToken('manager'),
      ];
      const before = await authState(api.t.db);
      const calls: ['GET' | 'POST' | 'PATCH' | 'DELETE', string, Record<string, unknown>?][] = [
        ['GET', '/api/v1/users'],
        ['POST', '/api/v1/users', { username: 'sneaky', password: TEST_PASSWORD, role: 'admin' }],
        ['PATCH', `/api/v1/users/${target.id}`, { role: 'admin', version: target.version }],
        ['PATCH', `/api/v1/users/${target.id}`, { disabled: true, version: target.version }],
        ['POST', `/api/v1/users/${target.id}/password`, { password: NEW_PASSWORD }],
        ['GET', '/api/v1/tokens'],
        ['POST', '/api/v1/tokens', { name: 'mine', role: 'admin' }],
        ['DELETE', `/api/v1/tokens/${token.id}`],
      ];
      for (const caller of callers) {
        for (const [method, url, payload] of calls) {
          const res = await caller.inject({ method, url, payload });
          expect(res.statusCode, `${caller.role} ${method} ${url}`).toBe(403);
          expect(res.json().error.code).toBe('Forbidden');
        }
      }
      for (const [method, url, payload] of calls) {
        const res = await api.anonymous.inject({ method, url, payload });
        expect(res.statusCode, `anonymous ${method} ${url}`).toBe(401);
      }
      expect(await authState(api.t.db)).toEqual(before);
    });

    it('refuses a stale version with 409 and keeps the change that won', async () => {
      const user = (
        await admin.post('/api/v1/users', { username: 'contested', password: TEST_PASSWORD, role: 'analyst' })
      ).json();
      const otherAdmin = await api.as('admin');
      const first = await admin.patch(`/api/v1/users/${user.id}`, {
        role: 'manager',
        displayName: '李雷',
        version: user.version,
      });
      expect(first.statusCode).toBe(200);
      expect(first.json()).toMatchObject({ role: 'manager', displayName: '李雷', version: user.version + 1 });

      const before = await authState(api.t.db);
      const second = await otherAdmin.patch(`/api/v1/users/${user.id}`, {
        role: 'service',
        disabled: true,
        version: user.version,
      });
      expect(second.statusCode).toBe(409);
      expect(second.json().error).toMatchObject({
        code: 'Conflict',
        details: { currentVersion: user.version + 1 },
      });
      expect(await authState(api.t.db)).toEqual(before);
      const now = (await admin.get('/api/v1/users'))
        .json()
        .items.find((u: { id: number }) => u.id === user.id);
      expect(now).toMatchObject({ role: 'manager', displayName: '李雷', disabled: false, version: 2 });

      const updates = await auditRows(api.t.db, { action: 'user.update', entityId: user.id });
      expect(updates).toHaveLength(1);
      expect(JSON.parse(updates[0].details ?? '{}')).toMatchObject({
        role: { from: 'analyst', to: 'manager' },
        displayName: 'changed',
      });
      expect(updates[0].details).not.toContain('李雷');

      // Sending the current version with nothing new changes nothing and audits nothing.
      const same = await admin.patch(`/api/v1/users/${user.id}`, { role: 'manager', version: 2 });
      expect(same.statusCode).toBe(200);
      expect(same.json().version).toBe(2);
      expect(await auditRows(api.t.db, { action: 'user.update', entityId: user.id })).toHaveLength(1);
    });

    it('answers 404 for an unknown user and 400 without a version', async () => {
      expect((await admin.patch('/api/v1/users/999999', { role: 'sales', version: 1 })).statusCode).toBe(404);
      expect((await admin.patch('/api/v1/users/999999', { role: 'sales' })).statusCode).toBe(400);
      expect((await admin.post('/api/v1/users/999999/password', { password: NEW_PASSWORD })).statusCode).toBe(
        404,
      );
    });

    it('ends the session and the API tokens of a disabled user at once', async () => {
      const victim = await api.as('sales', { username: 'leaver' });
      const victimToken = await api.asToken('sales');
      expect((await victim.get('/api/v1/auth/me')).statusCode).toBe(200);
      const read = (await admin.get('/api/v1/users')).json();
      const row = read.items.find((u: { username: string }) => u.username === 'leaver');
      const tokenOwner = read.items.find((u: { username: string }) => u.username === victimToken.username);

      const disabled = await admin.patch(`/api/v1/users/${row.id}`, { disabled: true, version: row.version });
      expect(disabled.statusCode).toBe(200);
      expect(disabled.json().disabled).toBe(true);
      expect((await victim.get('/api/v1/auth/me')).statusCode).toBe(401);
      expect((await login(api, 'leaver', TEST_PASSWORD)).statusCode).toBe(401);
      const sessions = await api.t.db
        .selectFrom('sessions')
        .select('id')
        .where('user_id', '=', row.id)
        .execute();
      expect(sessions).toHaveLength(0);

      expect((await victimToken.get('/api/v1/auth/me')).statusCode).toBe(200);
      await admin.patch(`/api/v1/users/${tokenOwner.id}`, { disabled: true, version: tokenOwner.version });
      expect((await victimToken.get('/api/v1/auth/me')).statusCode).toBe(401);

      const enabled = await admin.patch(`/api/v1/users/${row.id}`, {
        disabled: false,
        version: disabled.json().version,
      });
      expect(enabled.statusCode).toBe(200);
      expect((await victim.get('/api/v1/auth/me')).statusCode).toBe(401);
      expect((await login(api, 'leaver', TEST_PASSWORD)).statusCode).toBe(200);
      const updates = await auditRows(api.t.db, { action: 'user.update', entityId: row.id });
      expect(updates.map((u) => JSON.parse(u.details ?? '{}').disabled)).toEqual([
        { from: false, to: true },
        { from: true, to: false },
      ]);
    });

    it('ends the sessions of a user whose role changes; the new role applies at the next sign-in', async () => {
      const user = await api.as('analyst', { username: 'promoted' });
      const row = (await admin.get('/api/v1/users'))
        .json()
        .items.find((u: { id: number }) => u.id === user.userId);
      const res = await admin.patch(`/api/v1/users/${row.id}`, { role: 'manager', version: row.version });
      expect(res.statusCode).toBe(200);
      expect((await user.get('/api/v1/auth/me')).statusCode).toBe(401);
      const again = await login(api, 'promoted', TEST_PASSWORD);
      expect(again.json().user.role).toBe('manager');
    });

    it('revokes the API tokens an admin issued when they stop being an admin', async () => {
      const former = await api.as('admin', { username: 'former.admin' });
      const issued = (await former.post('/api/v1/tokens', { name: 'their sync', role: 'admin' })).json();
      const bearer = { authorization: `Bearer ${issued.token}` };
      expect(
        (await api.app.inject({ method: 'GET', url: '/api/v1/users', headers: bearer })).statusCode,
      ).toBe(200);
      const row = (await admin.get('/api/v1/users'))
        .json()
        .items.find((u: { id: number }) => u.id === former.userId);
      const res = await admin.patch(`/api/v1/users/${row.id}`, { role: 'analyst', version: row.version });
      expect(res.statusCode).toBe(200);
      expect(
        (await api.app.inject({ method: 'GET', url: '/api/v1/users', headers: bearer })).statusCode,
      ).toBe(401);
      const listed = (await admin.get('/api/v1/tokens'))
        .json()
        .items.find((t: { id: number }) => t.id === issued.id);
      expect(listed.revokedAt).not.toBeNull();
      const [update] = await auditRows(api.t.db, { action: 'user.update', entityId: row.id });
      expect(JSON.parse(update.details ?? '{}')).toMatchObject({ tokensRevoked: 1 });
    });

    it('lets an admin set a password: old sessions and the old password stop working', async () => {
      const user = await api.as('service', { username: 'forgetful' });
      const res = await admin.post(`/api/v1/users/${user.userId}/password`, { password: NEW_PASSWORD });
      expect(res.statusCode).toBe(200);
      expect((await user.get('/api/v1/auth/me')).statusCode).toBe(401);
      expect((await login(api, 'forgetful', TEST_PASSWORD)).statusCode).toBe(401);
      expect((await login(api, 'forgetful', NEW_PASSWORD)).statusCode).toBe(200);
      const short = await admin.post(`/api/v1/users/${user.userId}/password`, { password: 'short' });
      expect(short.statusCode).toBe(400);
      expect(short.json().error.message_zh).toContain('10');
      const rows = await auditRows(api.t.db, { action: 'user.update', entityId: user.userId });
      expect(rows).toHaveLength(1);
      expect(rows[0].details).not.toContain(NEW_PASSWORD);
      expect(JSON.parse(rows[0].details ?? '{}')).toEqual({ username: 'forgetful', password: 'set' });
    });

    it("remembers each signed-in user's language", async () => {
      const user = await api.as('analyst', { username: 'polyglot' });
      const res = await user.patch('/api/v1/auth/me/locale', { locale: 'en-US' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ locale: 'en-US' });
      expect((await login(api, 'polyglot', TEST_PASSWORD)).json().user.locale).toBe('en-US');
      expect((await user.patch('/api/v1/auth/me/locale', { locale: 'fr-FR' })).statusCode).toBe(400);
      expect((await api.anonymous.patch('/api/v1/auth/me/locale', { locale: 'zh-CN' })).statusCode).toBe(401);
    });

    it('creates an API token shown once, lists tokens without secrets, and revokes it', async () => {
      const created = await admin.post('/api/v1/tokens', {
        name: 'ERP sync',
        role: 'manager',
        expiresAt: '2999-01-01T00:00:00+08:00',
      });
      expect(created.statusCode).toBe(201);
      const token = created.json();
      expect(token).toMatchObject({
        name: 'ERP sync',
        role: 'manager',
        createdBy: 'chief',
        expiresAt: '2998-12-31T16:00:00.000Z',
        revokedAt: null,
      });
      expect(token.token).toMatch(/^klt_/);
      const bearer = { authorization: `Bearer ${token.token}` };
      const me = await api.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer });
      expect(me.json()).toMatchObject({ username: 'chief', role: 'manager', kind: 'token' });

      const list = await admin.get('/api/v1/tokens');
      expect(list.statusCode).toBe(200);
      expect(list.body).not.toContain(token.token);
      expect(list.body).not.toMatch(/hash/i);
      const listed = list.json().items.find((t: { id: number }) => t.id === token.id);
      expect(listed.lastUsedAt).not.toBeNull();
      expect(listed).not.toHaveProperty('token');

      const revoked = await admin.delete(`/api/v1/tokens/${token.id}`);
      expect(revoked.statusCode).toBe(200);
      expect(revoked.json().revokedAt).not.toBeNull();
      expect(
        (await api.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer })).statusCode,
      ).toBe(401);
      expect((await admin.delete(`/api/v1/tokens/${token.id}`)).statusCode).toBe(200);
      expect((await admin.delete('/api/v1/tokens/999999')).statusCode).toBe(404);

      const creates = await auditRows(api.t.db, { action: 'token.create', entityId: token.id });
      expect(creates).toHaveLength(1);
      expect(creates[0].details).not.toContain(token.token);
      expect(await auditRows(api.t.db, { action: 'token.revoke', entityId: token.id })).toHaveLength(1);
    });

    it('refuses a token that would already be expired', async () => {
      const before = await authState(api.t.db);
      const past = await admin.post('/api/v1/tokens', {
        name: 'old',
        role: 'analyst',
        expiresAt: '2001-01-01T00:00:00Z',
      });
      expect(past.statusCode).toBe(400);
      expect(
        (await admin.post('/api/v1/tokens', { name: 'x', role: 'analyst', expiresAt: 'soon' })).statusCode,
      ).toBe(400);
      expect(await authState(api.t.db)).toEqual(before);
    });

    it('documents the routes in OpenAPI', async () => {
      const paths = (await api.app.inject({ method: 'GET', url: '/api/docs/json' })).json().paths;
      for (const path of [
        '/api/v1/users',
        '/api/v1/users/{id}',
        '/api/v1/users/{id}/password',
        '/api/v1/users/{id}/unlock',
        '/api/v1/auth/me/locale',
        '/api/v1/auth/me/password',
        '/api/v1/roles',
        '/api/v1/tokens',
        '/api/v1/tokens/{id}',
      ]) {
        expect(paths[path], path).toBeDefined();
      }
      expect(paths['/api/v1/users/{id}'].patch.requestBody).toBeDefined();
    });
  });

  // Its own app: these tests sign in often, and the login route's rate limit is per app.
  describe(`sign-in state, own password and roles on ${dialect}`, () => {
    let api: ApiTest;
    let admin: ApiClient;
    beforeAll(async () => {
      api = await openApiTest(dialect);
      admin = await api.as('admin', { username: 'keeper' });
    });
    afterAll(async () => api?.close());

    it('lists when each user last signed in and whether failed sign-ins lock them, and unlocks', async () => {
      const user = await api.as('service', { username: 'fumbler' });
      let row = (await admin.get('/api/v1/users'))
        .json()
        .items.find((u: { id: number }) => u.id === user.userId);
      expect(row.lastLoginAt).not.toBeNull();
      expect(row.lockedUntil).toBeNull();

      for (let i = 0; i < 5; i++)
        expect((await login(api, 'fumbler', 'wrong password!')).statusCode).toBe(401);
      expect((await login(api, 'fumbler', TEST_PASSWORD)).statusCode).toBe(401);
      row = (await admin.get('/api/v1/users')).json().items.find((u: { id: number }) => u.id === user.userId);
      expect(Date.parse(row.lockedUntil)).toBeGreaterThan(Date.now());

      const refused = await user.post(`/api/v1/users/${user.userId}/unlock`);
      expect(refused.statusCode).toBe(403);
      const unlocked = await admin.post(`/api/v1/users/${user.userId}/unlock`);
      expect(unlocked.statusCode).toBe(200);
      row = (await admin.get('/api/v1/users')).json().items.find((u: { id: number }) => u.id === user.userId);
      expect(row.lockedUntil).toBeNull();
      expect((await login(api, 'fumbler', TEST_PASSWORD)).statusCode).toBe(200);
      const rows = await auditRows(api.t.db, { action: 'user.update', entityId: user.userId });
      expect(JSON.parse(rows[0].details ?? '{}')).toMatchObject({ unlocked: true, failuresCleared: 6 });
      expect((await admin.post('/api/v1/users/999999/unlock')).statusCode).toBe(404);
    });

    it('lets a signed-in user change their own password with the current one; other sessions end', async () => {
      const user = await api.as('analyst', { username: 'rotator' });
      const otherLogin = await login(api, 'rotator', TEST_PASSWORD);
      const otherCookie = otherLogin.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
      const before = await authState(api.t.db);

      const wrong = await user.post('/api/v1/auth/me/password', {
        currentPassword: 'not my password',
        newPassword: NEW_PASSWORD,
      });
      expect(wrong.statusCode).toBe(400);
      expect(wrong.json().error.message_zh).toContain('当前密码');
      const short = await user.post('/api/v1/auth/me/password', {
        currentPassword: TEST_PASSWORD,
        newPassword: 'short',
      });
      expect(short.statusCode).toBe(400);
      expect(await authState(api.t.db)).toEqual(before);

      const ok = await user.post('/api/v1/auth/me/password', {
        currentPassword: TEST_PASSWORD,
        newPassword: NEW_PASSWORD,
      });
      expect(ok.statusCode).toBe(200);
      expect((await user.get('/api/v1/auth/me')).statusCode).toBe(200);
      const other = await api.app.inject({
        method: 'GET',
        url: '/api/v1/auth/me',
        headers: { cookie: otherCookie },
      });
      expect(other.statusCode).toBe(401);
      expect((await login(api, 'rotator', TEST_PASSWORD)).statusCode).toBe(401);
      expect((await login(api, 'rotator', NEW_PASSWORD)).statusCode).toBe(200);
      const rows = await auditRows(api.t.db, { action: 'user.update', entityId: user.userId });
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ actor: 'rotator' });
      expect(rows[0].details).not.toContain(NEW_PASSWORD);

      const token = await api.asToken('admin');
      const byToken = await token.post('/api/v1/auth/me/password', {
        currentPassword: TEST_PASSWORD,
        newPassword: NEW_PASSWORD,
      });
      expect(byToken.statusCode).toBe(403);
    });

    it('describes every role from the permission table to any signed-in user', async () => {
      const res = await admin.get('/api/v1/roles');
      expect(res.statusCode).toBe(200);
      const items = res.json().items as { role: string; scope: string; actions: string[] }[];
      expect(items.map((i) => i.role)).toEqual(['admin', 'manager', 'sales', 'service', 'analyst']);
      expect(items.find((i) => i.role === 'sales')?.scope).toBe('own');
      expect(items.find((i) => i.role === 'admin')?.actions).toContain('users.manage');
      expect(items.find((i) => i.role === 'analyst')?.actions).not.toContain('pii.view');
      expect((await api.anonymous.get('/api/v1/roles')).statusCode).toBe(401);
    });
  });

  describe(`the last admin on ${dialect}`, () => {
    let api: ApiTest;
    beforeAll(async () => {
      api = await openApiTest(dialect);
    });
    afterAll(async () => api?.close());

    it('can be neither disabled nor demoted', async () => {
      const only = await api.as('admin', { username: 'solo' });
      const me = (await only.get('/api/v1/users')).json().items[0];
      const before = await authState(api.t.db);
      for (const change of [{ disabled: true }, { role: 'manager' }]) {
        const res = await only.patch(`/api/v1/users/${me.id}`, { ...change, version: me.version });
        expect(res.statusCode, JSON.stringify(change)).toBe(409);
        expect(res.json().error.message_zh).toContain('管理员');
      }
      expect(await authState(api.t.db)).toEqual(before);

      const second = (
        await only.post('/api/v1/users', { username: 'deputy', password: TEST_PASSWORD, role: 'admin' })
      ).json();
      const demoted = await only.patch(`/api/v1/users/${second.id}`, { role: 'manager', version: 1 });
      expect(demoted.statusCode).toBe(200);
    });
  });
}
