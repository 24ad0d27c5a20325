import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCodeOf } from '../../src/cli/exit-codes.ts';
import { valueTierScheme } from '../../src/core/schemes/builtin.schemes.ts';
import type { SchemeDefinition } from '../../src/core/schemes/scheme.ts';
import { DIALECTS, openTestDb, type TestDb } from '../support/databases.ts';

/** Each case starts the CLI several times; a loaded machine takes seconds per start. */
const CLI_TIMEOUT = 300_000;

const BIN = path.resolve(import.meta.dirname, '../../bin/kelei.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kelei-cli-scheme-'));
const env = { ...process.env, KELEI_LANG: 'en', KELEI_KEY_FILE: path.join(dir, 'kelei.key') };

function kelei(target: string, args: string[]) {
  const r = spawnSync(process.execPath, [BIN, '--db', target, ...args], {
    encoding: 'utf8',
    env,
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function writeScheme(name: string, definition: SchemeDefinition): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify(definition));
  return file;
}

async function publications(t: TestDb) {
  const rows = await t.db
    .selectFrom('audit_log')
    .select(['actor', 'entity_id', 'details'])
    .where('action', '=', 'scheme.publish')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ actor: r.actor, key: r.entity_id, details: JSON.parse(r.details ?? '{}') }));
}

async function versionCount(t: TestDb): Promise<number> {
  const row = await t.db
    .selectFrom('scheme_versions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

for (const dialect of DIALECTS) {
  describe(`kelei scheme publish on ${dialect}`, { timeout: CLI_TIMEOUT }, () => {
    let t: TestDb;
    beforeAll(async () => {
      t = await openTestDb(dialect);
    });
    afterAll(async () => t?.drop());

    it('refuses a stale --expected-version like the API does, and audits every publication once', async () => {
      const list = kelei(t.target, ['scheme', 'list']);
      expect(list.code).toBe(0);
      expect(list.stdout).toMatch(/value_tier\s.*v1/);
      const lower = writeScheme(`lower-${dialect}.json`, {
        ...valueTierScheme,
        params: { high: 5000, medium: 2000 },
      });
      const versionsBefore = await versionCount(t);

      const stale = kelei(t.target, ['scheme', 'publish', lower, '--expected-version', '7']);
      expect(stale.code).toBe(exitCodeOf('Conflict'));
      expect(stale.stderr.trim().split('\n')).toHaveLength(1);
      expect(stale.stderr).toMatch(/value_tier is at version 1 now, not 7/);
      expect(await versionCount(t)).toBe(versionsBefore);
      expect(await publications(t)).toEqual([]);

      const fresh = kelei(t.target, [
        'scheme',
        'publish',
        lower,
        '--expected-version',
        '1',
        '--note',
        'high threshold down to 5000 yuan',
      ]);
      expect(fresh.stderr).toBe('');
      expect(fresh.code).toBe(0);
      expect(fresh.stdout).toMatch(/published value_tier version 2/);
      // Without --expected-version it publishes on top of whatever is current.
      const again = kelei(t.target, ['scheme', 'publish', lower]);
      expect(again.code).toBe(0);
      expect(again.stdout).toMatch(/version 3/);
      expect(await publications(t)).toEqual([
        {
          actor: 'cli',
          key: 'value_tier',
          details: { version: 2, previousVersion: 1, note: 'high threshold down to 5000 yuan' },
        },
        { actor: 'cli', key: 'value_tier', details: { version: 3, previousVersion: 2 } },
      ]);
      // The version the file was based on is the one the second publication superseded.
      const late = kelei(t.target, ['scheme', 'publish', lower, '--expected-version', '2']);
      expect(late.code).toBe(exitCodeOf('Conflict'));
      expect(late.stderr).toMatch(/version 3 now, not 2/);
      expect(await publications(t)).toHaveLength(2);
    });

    it('creates a new scheme from a file with one audit row; 0 is the version of a scheme not yet there', async () => {
      const custom: SchemeDefinition = {
        key: 'big_spenders',
        name: { zh: '大客户', en: 'Big spenders' },
        classes: [
          { key: 'big', name: { zh: '大客户', en: 'Big' }, rule: 'total_amount >= 20000' },
          { key: 'rest', name: { zh: '其他', en: 'Rest' }, rule: 'true' },
        ],
      };
      const file = writeScheme(`custom-${dialect}.json`, custom);
      const created = kelei(t.target, ['scheme', 'publish', file, '--expected-version', '0']);
      expect(created.code).toBe(0);
      expect(created.stdout).toMatch(/published big_spenders version 1/);
      const audits = (await publications(t)).filter((p) => p.key === 'big_spenders');
      expect(audits).toEqual([{ actor: 'cli', key: 'big_spenders', details: { version: 1, created: true } }]);
      const stale = kelei(t.target, ['scheme', 'publish', file, '--expected-version', '0']);
      expect(stale.code).toBe(exitCodeOf('Conflict'));
    });

    it('answers a bad file or a bad --expected-version with one line, and publishes nothing', async () => {
      const before = await versionCount(t);
      const dup = writeScheme(`dup-${dialect}.json`, {
        ...valueTierScheme,
        classes: [valueTierScheme.classes[0], valueTierScheme.classes[0]],
      });
      const badRule = writeScheme(`bad-rule-${dialect}.json`, {
        ...valueTierScheme,
        classes: [{ ...valueTierScheme.classes[0], rule: 'total_amout >= $high' }],
      });
      const cases: [string[], number, RegExp][] = [
        [['scheme', 'publish', dup], exitCodeOf('InvalidScheme'), /class key "high" appears twice/],
        [['scheme', 'publish', badRule], exitCodeOf('InvalidRule'), /class high, line 1, column 1/],
        [
          ['scheme', 'publish', dup, '--expected-version', 'two'],
          exitCodeOf('InvalidArgument'),
          /whole number/,
        ],
      ];
      for (const [args, code, message] of cases) {
        const r = kelei(t.target, args);
        expect(r.code, args.join(' ')).toBe(code);
        expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
        expect(r.stderr).toMatch(message);
      }
      expect(await versionCount(t)).toBe(before);
    });
  });
}
