import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, openTestDb, type TestDb } from '../support/databases.ts';

/**
 * The CLI against a wrong or missing key, and against imported text meant for the
 * terminal. Each test starts the CLI several times: minutes on a loaded machine.
 */

const BIN = path.resolve(import.meta.dirname, '../../bin/kelei.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kelei-cli-hardening-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function kelei(target: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, '--db', target, ...args], {
    encoding: 'utf8',
    cwd: dir,
    env: { ...process.env, KELEI_LANG: 'en', KELEI_SECRET_KEY: '', ...env },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for them
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

for (const dialect of DIALECTS) {
  describe(`kelei CLI hardening on ${dialect}`, () => {
    let t: TestDb;
    const keyFile = path.join(dir, `${dialect}.key`);
    beforeAll(async () => {
      t = await openTestDb(dialect);
    });
    afterAll(async () => t?.drop());

    it('refuses with one line a key that is not the database key, and never makes a second one', () => {
      const demo = kelei(t.target, ['demo', '--seed', '3', '--customers', '40', '--as-of', '2024-06-30'], {
        KELEI_KEY_FILE: keyFile,
      });
      expect(demo.stderr).toBe('');
      expect(demo.code).toBe(0);
      expect(fs.existsSync(keyFile)).toBe(true);

      const elsewhere = path.join(dir, `${dialect}-other-folder`, 'kelei.key');
      const missing = kelei(t.target, ['export', 'customers', '--out', path.join(dir, `${dialect}-a.csv`)], {
        KELEI_KEY_FILE: elsewhere,
      });
      expect(missing.code).toBe(7);
      expect(missing.stderr.trim().split('\n')).toHaveLength(1);
      expect(missing.stderr).toMatch(
        /holds encrypted personal data but its key is not at .*set KELEI_SECRET_KEY/,
      );
      expect(fs.existsSync(elsewhere)).toBe(false);

      const csv = path.join(dir, `${dialect}-new.csv`);
      fs.writeFileSync(csv, '客户编号,姓名,手机\nN1,新客户,13800001234\n');
      const wrongWrite = kelei(t.target, ['import', 'customers', csv], {
        KELEI_SECRET_KEY: crypto.randomBytes(32).toString('hex'),
      });
      expect(wrongWrite.code).toBe(7);
      expect(wrongWrite.stderr).toMatch(/^kelei: the encryption key from KELEI_SECRET_KEY is not the key/);
      expect(wrongWrite.stderr.trim().split('\n')).toHaveLength(1);

      const right = kelei(t.target, ['export', 'customers', '--out', path.join(dir, `${dialect}-b.csv`)], {
        KELEI_KEY_FILE: keyFile,
      });
      expect(right.stderr).toBe('');
      expect(right.code).toBe(0);
      expect((fs.statSync(path.join(dir, `${dialect}-b.csv`)).mode & 0o777).toString(8)).toBe('600');
      expect(fs.readFileSync(path.join(dir, `${dialect}-b.csv`), 'utf8')).not.toContain('新客户');
    }, 300_000);

    it('prints imported text without escape sequences, BEL or carriage returns', async () => {
      const hostile = '\u001b[31m红\u001b[0m\u0007\u001b]0;owned\u0007\r\u009b2J';
      await t.db
        .updateTable('customers')
        .set({ name: `客户${hostile}` })
        .where('code', '=', 'KH000001')
        .execute();
      expect(kelei(t.target, ['classify', '--as-of', '2024-06-30'], { KELEI_KEY_FILE: keyFile }).code).toBe(
        0,
      );
      const explain = kelei(t.target, ['explain', 'KH000001', '--scheme', 'rfm8'], {
        KELEI_KEY_FILE: keyFile,
      });
      expect(explain.code).toBe(0);
      expect(explain.stdout).toContain('KH000001 客户红');
      expect(explain.stdout).not.toMatch(CONTROL);

      const file = path.join(dir, `${dialect}-hostile.csv`);
      fs.writeFileSync(file, `客户编号,姓名,手机\nX1,ok,13800000000\nX2,${hostile},1380${hostile}\n`);
      const imported = kelei(t.target, ['import', 'customers', file, '--dry-run'], {
        KELEI_KEY_FILE: keyFile,
      });
      expect(imported.stdout).toMatch(/row 3/);
      expect(imported.stdout + imported.stderr).not.toMatch(CONTROL);
      // JSON keeps the data whole, escaped.
      const json = kelei(t.target, ['explain', 'KH000001', '--scheme', 'rfm8', '--json'], {
        KELEI_KEY_FILE: keyFile,
      });
      expect(json.stdout).not.toMatch(CONTROL);
      expect(JSON.parse(json.stdout).customerName).toBe(`客户${hostile}`);

      // The error report of an import is owner-only.
      const reports = path.join(
        dialect === 'sqlite' ? path.dirname(t.target) : path.join(dir, 'data'),
        'import-reports',
      );
      const written = fs.readdirSync(reports);
      expect(written.length).toBeGreaterThan(0);
      for (const f of written)
        expect((fs.statSync(path.join(reports, f)).mode & 0o777).toString(8)).toBe('600');
    }, 300_000);
  });
}
