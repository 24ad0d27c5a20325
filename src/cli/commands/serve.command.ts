import type { Command } from 'commander';
import { KeleiError } from '../../core/errors.ts';
import type { WithContext } from './classify.command.ts';

/** `--port` as a TCP port (0 picks a free one). */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d{1,5}$/.test(value) || port > 65_535) {
    throw new KeleiError('InvalidArgument', {
      en: `--port must be a number from 0 to 65535, not "${value}"`,
      zh: `--port 必须是 0 到 65535 之间的数字，而不是“${value}”`,
    });
  }
  return port;
}

export function registerServe(program: Command, withContext: WithContext): void {
  program
    .command('serve')
    .description('run the HTTP API until Ctrl-C or SIGTERM / 启动 HTTP 服务')
    .option('--port <port>', 'TCP port (default: PORT or 8080)')
    .option('--host <host>', 'address to listen on (default: HOST or 127.0.0.1)')
    .action(async (opts: { port?: string; host?: string }) => {
      const port = opts.port === undefined ? undefined : parsePort(opts.port);
      // Loaded here so the other commands start without the whole HTTP stack.
      const { startServer } = await import('../../api/server.ts');
      await withContext(async (ctx) => {
        const server = await startServer({
          handle: ctx.handle,
          config: { ...ctx.config, port: port ?? ctx.config.port, host: opts.host ?? ctx.config.host },
          cipher: await ctx.cipher(),
          clock: ctx.now,
          lang: ctx.lang,
        });
        // withContext closes the database when this returns: stay here until shutdown is done.
        await server.closed;
      });
    });
}
