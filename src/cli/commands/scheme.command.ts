import type { Command } from 'commander';
import { KeleiError } from '../../core/errors.ts';
import { listSchemeViews, publishSchemeDefinition } from '../../services/schemes/schemes.service.ts';
import { type CliContext, t } from '../context.ts';
import { renderTable } from '../format.ts';
import { printLine } from '../terminal.ts';
import { readSchemeFile, type WithContext } from './classify.command.ts';

const schemeService = (ctx: CliContext) => ({
  handle: ctx.handle,
  clock: ctx.now,
  timeZone: ctx.config.timeZone,
});

/** `--expected-version 3`: a whole number ≥ 0 (0 = the scheme must not exist yet). */
function parseExpectedVersion(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,9}$/.test(value.trim())) {
    throw new KeleiError('InvalidArgument', {
      en: `--expected-version must be a whole number, got "${value}"`,
      zh: `--expected-version 须为整数，收到“${value}”`,
    });
  }
  return Number(value);
}

/** `--note`: at most 500 characters, like the note the web editor sends. */
function parseNote(value: string | undefined): string | undefined {
  const note = value?.trim();
  if (note && note.length > 500) {
    throw new KeleiError('InvalidArgument', {
      en: `--note is at most 500 characters, got ${note.length}`,
      zh: `--note 最多 500 个字符，收到 ${note.length} 个`,
    });
  }
  return note || undefined;
}

export function registerScheme(program: Command, withContext: WithContext): void {
  const scheme = program.command('scheme').description('classification schemes / 分类方案');

  scheme
    .command('list')
    .description('list schemes with their current version')
    .action(async () =>
      withContext(async (ctx) => {
        const rows = (await listSchemeViews(schemeService(ctx))).map((s) => [
          s.key,
          t(ctx.lang, s.name),
          `v${s.version}`,
          s.classes.map((c) => c.key).join(', '),
          s.active ? t(ctx.lang, { zh: '启用', en: 'active' }) : t(ctx.lang, { zh: '停用', en: 'inactive' }),
        ]);
        printLine(
          renderTable(
            [
              t(ctx.lang, { zh: '键', en: 'key' }),
              t(ctx.lang, { zh: '名称', en: 'name' }),
              t(ctx.lang, { zh: '版本', en: 'version' }),
              t(ctx.lang, { zh: '类别', en: 'classes' }),
              t(ctx.lang, { zh: '状态', en: 'status' }),
            ],
            rows,
          ),
        );
      }),
    );

  scheme
    .command('publish <file>')
    .description('publish a scheme from a JSON or YAML file as its next version')
    .option(
      '--expected-version <n>',
      'the current version the file was based on; refused when another was published since',
    )
    .option('--note <text>', 'why the change, kept with the version')
    .action(async (file: string, opts: { expectedVersion?: string; note?: string }) =>
      withContext(async (ctx) => {
        const expectedVersion = parseExpectedVersion(opts.expectedVersion);
        const definition = readSchemeFile(file);
        const note = parseNote(opts.note);
        const stored = await publishSchemeDefinition(schemeService(ctx), {
          definition,
          actor: 'cli',
          expectedVersion,
          note,
        });
        printLine(
          t(ctx.lang, {
            zh: `已发布 ${stored.key} 第 ${stored.version} 版`,
            en: `published ${stored.key} version ${stored.version}`,
          }),
        );
      }),
    );
}
