import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from '../../src/services/auth/auth.service.ts';
import { DIALECTS, openTestDb, type TestDb } from '../support/databases.ts';
import { tableSnapshot } from '../support/snapshot.ts';

// `kelei user add|passwd|list`, next to `kelei serve` that creates the first admin.
const BIN = path.resolve(import.meta.dirname, '../../bin/kelei.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kelei-user-'));

function kelei(target: string, args: string[], lang: 'en' | 'zh' = 'en') {
  const r = spawnSync(process.execPath, [BIN, '--db', target, ...args], {
    encoding: 'utf8',
    env: { ...process.env, KELEI_LANG: lang, KELEI_KEY_FILE: path.join(dir, 'kelei.key') },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

for (const dialect of DIALECTS) {
  describe(`kelei user on ${dialect}`, () => {
    let t: TestDb;
    beforeAll(async () => {
      t = await openTestDb(dialect);
    });
    afterAll(async () => t?.drop());

    it('adds users with a given or a generated password, lists them and audits each change', async () => {
      const given = kelei(t.target, [
        'user',
        'add',
        'li.lei',
        '--role',
        'manager',
        '--password',
        'li lei secret 1',
      ]);
      expect(given.stderr).toBe('');
      expect(given.code, given.stderr).toBe(0);
      expect(given.stdout).toMatch(/created user li\.lei \(role manager\)/);
      expect(given.stdout).not.toMatch(/password/);

      const generated = kelei(t.target, ['user', 'add', 'han.mei', '--role', 'service']);
      expect(generated.code, generated.stderr).toBe(0);
      const password = /password: (\S+) \(shown only once\)/.exec(generated.stdout)?.[1] ?? '';
      expect(password).toHaveLength(20);
      await expect(login(t.db, { username: 'han.mei', password, now: new Date() })).resolves.toMatchObject({
        user: { role: 'service' },
      });
      await expect(
        login(t.db, { username: 'li.lei', password: 'li lei secret 1', now: new Date() }),
      ).resolves.toBeTruthy();

      const list = kelei(t.target, ['user', 'list']);
      expect(list.code, list.stderr).toBe(0);
      const lines = list.stdout.trim().split('\n');
      expect(lines[0]).toMatch(/^username\s+role\s+disabled\s+created/);
      expect(lines.find((l) => l.startsWith('han.mei'))).toMatch(
        /^han\.mei\s+service\s+no\s+\d{4}-\d{2}-\d{2} /,
      );
      expect(list.stdout).not.toMatch(/argon2/);
      expect(kelei(t.target, ['user', 'list'], 'zh').stdout).toMatch(/^用户名\s+角色\s+已停用\s+创建时间/);

      const audits = await t.db
        .selectFrom('audit_log')
        .select(['actor', 'action', 'entity_id'])
        .where('action', '=', 'user.create')
        .orderBy('id')
        .execute();
      expect(audits.map((a) => a.actor)).toEqual(['cli', 'cli']);
    });

    it('sets a password, given or generated, and ends the sessions of the user', async () => {
      const added = kelei(t.target, [
        'user',
        'add',
        'zhang.wei',
        '--role',
        'sales',
        '--password',
        'first password',
      ]);
      expect(added.code, added.stderr).toBe(0);
      await login(t.db, { username: 'zhang.wei', password: 'first password', now: new Date() });
      const set = kelei(t.target, ['user', 'passwd', 'zhang.wei', '--password', 'second password']);
      expect(set.code, set.stderr).toBe(0);
      expect(set.stdout).toMatch(/password of zhang\.wei changed/);
      const user = await t.db
        .selectFrom('users')
        .select('id')
        .where('username', '=', 'zhang.wei')
        .executeTakeFirstOrThrow();
      expect(await t.db.selectFrom('sessions').select('id').where('user_id', '=', user.id).execute()).toEqual(
        [],
      );
      await expect(
        login(t.db, { username: 'zhang.wei', password: 'second password', now: new Date() }),
      ).resolves.toBeTruthy();

      const generated = kelei(t.target, ['user', 'passwd', 'zhang.wei']);
      expect(generated.code, generated.stderr).toBe(0);
      const password = /password: (\S+) \(shown only once\)/.exec(generated.stdout)?.[1] ?? '';
      await expect(login(t.db, { username: 'zhang.wei', password, now: new Date() })).resolves.toBeTruthy();
      const audits = await t.db
        .selectFrom('audit_log')
        .select('details')
        .where('action', '=', 'user.update')
        .where('entity_id', '=', String(user.id))
        .execute();
      expect(audits).toHaveLength(2);
      expect(audits.map((a) => a.details).join()).not.toContain('second password');
    });

    it('answers bad input with one line, a non-zero exit and nothing written', async () => {
      kelei(t.target, ['user', 'add', 'taken', '--role', 'analyst', '--password', 'taken password']);
      const before = await tableSnapshot(t.db, ['users', 'sessions', 'audit_log']);
      const cases: [string[], RegExp, 'en' | 'zh'][] = [
        [['user', 'add', 'x1', '--role', 'root'], /unknown role "root"; use one of admin, manager/, 'en'],
        [['user', 'add', 'x1', '--role', 'root'], /未知角色/, 'zh'],
        [['user', 'add', 'x2', '--role', 'sales', '--password', 'short'], /at least 10 characters/, 'en'],
        [['user', 'add', 'x2', '--role', 'sales', '--password', 'short'], /至少需要 10 个字符/, 'zh'],
        [['user', 'add', 'taken', '--role', 'sales'], /user "taken" already exists/, 'en'],
        [['user', 'add', 'bad name', '--role', 'sales'], /username is 2–64/, 'en'],
        [['user', 'add', 'norole'], /--role/, 'en'],
        [['user', 'passwd', 'ghost', '--password', 'long enough pw'], /no user "ghost"/, 'en'],
        [['user', 'passwd', 'taken', '--password', 'short'], /at least 10 characters/, 'en'],
      ];
      for (const [args, message, lang] of cases) {
        const r = kelei(t.target, args, lang);
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).not.toBe(0);
        expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
        expect(r.stderr, args.join(' ')).toMatch(message);
        expect(r.stderr).not.toMatch(/\bat .+:\d+:\d+/);
      }
      expect(await tableSnapshot(t.db, ['users', 'sessions', 'audit_log'])).toEqual(before);
    }, 180_000);
  });
}
