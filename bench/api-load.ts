import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { buildApp } from '../src/api/build-app.ts';
import { loadConfig } from '../src/config.ts';
import type { DbHandle } from '../src/db/connect.ts';
import { createApiToken, createUser } from '../src/services/auth/auth.service.ts';
import { warmCustomerListIndex } from '../src/services/customers/customer-list.index.ts';
import type { PiiCipher } from '../src/services/privacy/pii-cipher.ts';
import type { Figure } from './table.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

/**
 * Serves the API on loopback and loads it with autocannon (in a child process, so the
 * load generator's CPU and memory are not Kelei's): list, paging, detail and count.
 */
export async function loadApi(options: {
  handle: DbHandle;
  /** the database the handle is open on */
  target: string;
  cipher: PiiCipher;
  /** customers whose detail pages are asked for */
  sampleCodes: readonly { code: string }[];
  seconds: number;
  workDir: string;
}): Promise<Figure[]> {
  const { handle, target, cipher, sampleCodes, workDir } = options;
  const app = await buildApp({
    handle,
    config: loadConfig({ DATABASE_URL: target }),
    clock: () => new Date(),
    cipher,
    logger: false,
  });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  const userId = await createUser(handle.db, {
    username: `bench-${Date.now()}`,
    password: crypto.randomBytes(12).toString('hex'),
    role: 'manager',
    now: new Date(),
  });
  const { token } = await createApiToken(handle.db, {
    name: 'bench',
    role: 'manager',
    createdBy: userId,
    now: new Date(),
  });
  const headers = { authorization: `Bearer ${token}` };
  // A token's first use records when it was used (a write, so it starts a new state of
  // the data); after that, the server reads the list's in-memory index, as `kelei serve`
  // does when it starts, and the load waits for it as a user would after a restart.
  await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers });
  const warmStarted = process.hrtime.bigint();
  const warmed = await warmCustomerListIndex(handle);
  const warmSeconds = Number(process.hrtime.bigint() - warmStarted) / 1e9;
  // Kelei keeps a filter's total and ordered matches for as long as the data is unchanged,
  // so a repeated request measures that cache. "New filter" loads give every request a
  // filter never asked before (a threshold moved by one yuan), one at a time: what a user
  // waits for after typing a rule. "Paging" loads page through one filter from 10
  // connections at once: what a team browsing the same list sees.
  const distinct = (n: number, make: (k: number) => string) => Array.from({ length: n }, (_, k) => make(k));
  const listPath = (filter: string, page: number) =>
    `/api/v1/customers?filter=${encodeURIComponent(filter)}&sort=total_amount&dir=desc&page=${page}&pageSize=20`;
  const loads: {
    key: string;
    label: string;
    paths: string[];
    connections: number;
    target?: string;
  }[] = [
    {
      key: 'api_list',
      label: 'API customer list, new rule filter + sort, 1 connection',
      paths: distinct(5000, (k) => listPath(`total_amount >= ${5000 + k} and region = "华东"`, 1)),
      connections: 1,
      target: 'p95 ≤ 50 ms',
    },
    {
      key: 'api_list_paging',
      label: 'API customer list, paging one filter, 10 connections',
      paths: [1, 2, 3, 4, 5].map((p) => listPath('total_amount >= 5000 and region = "华东"', p)),
      connections: 10,
    },
    {
      key: 'api_detail',
      label: 'API customer detail, 1 connection',
      paths: sampleCodes.slice(0, 50).map((c) => `/api/v1/customers/${encodeURIComponent(c.code)}`),
      connections: 1,
    },
    {
      key: 'api_count',
      label: 'API count of a new filter, 1 connection',
      paths: distinct(
        5000,
        (k) =>
          `/api/v1/customers?filter=${encodeURIComponent(`order_count >= 5 and recency_days <= ${90 + k}`)}&pageSize=1`,
      ),
      connections: 1,
      target: '≤ 500 ms',
    },
  ];
  const out: Figure[] = [
    {
      key: 'api_list_index_load',
      label: 'Customer list index, read into memory (s)',
      unit: 's',
      value: warmSeconds,
      detail: { ready: warmed, rssMb: Math.round(process.memoryUsage().rss / 1e6) },
    },
  ];
  for (const l of loads) {
    // The probe uses a path the load never asks for, so it warms no cache the load reads.
    const probePath = l.paths.length > 100 ? l.paths.pop() : l.paths[0];
    const probe = await app.inject({ method: 'GET', url: probePath as string, headers });
    if (probe.statusCode !== 200) throw new Error(`${probePath} answered ${probe.statusCode}: ${probe.body}`);
    const r = await runLoad(workDir, {
      url: address,
      paths: l.paths,
      headers,
      seconds: options.seconds,
      connections: l.connections,
    });
    for (const p of ['p50', 'p95', 'p99'] as const) {
      out.push({
        key: `${l.key}_${p}`,
        label: `${l.label}, ${p} (ms)`,
        unit: 'ms',
        value: r[p],
        ...(p === 'p95' && l.target ? { target: l.target } : {}),
      });
    }
    out.push({
      key: `${l.key}_rps`,
      label: `${l.label} (requests/s)`,
      unit: 'requests/s',
      value: r.rps,
      detail: {
        requests: r.requests,
        errors: r.errors,
        connections: l.connections,
        distinctPaths: l.paths.length,
        repeated: r.requests > l.paths.length,
      },
    });
  }
  await app.close();
  return out;
}

type LoadResult = {
  requests: number;
  errors: number;
  rps: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
};

function runLoad(
  workDir: string,
  spec: {
    url: string;
    paths: string[];
    headers: Record<string, string>;
    seconds: number;
    connections: number;
  },
): Promise<LoadResult> {
  const specFile = path.join(workDir, `load-${crypto.randomBytes(4).toString('hex')}.json`);
  fs.writeFileSync(specFile, JSON.stringify(spec));
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'bench/load.ts'), `@${specFile}`],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`autocannon exited with ${code}`));
      else resolve(JSON.parse(out.trim().split('\n').at(-1) as string) as LoadResult);
    });
  });
}
