import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, openTestDb, type TestDb } from '../support/databases.ts';
import { tableSnapshot } from '../support/snapshot.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/kelei.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kelei-cli-'));
const env = { ...process.env, KELEI_LANG: 'en', KELEI_KEY_FILE: path.join(dir, 'kelei.key') };

function kelei(target: string, args: string[]) {
  const r = spawnSync(process.execPath, [BIN, '--db', target, ...args], {
    encoding: 'utf8',
    env,
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

for (const dialect of DIALECTS) {
  describe(`kelei CLI on ${dialect}`, () => {
    let t: TestDb;
    beforeAll(async () => {
      t = await openTestDb(dialect);
    });
    afterAll(async () => t?.drop());

    it('loads the demo, classifies, explains and exports classes', () => {
      const demo = kelei(t.target, ['demo', '--seed', '7', '--customers', '300', '--as-of', '2024-06-30']);
      expect(demo.stderr).toBe('');
      expect(demo.code).toBe(0);
      const classify = kelei(t.target, ['classify', '--as-of', '2024-06-30']);
      expect(classify.code).toBe(0);
      expect(classify.stdout).toContain('value_tier');
      expect(classify.stdout).toContain('important_value');
      const explain = kelei(t.target, ['explain', 'KH000001', '--scheme', 'rfm8']);
      expect(explain.code).toBe(0);
      expect(explain.stdout).toMatch(/matched/);
      const out = path.join(dir, `classes-${dialect}.csv`);
      const exported = kelei(t.target, [
        'export',
        'classes',
        '--scheme',
        'rfm8',
        '--format',
        'csv',
        '--out',
        out,
      ]);
      expect(exported.code).toBe(0);
      const header = fs
        .readFileSync(out, 'utf8')
        .replace(/^\uFEFF/, '')
        .split(/\r?\n/)[0];
      expect(header.startsWith('customer_code,class_key,class_name')).toBe(true);
    });

    it('answers bad input with one line and a non-zero exit code', () => {
      const cases: [string[], RegExp][] = [
        [['classify', '--as-of', '2024-13-01'], /YYYY-MM-DD/],
        [['explain', 'NOPE', '--scheme', 'rfm8'], /no customer/],
        [['explain', 'KH000001', '--scheme', 'nope'], /no classification scheme/],
        [['import', 'customers', path.join(dir, 'missing.csv')], /no such file/],
        [['import', 'widgets', BIN], /unknown import type/],
        [['export', 'classes', '--format', 'pdf', '--out', path.join(dir, 'x')], /csv or xlsx/],
        // Export errors speak the CLI's language (KELEI_LANG=en here) like every other error.
        [
          ['export', 'classes', '--scheme', 'nope', '--format', 'csv', '--out', path.join(dir, 'x.csv')],
          /^kelei: no classification scheme "nope"$/m,
        ],
      ];
      for (const [args, message] of cases) {
        const r = kelei(t.target, args);
        expect(r.code, args.join(' ')).not.toBe(0);
        expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
        expect(r.stderr).toMatch(message);
        expect(r.stderr).not.toMatch(/\bat .+:\d+:\d+/);
      }
    });

    it('leaves the database exactly as before when an import is killed midway', async () => {
      const file = path.join(dir, `big-${dialect}.csv`);
      const lines = ['order no,customer code,date,amount'];
      for (let i = 0; i < 400_000; i++)
        lines.push(
          `K${i},K${i % 50_000},2024-01-${String((i % 28) + 1).padStart(2, '0')},${(i % 900) + 1}.5`,
        );
      fs.writeFileSync(file, lines.join('\n'));
      const before = await tableSnapshot(t.db, ['customers', 'orders', 'import_jobs']);
      const child = spawn(process.execPath, [BIN, '--db', t.target, 'import', 'orders', file], {
        env,
        stdio: 'ignore',
      });
      await new Promise((r) => setTimeout(r, 2500));
      const exited = child.exitCode !== null;
      child.kill('SIGKILL');
      const signal = await new Promise<NodeJS.Signals | null>((r) => child.on('exit', (_c, s) => r(s)));
      expect(exited, 'the import finished before it could be killed; make the file bigger').toBe(false);
      expect(signal).toBe('SIGKILL');
      expect(await tableSnapshot(t.db, ['customers', 'orders', 'import_jobs'])).toEqual(before);
    });
  });
}
