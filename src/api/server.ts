import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import { KeleiError } from '../core/errors.ts';
import type { DbHandle } from '../db/connect.ts';
import { ensureInitialAdmin } from '../services/auth/initial-admin.service.ts';
import { warmCustomerListIndex } from '../services/customers/customer-list.index.ts';
import type { PiiCipher } from '../services/privacy/pii-cipher.ts';
import { buildApp } from './build-app.ts';

export type ServerOptions = {
  handle: DbHandle;
  config: Config;
  cipher: PiiCipher;
  clock: () => Date;
  /** language of the lines printed to the console */
  lang?: 'zh' | 'en';
  /** where console lines go (default stdout) */
  print?: (line: string) => void;
  /** how long in-flight requests may take to finish after a shutdown signal (default 10 s) */
  graceMs?: number;
};

export type RunningServer = {
  app: FastifyInstance;
  /** e.g. http://127.0.0.1:8080 */
  url: string;
  /** stops accepting, lets in-flight requests finish, closes the database; idempotent */
  close(): Promise<void>;
  /** settles once the server and the database are closed, whoever asked for it */
  closed: Promise<void>;
};

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * Runs the HTTP API on config.host:config.port until SIGINT/SIGTERM (or `close()`),
 * then shuts down gracefully and closes the database. On a database without users
 * it first creates `admin` with a random password and prints that password once.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { handle, config, clock } = options;
  const lang = options.lang ?? 'zh';
  // The console, not the request log: the first admin password must reach the operator and never a log file.
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const say = (zh: string, en: string) => print(lang === 'zh' ? zh : en);

  const admin = await ensureInitialAdmin(handle.db, { now: clock() });
  if (admin) {
    // Printed before listening, so the password is not lost when the port turns out to be taken.
    say(
      `首次启动：已创建管理员 ${admin.username}，密码 ${admin.password} （只显示这一次，请登录后修改）`,
      `first start: created administrator "${admin.username}" with password ${admin.password} (shown only once; change it after signing in)`,
    );
  }

  const app = await buildApp({
    handle,
    config,
    clock,
    cipher: options.cipher,
    logger: { level: process.env.LOG_LEVEL ?? 'info' },
  });
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (e) {
    await app.close();
    throw listenError(e, config);
  }
  const url = urlOf(app.server.address(), config);
  say(
    `Kelei 已启动：${url} （API 文档：${url}/api/docs）`,
    `Kelei is listening on ${url} (API docs: ${url}/api/docs)`,
  );
  // In the background: until it is read, customer lists come from the database.
  warmCustomerListIndex(handle).catch(() => {});

  let settle: { resolve(): void; reject(e: unknown): void } | undefined;
  const closed = new Promise<void>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // Callers that only use close() see its failure there; `closed` must not also crash the process.
  closed.catch(() => {});
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      // A second signal during shutdown gets Node's default: the process ends at once.
      for (const s of SIGNALS) process.off(s, onSignal);
      // Requests still running after the grace period are cut off so shutdown cannot hang.
      const timer = setTimeout(() => app.server.closeAllConnections(), options.graceMs ?? 10_000);
      timer.unref();
      try {
        await app.close();
      } finally {
        clearTimeout(timer);
        await handle.close();
      }
    })().then(
      () => settle?.resolve(),
      (e: unknown) => {
        settle?.reject(e);
        throw e;
      },
    );
    return closing;
  };
  const onSignal = (signal: NodeJS.Signals) => {
    app.log.info({ signal }, 'shutting down');
    say('正在停止服务……', 'shutting down…');
    close().catch((e: unknown) => app.log.error({ err: e }, 'shutdown failed'));
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  return { app, url, close, closed };
}

function urlOf(address: AddressInfo | string | null, config: Config): string {
  if (address === null || typeof address === 'string') return `http://${config.host}:${config.port}`;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

function listenError(e: unknown, config: Config): unknown {
  const code = e instanceof Error && 'code' in e ? e.code : undefined;
  if (code === 'EADDRINUSE') {
    return new KeleiError('Conflict', {
      en: `port ${config.port} on ${config.host} is already in use`,
      zh: `${config.host} 上的端口 ${config.port} 已被占用`,
    });
  }
  if (code === 'EACCES') {
    return new KeleiError('Forbidden', {
      en: `no permission to listen on ${config.host}:${config.port}`,
      zh: `没有权限监听 ${config.host}:${config.port}`,
    });
  }
  return e;
}
