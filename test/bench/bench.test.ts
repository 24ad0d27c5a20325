import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

describe('npm run bench', () => {
  it('runs end to end at a tiny scale and prints every figure (timings are not judged here)', () => {
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'bench/run.ts', '--customers', '300', '--orders', '1500'],
      {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.status).toBe(0);
    for (const figure of ['import orders CSV', 'full reclassification', 'scheme preview', 'peak RSS']) {
      expect(r.stdout).toContain(figure);
    }
  });
});
