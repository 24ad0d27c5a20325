import { Command, CommanderError } from 'commander';
import { pick } from '../core/bilingual.ts';
import { isKeleiError } from '../core/errors.ts';
import { registerClassify } from './commands/classify.command.ts';
import { registerDemo } from './commands/demo.command.ts';
import { registerExport } from './commands/export.command.ts';
import { registerImport } from './commands/import.command.ts';
import { registerScheme } from './commands/scheme.command.ts';
import { registerServe } from './commands/serve.command.ts';
import { registerUser } from './commands/user.command.ts';
import { type CliContext, cliLang, openContext, t } from './context.ts';
import { exitCodeOf } from './exit-codes.ts';
import { printLine, terminalSafe } from './terminal.ts';

// `kelei … | head` closes the pipe early: stop quietly instead of crashing on EPIPE.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

const program = new Command();
program
  .name('kelei')
  .description('Kelei 客类 — customer classification / 客户分类管理')
  .option('--db <path|url>', 'SQLite file or postgres:// URL (default: DATABASE_URL or ./data/kelei.db)')
  .showHelpAfterError(false)
  .exitOverride();

/** Runs a command with an open database and closes it whatever happens. */
async function withContext(fn: (ctx: CliContext) => Promise<void>): Promise<void> {
  const ctx = await openContext(program.opts<{ db?: string }>());
  try {
    await fn(ctx);
  } finally {
    await ctx.handle.close();
  }
}

program
  .command('migrate')
  .description('create or upgrade the database schema / 创建或升级数据库结构')
  .action(async () =>
    withContext(async (ctx) => {
      printLine(
        t(ctx.lang, {
          zh: `数据库已是最新：${ctx.handle.label}`,
          en: `database is up to date: ${ctx.handle.label}`,
        }),
      );
    }),
  );

registerDemo(program, withContext);
registerImport(program, withContext);
registerClassify(program, withContext);
registerExport(program, withContext);
registerScheme(program, withContext);
registerServe(program, withContext);
registerUser(program, withContext);

/** One line on stderr and a non-zero exit code; never a stack trace. */
function fail(message: string, code: number): never {
  process.stderr.write(`kelei: ${terminalSafe(message)}\n`);
  process.exit(code);
}

try {
  await program.parseAsync(process.argv);
} catch (e) {
  const lang = cliLang();
  if (e instanceof CommanderError) {
    if (e.exitCode === 0) process.exit(0);
    process.exit(2);
  }
  if (isKeleiError(e)) fail(pick(e.messages, lang), exitCodeOf(e.code));
  const reason = e instanceof Error ? e.message.split('\n')[0] : String(e);
  if (process.env.KELEI_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
  fail(reason, 1);
}
