import type { Command } from 'commander';
import { KeleiError } from '../../core/errors.ts';
import type { ExportFormat } from '../../services/export/table.writer.ts';
import type { TemplateTable } from '../../services/export/template-tables.export.ts';
import { t } from '../context.ts';
import { printLine } from '../terminal.ts';
import type { WithContext } from './classify.command.ts';

export function registerExport(program: Command, withContext: WithContext): void {
  program
    .command('export <table>')
    .description('export classes|customers|orders|classification|plans|workbook to CSV/XLSX / 导出')
    .option('--format <format>', 'csv or xlsx', 'xlsx')
    .requiredOption('--out <file>', 'output file')
    .option('--scheme <key>', 'scheme for "export classes"')
    .action(async (table: string, opts: { format: string; out: string; scheme?: string }) =>
      withContext(async (ctx) => {
        if (opts.format !== 'csv' && opts.format !== 'xlsx') {
          throw new KeleiError('InvalidArgument', {
            en: `--format must be csv or xlsx, got "${opts.format}"`,
            zh: `--format 须为 csv 或 xlsx，收到“${opts.format}”`,
          });
        }
        const format: ExportFormat = opts.format;
        const db = ctx.handle.db;
        // Loaded on demand: the writers pull in the XLSX library.
        const { exportClasses } = await import('../../services/export/classes.export.ts');
        const { exportTable, exportWorkbook, TEMPLATE_TABLES } = await import(
          '../../services/export/template-tables.export.ts'
        );
        let result: Awaited<ReturnType<typeof exportWorkbook>>;
        if (table === 'classes') {
          if (!opts.scheme) {
            throw new KeleiError('InvalidArgument', {
              en: 'export classes needs --scheme <key>, e.g. --scheme rfm8',
              zh: '导出分类结果需要 --scheme <键>，如 --scheme rfm8',
            });
          }
          result = await exportClasses({ db, schemeKey: opts.scheme, format, out: opts.out });
        } else if (table === 'workbook') {
          result = await exportWorkbook({ db, out: opts.out, cipher: await ctx.cipher() });
        } else if ((TEMPLATE_TABLES as readonly string[]).includes(table)) {
          result = await exportTable({
            db,
            table: table as TemplateTable,
            format,
            out: opts.out,
            cipher: await ctx.cipher(),
          });
        } else {
          throw new KeleiError('InvalidArgument', {
            en: `unknown table "${table}"; use classes, ${TEMPLATE_TABLES.join(', ')} or workbook`,
            zh: `未知的表“${table}”，可用：classes、${TEMPLATE_TABLES.join('、')}、workbook`,
          });
        }
        for (const s of result.sheets) {
          printLine(t(ctx.lang, { zh: `${s.name}：${s.rows} 行`, en: `${s.name}: ${s.rows} rows` }));
        }
        printLine(t(ctx.lang, { zh: `已写入 ${result.out}`, en: `written to ${result.out}` }));
      }),
    );
}
