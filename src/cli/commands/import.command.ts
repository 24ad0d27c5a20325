import fs from 'node:fs';
import path from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { KeleiError } from '../../core/errors.ts';
import { IMPORT_ENTITIES, type ImportEntity, type ImportReport } from '../../services/import/import.types.ts';
import { dataDirOf } from '../../services/jobs/data-dir.ts';
import { type Lang, t } from '../context.ts';
import { renderTable } from '../format.ts';
import { jsonText, printLine } from '../terminal.ts';
import type { WithContext } from './classify.command.ts';

/** `--mapping` is inline JSON or the path of a JSON file. */
function readMapping(value: string | undefined): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  const text = fs.existsSync(value) ? fs.readFileSync(value, 'utf8') : value;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error('not an object');
    return parsed as Record<string, string>;
  } catch {
    throw new KeleiError('MappingError', {
      en: `--mapping must be a JSON object such as '{"code": "会员号"}' or a file holding one`,
      zh: `--mapping 须为 JSON 对象，如 '{"code": "会员号"}'，或包含它的文件`,
    });
  }
}

export function renderReport(r: ImportReport, lang: Lang): string {
  const c = r.counts;
  const lines: string[] = [];
  const outcome = r.dryRun
    ? t(lang, { zh: '试运行：未写入任何数据', en: 'dry run: nothing was written' })
    : r.committed
      ? t(lang, { zh: `已提交（导入任务 #${r.jobId}）`, en: `committed (import job #${r.jobId})` })
      : t(lang, {
          zh: '有无效行，未写入任何数据（可用 --skip-invalid 跳过无效行）',
          en: 'invalid rows: nothing was written (use --skip-invalid to skip them)',
        });
  lines.push(
    `${r.entity} ← ${r.file} [${r.format}${r.encoding ? `, ${r.encoding}` : ''}${r.delimiter ? `, ${JSON.stringify(r.delimiter)}` : ''}]`,
  );
  lines.push(
    `${t(lang, { zh: '列映射', en: 'mapping' })}: ${Object.entries(r.mapping)
      .map(([f, h]) => `${f}←${h}`)
      .join(', ')}`,
  );
  lines.push(
    renderTable(
      [
        t(lang, { zh: '行数', en: 'rows' }),
        t(lang, { zh: '记录', en: 'records' }),
        t(lang, { zh: '新增', en: 'new' }),
        t(lang, { zh: '更新', en: 'updated' }),
        t(lang, { zh: '未变', en: 'unchanged' }),
        t(lang, { zh: '无效', en: 'invalid' }),
        t(lang, { zh: '重复', en: 'duplicate' }),
        t(lang, { zh: '新建客户', en: 'new customers' }),
      ],
      [
        [c.rows, c.records, c.new, c.updated, c.unchanged, c.invalid, c.duplicate, c.newCustomers].map((n) =>
          n.toLocaleString('en-US'),
        ),
      ],
    ),
  );
  for (const e of r.errors.slice(0, 10)) {
    lines.push(
      `  ${t(lang, { zh: '第', en: 'row ' })}${e.row}${t(lang, { zh: '行', en: '' })} ${e.column ?? ''}: ${t(lang, e.reason)}${e.value ? ` (${e.value})` : ''}`,
    );
  }
  if (r.counts.invalid > 10)
    lines.push(`  … ${r.counts.invalid - 10} ${t(lang, { zh: '个其他错误', en: 'more errors' })}`);
  for (const d of r.duplicates.slice(0, 10)) {
    if (d.by === 'erased') {
      lines.push(
        `  ${t(lang, { zh: '第', en: 'row ' })}${d.row}${t(lang, { zh: '行', en: '' })}: ${t(lang, { zh: `客户 ${d.code} 已按要求删除个人信息，未重新导入`, en: `customer ${d.code} was erased on request and is not re-imported` })}`,
      );
      continue;
    }
    lines.push(
      `  ${t(lang, { zh: '第', en: 'row ' })}${d.row}${t(lang, { zh: '行', en: '' })}: ${t(lang, { zh: `客户 ${d.code} 疑似与 ${d.existingCode} 重复（${d.by}）`, en: `customer ${d.code} looks like a duplicate of ${d.existingCode} (same ${d.by})` })}`,
    );
  }
  if (r.errorReportFile)
    lines.push(`${t(lang, { zh: '错误报告', en: 'error report' })}: ${r.errorReportFile}`);
  lines.push(outcome);
  return lines.join('\n');
}

export function registerImport(program: Command, withContext: WithContext): void {
  program
    .command('import <entity> <file>')
    .description('import customers|orders|interactions|feedback from CSV/TXT/XLSX / 导入数据')
    .option('--mapping <json>', 'column mapping {"field": "header"} as JSON or a JSON file')
    .option('--dry-run', 'check the file and report what would change, write nothing')
    .option('--skip-invalid', 'commit the valid rows and report the invalid ones')
    .option('--source <name>', 'source system of the orders (external ids are unique per source)', 'import')
    .option('--json', 'print the report as JSON')
    .action(
      async (
        entity: string,
        file: string,
        opts: { mapping?: string; dryRun?: boolean; skipInvalid?: boolean; source: string; json?: boolean },
      ) =>
        withContext(async (ctx) => {
          if (!IMPORT_ENTITIES.includes(entity as ImportEntity)) {
            throw new KeleiError('InvalidArgument', {
              en: `unknown import type "${entity}"; use one of ${IMPORT_ENTITIES.join(', ')}`,
              zh: `未知的导入类型“${entity}”，可用：${IMPORT_ENTITIES.join('、')}`,
            });
          }
          const mapping = readMapping(opts.mapping);
          const showBar = process.stderr.isTTY && !opts.json;
          const bar = new cliProgress.SingleBar(
            {
              format: `${t(ctx.lang, { zh: '导入中', en: 'importing' })} {value} ${t(ctx.lang, { zh: '行', en: 'rows' })} | {duration_formatted}`,
              stream: process.stderr,
            },
            cliProgress.Presets.shades_classic,
          );
          if (showBar) bar.start(0, 0);
          const dataDir = dataDirOf(ctx.config);
          // Loaded on demand: the readers pull in the XLSX library, which every other command can do without.
          const { runImport } = await import('../../services/import/import.service.ts');
          let report: ImportReport;
          try {
            report = await runImport(ctx.handle, {
              entity: entity as ImportEntity,
              file,
              mapping,
              dryRun: opts.dryRun,
              skipInvalid: opts.skipInvalid,
              source: opts.source,
              cipher: await ctx.cipher(),
              timeZone: ctx.config.timeZone,
              now: ctx.now,
              errorReportDir: path.join(dataDir, 'import-reports'),
              onProgress: showBar ? (p) => bar.update(p.rows) : undefined,
            });
          } finally {
            if (showBar) bar.stop();
          }
          printLine(opts.json ? jsonText(report) : renderReport(report, ctx.lang));
          if (!report.dryRun && !report.committed) {
            throw new KeleiError('InvalidRows', {
              en: `${report.counts.invalid} invalid rows; nothing imported (fix them or use --skip-invalid)`,
              zh: `${report.counts.invalid} 行无效，未导入任何数据（请修正或使用 --skip-invalid）`,
            });
          }
        }),
    );
}
