import fs from 'node:fs';
import type { Command } from 'commander';
import YAML from 'yaml';
import type { Bilingual } from '../../core/bilingual.ts';
import { isIsoDate, todayIn } from '../../core/dates.ts';
import { isKeleiError, KeleiError } from '../../core/errors.ts';
import type { SchemeDefinition } from '../../core/schemes/scheme.ts';
import { parseSchemeDefinition } from '../../core/schemes/scheme.validation.ts';
import {
  explainCustomer,
  previewScheme,
  runClassification,
} from '../../services/classification/classification.service.ts';
import { type CliContext, t } from '../context.ts';
import { renderDistribution, renderTransitions } from '../format.ts';
import { jsonText, printLine } from '../terminal.ts';

export type WithContext = (fn: (ctx: CliContext) => Promise<void>) => Promise<void>;

/** `--as-of YYYY-MM-DD`, default today in the workspace zone. */
export function parseAsOf(value: string | undefined, ctx: CliContext): string {
  if (value === undefined) return todayIn(ctx.config.timeZone, ctx.now());
  if (!isIsoDate(value)) {
    throw new KeleiError('InvalidDate', {
      en: `--as-of must be a date written YYYY-MM-DD, got "${value}"`,
      zh: `--as-of 须为 YYYY-MM-DD 格式的日期，收到“${value}”`,
    });
  }
  return value;
}

/** Reads a scheme definition from a JSON or YAML file and checks it as the API does. */
export function readSchemeFile(file: string): SchemeDefinition {
  if (!fs.existsSync(file)) {
    throw new KeleiError('FileNotFound', { en: `no such file: ${file}`, zh: `文件不存在：${file}` });
  }
  let raw: unknown;
  try {
    const text = fs.readFileSync(file, 'utf8');
    raw = /\.json$/i.test(file) ? JSON.parse(text) : YAML.parse(text);
  } catch (e) {
    const reason = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new KeleiError('InvalidScheme', {
      en: `${file} is not valid JSON/YAML: ${reason}`,
      zh: `${file} 不是有效的 JSON/YAML：${reason}`,
    });
  }
  try {
    return parseSchemeDefinition(raw);
  } catch (e) {
    // The same check as the API's, with the file named in front.
    if (!isKeleiError(e)) throw e;
    throw new KeleiError(e.code, { en: `${file}: ${e.message}`, zh: `${file}：${e.messageZh}` }, e.details);
  }
}

export function registerClassify(program: Command, withContext: WithContext): void {
  program
    .command('classify')
    .description('classify every customer under the active schemes (or one) / 按分类方案为客户分类')
    .option('--scheme <key>', 'only this scheme')
    .option('--as-of <date>', 'as-of date YYYY-MM-DD (default: today)')
    .option('--dry-run', 'preview a draft scheme without writing anything (needs --scheme-file)')
    .option('--scheme-file <file>', 'draft scheme definition (JSON or YAML) for --dry-run')
    .option('--json', 'print the result as JSON')
    .action(
      async (opts: {
        scheme?: string;
        asOf?: string;
        dryRun?: boolean;
        schemeFile?: string;
        json?: boolean;
      }) =>
        withContext(async (ctx) => {
          const asOf = parseAsOf(opts.asOf, ctx);
          if (opts.dryRun || opts.schemeFile) {
            if (!opts.dryRun || !opts.schemeFile) {
              throw new KeleiError('InvalidArgument', {
                en: '--dry-run and --scheme-file go together: kelei classify --dry-run --scheme-file draft.yaml',
                zh: '--dry-run 与 --scheme-file 须同时使用：kelei classify --dry-run --scheme-file draft.yaml',
              });
            }
            const definition = readSchemeFile(opts.schemeFile);
            const preview = await previewScheme(ctx.handle, { definition, asOf });
            if (opts.json) return void printLine(jsonText(preview));
            printLine(t(ctx.lang, { zh: '预览（未写入任何数据）', en: 'preview (nothing written)' }));
            printLine(renderDistribution(preview, ctx.lang));
            printLine(renderTransitions(preview, ctx.lang));
            return;
          }
          const summaries = await runClassification(ctx.handle, {
            asOf,
            schemeKeys: opts.scheme ? [opts.scheme] : undefined,
            now: ctx.now,
          });
          if (opts.json) return void printLine(jsonText(summaries));
          for (const s of summaries) printLine(`${renderDistribution(s, ctx.lang)}\n`);
        }),
    );

  program
    .command('explain <customer-code>')
    .description("explain a customer's class / 解释客户的分类依据")
    .requiredOption('--scheme <key>', 'scheme key, e.g. value_tier')
    .option('--json', 'print the explanation as JSON')
    .action(async (code: string, opts: { scheme: string; json?: boolean }) =>
      withContext(async (ctx) => {
        const e = await explainCustomer(ctx.handle, { code, schemeKey: opts.scheme });
        if (opts.json) return void printLine(jsonText(e));
        const lang = ctx.lang;
        const name = (n: Bilingual) => t(lang, n);
        printLine(
          `${e.customerCode} ${e.customerName ?? ''} — ${name(e.schemeName)}: ${name(e.explanation.name)} (${e.explanation.classKey})`,
        );
        printLine(
          t(lang, {
            zh: `截至 ${e.asOf}，自 ${e.since} 起属于此类`,
            en: `as of ${e.asOf}, in this class since ${e.since}`,
          }),
        );
        for (const step of e.explanation.steps) {
          const verdict =
            step.result === true
              ? t(lang, { zh: '✓ 符合', en: '✓ matched' })
              : t(lang, { zh: '✗ 不符合', en: '✗ not matched' });
          printLine(`\n${verdict}  ${name(step.name)} (${step.classKey}): ${step.rule}`);
          for (const line of lang === 'zh' ? step.lines.zh : step.lines.en) printLine(`    ${line}`);
        }
        if (e.history.length > 0) {
          printLine(`\n${t(lang, { zh: '分类历史', en: 'class history' })}:`);
          for (const h of e.history) printLine(`    ${h.at}  ${h.from ?? '—'} → ${h.to}`);
        }
      }),
    );
}
