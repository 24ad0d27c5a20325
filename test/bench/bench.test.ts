import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

function bench(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
}

describe('npm run bench', () => {
  it('prints its usage for --help and -h, measuring nothing', () => {
    for (const flag of ['--help', '-h']) {
      const r = bench([flag]);
      expect(r.status).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/^Usage: npm run bench -- \[options\]/);
      for (const option of ['--scale', '--customers', '--db', '--uci', '--skip-web', '--help']) {
        expect(r.stdout).toContain(option);
      }
    }
  }, 240_000);

  it('refuses an unknown option with one line and the usage, not a stack trace', () => {
    const r = bench(['--no-such-option']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe("Unknown option '--no-such-option'");
    expect(r.stderr).toContain('Usage: npm run bench');
    expect(r.stderr).not.toMatch(/ERR_PARSE_ARGS|\n\s+at /);
  }, 120_000);

  it('runs end to end at a tiny scale, prints every figure and saves them (timings are not judged here)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kelei-bench-test-'));
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'bench/run.ts',
        '--customers',
        '300',
        '--orders',
        '1500',
        '--incremental',
        '10',
        '--api-seconds',
        '1',
        '--skip-web',
        '--data-dir',
        dir,
        '--results-dir',
        dir,
      ],
      { cwd: ROOT, encoding: 'utf8', timeout: 300_000 },
    );
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.status).toBe(0);
    for (const figure of [
      'import orders CSV',
      'full reclassification',
      'reclassify one customer',
      'scheme preview',
      'API customer list, new rule filter',
      'API customer list, paging one filter',
      'API customer detail',
      'API count of a new filter',
      'process peak RSS',
    ]) {
      expect(r.stdout).toContain(figure);
    }
    const saved = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(saved).toHaveLength(1);
    const report = JSON.parse(fs.readFileSync(path.join(dir, saved[0]), 'utf8'));
    expect(report).toMatchObject({
      engine: 'sqlite',
      customers: 300,
      machine: { cores: expect.any(Number) },
    });
    const keys = report.figures.map((f: { key: string }) => f.key);
    for (const key of [
      'import_orders_floor',
      'reclassify_one_p95',
      'reclassify_full_next_day',
      'api_list_p95',
      'api_count_p95',
    ]) {
      expect(keys).toContain(key);
    }
    // The floor appends every order of the file, as the import does.
    const byKey = new Map(report.figures.map((f: { key: string }) => [f.key, f]));
    const imported = byKey.get('import_orders') as { detail: { rows: number; counts: { new: number } } };
    const floor = byKey.get('import_orders_floor') as { detail: { rows: number }; value: number };
    expect(floor.detail.rows).toBe(imported.detail.rows);
    expect(imported.detail.counts.new).toBe(imported.detail.rows);
    expect(floor.value).toBeGreaterThan(0);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 320_000);
});
