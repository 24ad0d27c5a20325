import type { Command } from 'commander';
import { KeleiError } from '../../core/errors.ts';
import { runClassification } from '../../services/classification/classification.service.ts';
import { loadDemo } from '../../services/demo/demo.loader.ts';
import { type CliContext, t } from '../context.ts';
import { renderDistribution } from '../format.ts';
import { printLine } from '../terminal.ts';
import { parseAsOf, type WithContext } from './classify.command.ts';
import { parsePort } from './serve.command.ts';

function positiveInt(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) {
    throw new KeleiError('InvalidArgument', {
      en: `${name} must be a positive whole number, got "${value}"`,
      zh: `${name} 须为正整数，收到“${value}”`,
    });
  }
  return n;
}

async function seedDemo(
  ctx: CliContext,
  options: { seed: number; customers: number; asOf: string },
): Promise<void> {
  const started = Date.now();
  const result = await loadDemo({ handle: ctx.handle, cipher: await ctx.cipher(), ...options });
  printLine(
    t(ctx.lang, {
      zh: `已生成演示数据：${result.customers} 位客户，${result.orders} 笔订单，${result.interactions} 条互动，${result.feedback} 条反馈（种子 ${options.seed}，${((Date.now() - started) / 1000).toFixed(1)} 秒）`,
      en: `demo data loaded: ${result.customers} customers, ${result.orders} orders, ${result.interactions} interactions, ${result.feedback} feedback (seed ${options.seed}, ${((Date.now() - started) / 1000).toFixed(1)} s)`,
    }),
  );
}

export function registerDemo(program: Command, withContext: WithContext): void {
  program
    .command('demo')
    .description('load a realistic generated demo data set / 生成演示数据')
    .option('--seed <n>', 'random seed (same seed, same data)', '42')
    .option('--customers <n>', 'number of customers', '2000')
    .option('--as-of <date>', 'last day of the generated history (default: today)')
    .action(async (opts: { seed: string; customers: string; asOf?: string }) =>
      withContext(async (ctx) => {
        const existing = await ctx.handle.db
          .selectFrom('customers')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        if (Number(existing.n) > 0) {
          throw new KeleiError('Conflict', {
            en: `the database already holds ${existing.n} customers; load the demo into an empty database (--db demo.db)`,
            zh: `数据库中已有 ${existing.n} 位客户；请在空数据库中加载演示数据（--db demo.db）`,
          });
        }
        await seedDemo(ctx, {
          seed: positiveInt(opts.seed, '--seed'),
          customers: positiveInt(opts.customers, '--customers'),
          asOf: parseAsOf(opts.asOf, ctx),
        });
      }),
    );

  program
    .command('start')
    .description(
      'migrate, load the demo when the database is empty, classify, then serve the web app / 一键启动：迁移、演示数据、分类、启动网页',
    )
    .option('--port <port>', 'TCP port (default: PORT or 8080)')
    .option('--no-serve', 'stop after printing the classes / 只分类并打印，不启动服务')
    .action(async (opts: { port?: string; serve: boolean }) =>
      withContext(async (ctx) => {
        const port = opts.port === undefined ? undefined : parsePort(opts.port);
        const asOf = parseAsOf(undefined, ctx);
        printLine(t(ctx.lang, { zh: `数据库：${ctx.handle.label}`, en: `database: ${ctx.handle.label}` }));
        const existing = await ctx.handle.db
          .selectFrom('customers')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        if (Number(existing.n) === 0) await seedDemo(ctx, { seed: 42, customers: 2000, asOf });
        const summaries = await runClassification(ctx.handle, { asOf, now: ctx.now });
        for (const s of summaries) printLine(`\n${renderDistribution(s, ctx.lang)}`);
        if (!opts.serve) {
          printLine(
            t(ctx.lang, {
              zh: '\n下一步：kelei explain <客户编号> --scheme value_tier 查看分类依据；kelei import customers <文件> 导入自己的数据。',
              en: '\nNext: kelei explain <customer-code> --scheme value_tier shows why; kelei import customers <file> loads your own data.',
            }),
          );
          return;
        }
        const { startServer } = await import('../../api/server.ts');
        const server = await startServer({
          handle: ctx.handle,
          config: { ...ctx.config, port: port ?? ctx.config.port },
          cipher: await ctx.cipher(),
          clock: ctx.now,
          lang: ctx.lang,
        });
        // withContext closes the database when this returns: stay here until shutdown is done.
        await server.closed;
      }),
    );
}
