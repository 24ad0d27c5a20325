import type { Command } from 'commander';
import { compileScheme } from '../../core/classify.ts';
import { KeleiError } from '../../core/errors.ts';
import { listSchemes, publishSchemeVersion } from '../../db/schemes/schemes.repository.ts';
import { ensureBuiltinSchemes } from '../../services/classification/classification.service.ts';
import { t } from '../context.ts';
import { renderTable } from '../format.ts';
import { printLine } from '../terminal.ts';
import { readSchemeFile, type WithContext } from './classify.command.ts';

export function registerScheme(program: Command, withContext: WithContext): void {
  const scheme = program.command('scheme').description('classification schemes / 分类方案');

  scheme
    .command('list')
    .description('list schemes with their current version')
    .action(async () =>
      withContext(async (ctx) => {
        await ensureBuiltinSchemes(ctx.handle, ctx.now().toISOString());
        const rows = (await listSchemes(ctx.handle.db, { activeOnly: false })).map((s) => [
          s.key,
          ctx.lang === 'zh' ? s.nameZh : s.nameEn,
          `v${s.version}`,
          s.definition.classes.map((c) => c.key).join(', '),
          s.active ? t(ctx.lang, '启用', 'active') : t(ctx.lang, '停用', 'inactive'),
        ]);
        printLine(
          renderTable(
            [
              t(ctx.lang, '键', 'key'),
              t(ctx.lang, '名称', 'name'),
              t(ctx.lang, '版本', 'version'),
              t(ctx.lang, '类别', 'classes'),
              t(ctx.lang, '状态', 'status'),
            ],
            rows,
          ),
        );
      }),
    );

  scheme
    .command('publish <file>')
    .description('publish a scheme from a JSON or YAML file as its next version')
    .action(async (file: string) =>
      withContext(async (ctx) => {
        const definition = readSchemeFile(file);
        const compiled = compileScheme(definition);
        if (!compiled.ok) {
          const e = compiled.errors[0];
          throw new KeleiError('InvalidScheme', {
            en: `class ${e.classKey}: ${e.error.message.en}`,
            zh: `类别 ${e.classKey}：${e.error.message.zh}`,
          });
        }
        const now = ctx.now().toISOString();
        await ensureBuiltinSchemes(ctx.handle, now);
        const stored = await ctx.handle.db
          .transaction()
          .execute((trx) => publishSchemeVersion(trx, { definition, by: 'cli', now }));
        printLine(
          t(
            ctx.lang,
            `已发布 ${stored.key} 第 ${stored.version} 版`,
            `published ${stored.key} version ${stored.version}`,
          ),
        );
      }),
    );
}
