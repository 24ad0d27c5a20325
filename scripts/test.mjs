#!/usr/bin/env node
// `npm test`: finds out whether PostgreSQL is reachable, then runs vitest once on
// every engine available. Without PostgreSQL the suite runs on SQLite and says so;
// under CI=true a missing PostgreSQL is a failure, and KELEI_TEST_PG=off is ignored.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import pg from 'pg';

const url = process.env.KELEI_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ci = process.env.CI === 'true' || process.env.CI === '1';

async function postgresReachable() {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

const env = { ...process.env };
if (ci && process.env.KELEI_TEST_PG === 'off') {
  console.log('KELEI_TEST_PG=off is ignored under CI: the suite runs on SQLite and PostgreSQL.');
  delete env.KELEI_TEST_PG;
}
if (!ci && process.env.KELEI_TEST_PG === 'off') {
  console.log('PostgreSQL suite: switched off by KELEI_TEST_PG=off; database tests run on SQLite only.');
} else if (await postgresReachable()) {
  console.log(`PostgreSQL suite: on (${url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@')}).`);
} else if (ci) {
  console.error(
    `PostgreSQL is not reachable at ${url}; CI requires it. Start PostgreSQL or set KELEI_TEST_PG_URL.`,
  );
  process.exit(1);
} else {
  console.log(`PostgreSQL suite: SKIPPED — no PostgreSQL at ${url}. Database tests run on SQLite only.`);
  console.log('Set KELEI_TEST_PG_URL=postgres://… to run them on PostgreSQL too.');
  env.KELEI_TEST_PG = 'off';
}

fs.mkdirSync('test-results', { recursive: true });
const args = [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  '--outputFile.json=test-results/vitest.json',
  ...process.argv.slice(2),
];
const result = spawnSync('npx', args, { stdio: 'inherit', env });
process.exit(result.status ?? 1);
