import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.ts';
import { loadConfig, parseProxyList, postgresKeyFile } from '../../src/config.ts';
import { isKeleiError } from '../../src/core/errors.ts';
import { CUSTOMER_TEXT_LIMITS } from '../../src/core/text-limits.ts';
import { createUser } from '../../src/services/auth/auth.service.ts';
import { dataDirOf } from '../../src/services/jobs/data-dir.ts';
import { createPiiCipher, keyFingerprint, UNREADABLE_PII } from '../../src/services/privacy/pii-cipher.ts';
import { openPiiCipher } from '../../src/services/privacy/pii-key.ts';
import { type ApiTest, openApiTest, TEST_PASSWORD } from '../support/api.ts';
import { DIALECTS } from '../support/databases.ts';

/** Guarantees of docs/security.md that concurrency, hostile input or a wrong key used to break. */

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kelei-hardening-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (e) {
    if (isKeleiError(e) && e.code === 'DatabaseUnavailable') return e.message;
    throw e;
  }
  throw new Error('expected a refusal');
}

for (const dialect of DIALECTS) {
  describe(`security hardening on ${dialect}`, () => {
    let api: ApiTest;
    beforeAll(async () => {
      api = await openApiTest(dialect);
    });
    afterAll(async () => api?.close());

    const login = (username: string, password: string, remoteAddress = '127.0.0.1', headers = {}) =>
      api.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username, password },
        remoteAddress,
        headers,
      });

    describe('the PII key', () => {
      it('is created for an empty database, its fingerprint recorded, and another key refused', async () => {
        const keyFile = path.join(tmp, `${dialect}-first`, 'kelei.key');
        const first = await openPiiCipher(api.t.db, { keyFile });
        expect((fs.statSync(keyFile).mode & 0o777).toString(8)).toBe('600');
        const stored = await sql<{
          fingerprint: string;
        }>`select fingerprint from pii_key_check`.execute(api.t.db);
        expect(stored.rows).toEqual([{ fingerprint: first.fingerprint }]);
        // The fingerprint is not the key, and the same key opens again.
        expect(stored.rows[0].fingerprint).not.toContain(fs.readFileSync(keyFile, 'utf8').trim());
        expect((await openPiiCipher(api.t.db, { keyFile })).fingerprint).toBe(first.fingerprint);
        expect(
          (
            await openPiiCipher(api.t.db, {
              keyFile: path.join(tmp, 'unused.key'),
              envKey: fs.readFileSync(keyFile, 'utf8').trim(),
            })
          ).fingerprint,
        ).toBe(first.fingerprint);

        const otherKey = crypto.randomBytes(32).toString('hex');
        const message = await refusal(openPiiCipher(api.t.db, { keyFile, envKey: otherKey }));
        expect(message).toMatch(/^the encryption key from KELEI_SECRET_KEY is not the key of this database/);
        expect(message).toMatch(/set KELEI_SECRET_KEY, or KELEI_KEY_FILE/);
        // A database with a fingerprint never gets a new key file.
        const elsewhere = path.join(tmp, `${dialect}-elsewhere`, 'kelei.key');
        expect(await refusal(openPiiCipher(api.t.db, { keyFile: elsewhere }))).toMatch(/its key is not at/);
        expect(fs.existsSync(elsewhere)).toBe(false);
        await sql`delete from pii_key_check`.execute(api.t.db);
      });

      it('on a database with encrypted data and no fingerprint, records the key that decrypts it and refuses one that does not', async () => {
        const manager = await api.as('manager');
        const key = crypto.randomBytes(32);
        const keyFile = path.join(tmp, `${dialect}-legacy.key`);
        fs.writeFileSync(keyFile, `${key.toString('hex')}\n`, { mode: 0o600 });
        // Rows written under `key`, as every database holds them today.
        const legacy = createPiiCipher(key);
        const created = await manager.post('/api/v1/customers', { name: '旧客户', phone: '13900001111' });
        expect(created.statusCode, created.body).toBe(201);
        await api.t.db
          .updateTable('customers')
          .set({ phone_enc: legacy.encrypt('13900001111') })
          .where('code', '=', created.json().code)
          .execute();
        await sql`delete from pii_key_check`.execute(api.t.db);

        const missing = path.join(tmp, `${dialect}-missing`, 'kelei.key');
        expect(await refusal(openPiiCipher(api.t.db, { keyFile: missing }))).toMatch(
          /holds encrypted personal data but its key is not at/,
        );
        expect(fs.existsSync(missing)).toBe(false);
        const wrong = crypto.randomBytes(32).toString('hex');
        expect(await refusal(openPiiCipher(api.t.db, { keyFile, envKey: wrong }))).toMatch(/is not the key/);
        expect((await sql`select * from pii_key_check`.execute(api.t.db)).rows).toEqual([]);

        const opened = await openPiiCipher(api.t.db, { keyFile });
        expect(opened.fingerprint).toBe(keyFingerprint(key));
        const stored = await sql<{ fingerprint: string }>`select fingerprint from pii_key_check`.execute(
          api.t.db,
        );
        expect(stored.rows[0]?.fingerprint).toBe(keyFingerprint(key));
        await sql`delete from pii_key_check`.execute(api.t.db);
      });

      it('shows a value the key cannot decrypt as unreadable, without breaking the list, the record or the export', async () => {
        const manager = await api.as('manager');
        const good = (
          await manager.post('/api/v1/customers', { name: '好记录', phone: '13700002222' })
        ).json();
        const bad = (
          await manager.post('/api/v1/customers', { name: '坏记录', phone: '13700003333' })
        ).json();
        const foreign = createPiiCipher(crypto.randomBytes(32));
        await api.t.db
          .updateTable('customers')
          .set({ phone_enc: foreign.encrypt('13700003333'), email_enc: foreign.encrypt('x@example.com') })
          .where('code', '=', bad.code)
          .execute();

        const list = await manager.get('/api/v1/customers?pageSize=200');
        expect(list.statusCode, list.body).toBe(200);
        const items = list.json().items as { code: string; phone: string | null; email: string | null }[];
        expect(items.find((c) => c.code === good.code)?.phone).toBe('137****2222');
        expect(items.find((c) => c.code === bad.code)).toMatchObject({
          phone: UNREADABLE_PII,
          email: UNREADABLE_PII,
        });

        const detail = await manager.get(`/api/v1/customers/${bad.code}`);
        expect(detail.statusCode, detail.body).toBe(200);
        expect(JSON.stringify(detail.json())).toContain(UNREADABLE_PII);
        const revealed = await manager.post(`/api/v1/customers/${bad.code}/reveal`, { fields: ['phone'] });
        expect(revealed.statusCode, revealed.body).toBe(200);
        expect(revealed.json().phone).toBe(UNREADABLE_PII);

        const exported = await manager.get('/api/v1/exports/customers?format=csv');
        expect(exported.statusCode, exported.body).toBe(200);
        expect(exported.body).toContain(UNREADABLE_PII);
        expect(exported.body).toContain('137****2222');
      });

      it('lives in one place whatever the working folder: beside the SQLite file, per user and database for PostgreSQL', () => {
        const sqlite = loadConfig({ DATABASE_URL: 'some/dir/kelei.db' });
        expect(sqlite.keyFile).toBe(path.resolve('some/dir/kelei.key'));
        const env = { XDG_CONFIG_HOME: '/home/ops/.config' };
        const url = 'postgres://app:secret@db.internal:5432/kelei';
        const pg = loadConfig({ ...env, DATABASE_URL: url });
        expect(pg.keyFile).toBe(postgresKeyFile(url, env));
        expect(pg.keyFile).toMatch(/^\/home\/ops\/\.config\/kelei\/[0-9a-f]{16}\.key$/);
        // A changed password is the same database; another database has its own key.
        expect(postgresKeyFile('postgres://app:other@db.internal:5432/kelei', env)).toBe(pg.keyFile);
        expect(postgresKeyFile('postgres://app@db.internal:5432/other', env)).not.toBe(pg.keyFile);
        expect(pg.keyFile.startsWith(process.cwd())).toBe(false);
        expect(loadConfig({ DATABASE_URL: url, KELEI_KEY_FILE: '/etc/kelei/kelei.key' }).keyFile).toBe(
          '/etc/kelei/kelei.key',
        );
      });
    });

    describe('sign-in', () => {
      it('counts 40 wrong passwords and the right one sent at once: the right one is refused', async () => {
        await createUser(api.t.db, {
          username: 'raced',
          password: TEST_PASSWORD,
          role: 'sales',
          now: new Date(),
        });
        // Each attempt from its own address, so the per-address rate limit is not what stops them.
        const answers = await Promise.all([
          ...Array.from({ length: 40 }, (_, i) => login('raced', `wrong password ${i}`, `10.0.0.${i + 1}`)),
          login('raced', TEST_PASSWORD, '10.0.1.1'),
        ]);
        expect(answers.map((a) => a.statusCode)).toEqual(Array(41).fill(401));
        const attempts = await api.t.db
          .selectFrom('login_attempts')
          .select(['success'])
          .where('username', '=', 'raced')
          .execute();
        expect(attempts).toHaveLength(41);
        expect(attempts.filter((a) => a.success === 1)).toEqual([]);
        expect((await login('raced', TEST_PASSWORD, '10.0.2.1')).statusCode).toBe(401);
      });

      it('keeps an unknown user name out of the audit log and the attempts, and a known one in them', async () => {
        const typed = 'Tr0ub4dor&3-typed-as-user';
        expect((await login(typed, 'whatever password', '10.1.0.1')).statusCode).toBe(401);
        await createUser(api.t.db, {
          username: 'known.user',
          password: TEST_PASSWORD,
          role: 'analyst',
          now: new Date(),
        });
        expect((await login('known.user', 'wrong password', '10.1.0.2')).statusCode).toBe(401);
        const failures = await api.t.db
          .selectFrom('audit_log')
          .select(['actor'])
          .where('action', '=', 'login.failure')
          .execute();
        const actors = failures.map((f) => f.actor);
        expect(actors).toContain('known.user');
        expect(actors.join('\n')).not.toContain(typed);
        expect(actors.join('\n')).not.toContain(typed.slice(0, 6));
        const label = actors.find((a) => a.startsWith('unknown:'));
        expect(label).toMatch(/^unknown:[\w-]{12}$/);
        const attempts = await api.t.db.selectFrom('login_attempts').select('username').execute();
        expect(attempts.map((a) => a.username).join('\n')).not.toContain(typed);
        // The same unknown name gets the same label, so repeated guesses stay visible.
        expect((await login(typed, 'another password', '10.1.0.3')).statusCode).toBe(401);
        const again = await api.t.db
          .selectFrom('audit_log')
          .select('actor')
          .where('actor', '=', label ?? '')
          .execute();
        expect(again).toHaveLength(2);
      });

      it('believes X-Forwarded-For only from the proxies named in KELEI_TRUST_PROXY', async () => {
        // Default: no proxy is trusted, so a rotating header does not get past the login rate limit.
        const spoofed = [];
        for (let i = 0; i < 31; i++) {
          spoofed.push(
            (await login('nobody', 'x', '192.0.2.10', { 'x-forwarded-for': `198.51.100.${i}` })).statusCode,
          );
        }
        expect(spoofed.slice(0, 30).every((s) => s === 401)).toBe(true);
        expect(spoofed[30]).toBe(429);

        const proxied = await buildApp({
          handle: api.t,
          config: loadConfig({ DATABASE_URL: api.t.target, KELEI_TRUST_PROXY: '192.0.2.0/24, 2001:db8::1' }),
          clock: () => new Date(),
          cipher: api.cipher,
          logger: false,
        });
        try {
          const statuses = [];
          for (let i = 0; i < 31; i++) {
            const r = await proxied.inject({
              method: 'POST',
              url: '/api/v1/auth/login',
              payload: { username: 'nobody', password: 'x' },
              remoteAddress: '192.0.2.20',
              headers: { 'x-forwarded-for': `203.0.113.${i}` },
            });
            statuses.push(r.statusCode);
          }
          // Behind the trusted proxy each client has its own limit.
          expect(statuses.every((s) => s === 401)).toBe(true);
        } finally {
          await proxied.close();
        }
        expect(parseProxyList('')).toEqual([]);
        expect(parseProxyList(' 10.0.0.1 ,10.0.0.0/8,::1 ')).toEqual(['10.0.0.1', '10.0.0.0/8', '::1']);
        for (const bad of ['true', '10.0.0.0/33', 'proxy.internal', '10.0.0.1/8/1']) {
          expect(() => parseProxyList(bad), bad).toThrow(/KELEI_TRUST_PROXY/);
        }
      });
    });

    if (dialect === 'postgres') {
      describe('the audit log', () => {
        it('refuses TRUNCATE on PostgreSQL', async () => {
          await expect(sql`truncate audit_log`.execute(api.t.db)).rejects.toThrow(/append-only/);
          expect(
            Number(
              (await sql<{ n: number }>`select count(*) as n from audit_log`.execute(api.t.db)).rows[0].n,
            ),
          ).toBeGreaterThan(0);
        });
      });
    }

    describe('files and imported text', () => {
      it('keeps uploads and error reports owner-only, and refuses an imported name the API would refuse', async () => {
        const manager = await api.as('manager');
        const longName = '长'.repeat(CUSTOMER_TEXT_LIMITS.name + 1);
        const viaApi = await manager.post('/api/v1/customers', { name: longName });
        expect(viaApi.statusCode).toBe(400);

        const workbook = new ExcelJS.Workbook();
        const sheet = workbook.addWorksheet('客户');
        sheet.addRow(['客户编号', '姓名', '手机']);
        sheet.addRow(['LIM1', '正常名字', '13600001111']);
        sheet.addRow(['LIM2', 'x'.repeat(300_000), '13600002222']);
        sheet.addRow(['LIM3', '名'.repeat(CUSTOMER_TEXT_LIMITS.name), '13600003333']);
        const data = Buffer.from(await workbook.xlsx.writeBuffer());
        const form = new FormData();
        form.append('entity', 'customers');
        form.append('file', new Blob([new Uint8Array(data)]), '客户.xlsx');
        const response = new Response(form);
        const uploaded = await manager.inject({
          method: 'POST',
          url: '/api/v1/imports',
          payload: Buffer.from(await response.arrayBuffer()),
          headers: { 'content-type': response.headers.get('content-type') ?? '' },
        });
        expect(uploaded.statusCode, uploaded.body).toBe(201);
        const id = uploaded.json().id as string;
        const dir = path.join(dataDirOf(loadConfig({ DATABASE_URL: api.t.target })), 'uploads', id);

        const dry = await manager.post(`/api/v1/imports/${id}/dry-run`, {});
        expect(dry.statusCode, dry.body).toBe(200);
        expect(dry.json()).toMatchObject({ counts: { rows: 3, new: 2, invalid: 1 }, hasErrorReport: true });
        const error = dry.json().errors[0];
        expect(error).toMatchObject({ row: 3, column: '姓名' });
        expect(JSON.stringify(error)).toMatch(/longer than 200 characters/);
        expect(JSON.stringify(error).length).toBeLessThan(1000);

        const entries = fs
          .readdirSync(dir, { recursive: true, encoding: 'utf8' })
          .map((f) => path.join(dir, f));
        expect(entries.some((f) => f.endsWith('-errors.csv'))).toBe(true);
        for (const f of [dir, ...entries]) {
          const stat = fs.statSync(f);
          expect((stat.mode & 0o777).toString(8), f).toBe(stat.isDirectory() ? '700' : '600');
        }

        const committed = await manager.post(`/api/v1/imports/${id}/commit`, { skipInvalid: true });
        expect(committed.statusCode, committed.body).toBe(202);
        for (let i = 0; i < 400; i++) {
          const job = (await manager.get(`/api/v1/imports/jobs/${committed.json().jobId}`)).json();
          if (job.status !== 'running') {
            expect(job.status).toBe('done');
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
        const names = await api.t.db
          .selectFrom('customers')
          .select(['code', 'name'])
          .where('code', 'like', 'LIM%')
          .orderBy('code')
          .execute();
        expect(names.map((n) => n.code)).toEqual(['LIM1', 'LIM3']);
      });
    });

    describe('rules', () => {
      it('answers a thousand nested parentheses or two thousand chained + with a 400 and a position', async () => {
        const analyst = await api.as('analyst');
        const nested = `${'('.repeat(1000)}total_amount > 1${')'.repeat(1000)}`;
        const deep = await analyst.get(`/api/v1/customers?filter=${encodeURIComponent(nested)}`);
        expect(deep.statusCode, deep.body).toBe(400);
        expect(deep.json().error).toMatchObject({ code: 'InvalidRule', details: { line: 1, column: 101 } });
        expect(deep.json().error.message).toMatch(/nests too deep/);

        const chain = `total_amount${'+1'.repeat(1990)} > 0`;
        const long = await analyst.get(`/api/v1/customers?filter=${encodeURIComponent(chain)}`);
        expect(long.statusCode, long.body).toBe(400);
        expect(long.json().error).toMatchObject({ code: 'InvalidRule', details: { line: 1 } });

        const checked = await analyst.post('/api/v1/rules/check', {
          expression: `total_amount${' + 1'.repeat(2000)} > 0`,
        });
        expect(checked.statusCode).toBe(200);
        expect(checked.json()).toMatchObject({ ok: false, error: { code: 'SyntaxError', line: 1 } });
      });
    });
  });
}
