import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, openTestDb, PG_URL, type TestDb } from '../support/databases.ts';
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

/** Enough orders that every kill point below comes well before the commit ends. */
const ORDERS_IN_KILLED_IMPORT = 200_000;

type KillPoint = { name: string; evidence: RegExp };
/** WAL sizes at which a SQLite import is killed: its first frame, then deeper into the commit. */
const SQLITE_KILL_POINTS: (KillPoint & { walBytes: number })[] = [
  { name: 'first WAL frame written', walBytes: 1, evidence: /^wal \d+ bytes$/ },
  { name: 'WAL at 4 MB', walBytes: 4 << 20, evidence: /^wal \d+ bytes$/ },
  { name: 'WAL at 16 MB', walBytes: 16 << 20, evidence: /^wal \d+ bytes$/ },
];
/** Statements of a PostgreSQL import during which it is killed, in the order they run. */
const POSTGRES_KILL_POINTS: (KillPoint & { query: RegExp; copied?: number })[] = [
  { name: 'staging by COPY', query: /^\s*copy /i, copied: 50_000, evidence: /^xid \d+: copy /i },
  {
    name: 'creating customers',
    query: /^\s*insert into customers/i,
    evidence: /^xid \d+: insert into customers/i,
  },
  { name: 'inserting orders', query: /^\s*insert into orders/i, evidence: /^xid \d+: insert into orders/i },
];

type Landed = { reached: boolean; signal: NodeJS.Signals | null; evidence: string };

/** Starts `kelei import orders file`, kills it -9 once `point` is reached, and tells what it saw. */
async function killImportAt(
  t: TestDb,
  file: string,
  point: (typeof SQLITE_KILL_POINTS)[number] | (typeof POSTGRES_KILL_POINTS)[number],
): Promise<Landed> {
  const app = `kelei-kill-${process.pid}-${Date.now()}`;
  let target = t.target;
  if (t.caps.name === 'sqlite') {
    // an empty WAL, so that every byte in it is this import's
    await sql`pragma wal_checkpoint(TRUNCATE)`.execute(t.db);
  } else {
    const url = new URL(target);
    url.searchParams.set('application_name', app);
    target = url.toString();
  }
  const child = spawn(process.execPath, [BIN, '--db', target, 'import', 'orders', file], {
    env,
    stdio: 'ignore',
  });
  const exit = new Promise<NodeJS.Signals | null>((r) => child.on('exit', (_c, s) => r(s)));
  const deadline = Date.now() + 240_000;
  let evidence = '';
  let backend: number | null = null;
  const pgClient = t.caps.name === 'postgres' ? new pg.Client({ connectionString: PG_URL }) : null;
  await pgClient?.connect();
  try {
    while (child.exitCode === null && child.signalCode === null && Date.now() < deadline) {
      if ('walBytes' in point) {
        const wal = fs.statSync(`${t.target}-wal`, { throwIfNoEntry: false })?.size ?? 0;
        if (wal >= point.walBytes) {
          child.kill('SIGKILL');
          evidence = `wal ${wal} bytes`;
          break;
        }
        await new Promise((r) => setImmediate(r));
      } else if (pgClient) {
        const { rows } = await pgClient.query<{
          pid: number;
          xid: string | null;
          query: string;
          copied: string | null;
        }>(
          `select a.pid, a.backend_xid::text as xid, a.query, p.tuples_processed::text as copied
             from pg_stat_activity a left join pg_stat_progress_copy p on p.pid = a.pid
            where a.application_name = $1 and a.state = 'active'`,
          [app],
        );
        const row = rows[0];
        if (row) backend = row.pid;
        if (
          row?.xid &&
          point.query.test(row.query) &&
          (point.copied === undefined || Number(row.copied ?? 0) >= point.copied)
        ) {
          child.kill('SIGKILL');
          evidence = `xid ${row.xid}: ${row.query.trim().slice(0, 40)}${row.copied ? ` (${row.copied} rows copied)` : ''}`;
          break;
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    }
    // killed at the point only if the loop saw it while the import was still running
    const reached = evidence !== '';
    if (!reached) child.kill('SIGKILL');
    const signal = await exit;
    // The server does not notice a dead client while a statement runs: end the killed import's
    // backend, so that its rollback is over before the database is read again.
    if (pgClient && backend !== null) {
      await pgClient.query('select pg_terminate_backend($1)', [backend]);
      while ((await pgClient.query('select 1 from pg_stat_activity where pid = $1', [backend])).rowCount) {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    return { reached, signal, evidence };
  } finally {
    await pgClient?.end();
  }
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

    // Kill -9 while the import is writing, at several points, and each time find the
    // database as it was. "Writing" is seen from outside the process: on SQLite the WAL
    // grows (the transaction's pages reach the disk only as it commits); on PostgreSQL
    // the import's backend holds a transaction id and is running one of its write
    // statements. A kill that lands before writing begins proves nothing, so each run
    // waits for its point and asserts that it reached it with the process still alive.
    it('leaves the database exactly as before when an import is killed -9 mid-write, at several points', async () => {
      const file = path.join(dir, `big-${dialect}.csv`);
      const lines = ['order no,customer code,date,amount'];
      for (let i = 0; i < ORDERS_IN_KILLED_IMPORT; i++)
        lines.push(
          `K${i},K${i % 50_000},2024-01-${String((i % 28) + 1).padStart(2, '0')},${(i % 900) + 1}.5`,
        );
      fs.writeFileSync(file, lines.join('\n'));
      const tables = ['customers', 'orders', 'import_jobs'];
      const before = await tableSnapshot(t.db, tables);
      const points = dialect === 'sqlite' ? SQLITE_KILL_POINTS : POSTGRES_KILL_POINTS;
      for (const point of points) {
        const landed = await killImportAt(t, file, point);
        expect(landed.reached, `${point.name}: the import ended before it reached this point`).toBe(true);
        expect(landed.signal, point.name).toBe('SIGKILL');
        expect(landed.evidence, point.name).toMatch(point.evidence);
        console.log(`kill -9 on ${dialect} at "${point.name}": ${landed.evidence}`);
        expect(await tableSnapshot(t.db, tables), `${point.name}: ${landed.evidence}`).toEqual(before);
      }
    }, 600_000);
  });
}
