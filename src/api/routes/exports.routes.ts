import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { todayIn } from '../../core/dates.ts';
import { KeleiError } from '../../core/errors.ts';
import { audit } from '../../services/audit/audit.service.ts';
import { can, scopeOf } from '../../services/auth/policy.ts';
import { exportClasses } from '../../services/export/classes.export.ts';
import type { WriteTableResult } from '../../services/export/table.writer.ts';
import { exportTable, exportWorkbook } from '../../services/export/template-tables.export.ts';
import { dataDirOf } from '../../services/jobs/data-dir.ts';
import type { AppDeps } from '../app-deps.ts';
import { authorize } from '../authorize.ts';

const EXPORT_TABLES = ['customers', 'orders', 'classification', 'plans', 'workbook', 'classes'] as const;
type ExportTableName = (typeof EXPORT_TABLES)[number];

/** The download's name: the template table's Chinese title, and an ASCII one for old clients. */
const FILE_TITLES: Record<Exclude<ExportTableName, 'classes'>, { zh: string; ascii: string }> = {
  customers: { zh: '客户基本信息表', ascii: 'customers' },
  orders: { zh: '客户消费记录表', ascii: 'orders' },
  classification: { zh: '客户分类表', ascii: 'classification' },
  plans: { zh: '客户维护计划表', ascii: 'plans' },
  workbook: { zh: '客户管理模板表', ascii: 'workbook' },
};

const CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

/**
 * Downloads of the four template tables, the workbook holding all four, and one
 * scheme's classes with scores and metrics (docs/import.md). The file is written to a
 * temporary file by the export services, streamed back and deleted; every export is
 * audited once.
 */
export async function registerExportsRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const exportDir = path.join(dataDirOf(deps.config), 'exports');

  r.get(
    '/api/v1/exports/:table',
    {
      schema: {
        tags: ['exports'],
        summary: 'Export a table as CSV or XLSX',
        description:
          'customers (客户基本信息表), orders (客户消费记录表), classification (客户分类表), plans (客户维护计划表), ' +
          'workbook (all four, XLSX only), classes (one scheme: ?scheme=rfm8). Phones and e-mails are masked ' +
          'unless the caller holds pii.view and asks ?reveal=1. Roles limited to their own customers cannot export yet.',
        params: z.object({ table: z.enum(EXPORT_TABLES) }),
        querystring: z.object({
          format: z.enum(['csv', 'xlsx']).default('xlsx'),
          scheme: z.string().min(1).max(64).optional().describe('scheme key, for table=classes'),
          reveal: z.enum(['0', '1']).optional().describe('1: phones and e-mails in full (needs pii.view)'),
        }),
        produces: [CONTENT_TYPES.csv, CONTENT_TYPES.xlsx],
      },
    },
    async (request, reply) => {
      const who = authorize(request, 'exports.run');
      const { table } = request.params;
      const { format, scheme } = request.query;
      // The export services read every customer; they cannot yet narrow to an owner's.
      if (scopeOf(who.role) === 'own') {
        throw new KeleiError('Forbidden', {
          en: `role ${who.role} sees only its own customers; exports cover all customers and are not available to it yet`,
          zh: `角色 ${who.role} 只能查看自己的客户，而导出包含全部客户，暂不开放`,
        });
      }
      const revealPii = request.query.reveal === '1';
      if (revealPii && !can(who.role, 'pii.view')) {
        throw new KeleiError('Forbidden', {
          en: `role ${who.role} may not see phones and e-mails in full; export without reveal=1`,
          zh: `角色 ${who.role} 无权查看完整联系方式，请去掉 reveal=1 再导出`,
        });
      }
      // Without pii.view, contact details typed into any text cell come out masked, as on screen.
      const scrubFreeText = !can(who.role, 'pii.view');
      if (table === 'workbook' && format !== 'xlsx') {
        throw new KeleiError('InvalidArgument', {
          en: 'the workbook holds four sheets and exists only as XLSX; use format=xlsx',
          zh: '模板工作簿包含四张表，只能导出为 XLSX，请使用 format=xlsx',
        });
      }
      if (table === 'classes' && !scheme) {
        throw new KeleiError('InvalidArgument', {
          en: 'exporting classes needs ?scheme=<key>, e.g. ?scheme=rfm8',
          zh: '导出分类结果需要 ?scheme=<方案键>，如 ?scheme=rfm8',
        });
      }

      await fs.promises.mkdir(exportDir, { recursive: true });
      const out = path.join(exportDir, `${crypto.randomUUID()}.${format}`);
      const db = deps.handle.db;
      let result: WriteTableResult;
      try {
        if (table === 'classes') {
          result = await exportClasses({ db, schemeKey: scheme ?? '', format, out });
        } else if (table === 'workbook') {
          result = await exportWorkbook({ db, out, cipher: deps.cipher, revealPii, scrubFreeText });
        } else {
          result = await exportTable({
            db,
            table,
            format,
            out,
            cipher: deps.cipher,
            revealPii,
            scrubFreeText,
          });
        }
        await audit(db, {
          actor: who.username,
          action: 'export',
          entity: table,
          details: {
            format,
            scheme: scheme ?? null,
            revealPii,
            rows: result.sheets.reduce((n, s) => n + s.rows, 0),
          },
          at: deps.clock(),
        });
      } catch (e) {
        await fs.promises.rm(out, { force: true });
        throw e;
      }

      const date = todayIn(deps.config.timeZone, deps.clock());
      const title =
        table === 'classes' ? { zh: `分类结果-${scheme}`, ascii: `classes-${scheme}` } : FILE_TITLES[table];
      return sendFile(reply, {
        file: out,
        contentType: CONTENT_TYPES[format],
        disposition: contentDisposition({
          name: `${title.zh}-${date}.${format}`,
          ascii: `${title.ascii}-${date}.${format}`,
        }),
        removeAfter: true,
      });
    },
  );
}

/**
 * A Content-Disposition header for a download: `filename` in ASCII for old clients and
 * `filename*` with the real (often Chinese) name, RFC 5987/6266 encoded.
 * `contentDisposition({ name: '客户分类表.csv', ascii: 'classification.csv' })` →
 * `attachment; filename="classification.csv"; filename*=UTF-8''%E5%AE%A2…`.
 */
export function contentDisposition(options: { name: string; ascii: string }): string {
  const ascii = options.ascii.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(options.name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** Streams a file as a download; `removeAfter` deletes it once the response is done (or aborted). */
export function sendFile(
  reply: FastifyReply,
  options: { file: string; contentType: string; disposition: string; removeAfter: boolean },
): FastifyReply {
  const stream = fs.createReadStream(options.file);
  if (options.removeAfter) {
    stream.on('close', () => {
      void fs.promises.rm(options.file, { force: true });
    });
  }
  return reply
    .header('content-type', options.contentType)
    .header('content-disposition', options.disposition)
    .header('cache-control', 'no-store')
    .send(stream);
}
