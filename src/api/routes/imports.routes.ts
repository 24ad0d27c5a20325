import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { isKeleiError, KeleiError } from '../../core/errors.ts';
import {
  applyExplicitMapping,
  IMPORT_ENTITIES,
  type ImportEntity,
  type MappingResult,
  suggestMapping,
} from '../../core/import/header-mapping.ts';
import { audit } from '../../services/audit/audit.service.ts';
import type { Principal } from '../../services/auth/policy.ts';
import { runImport } from '../../services/import/import.service.ts';
import type { ImportReport } from '../../services/import/import.types.ts';
import { listImportHistory } from '../../services/import/import-history.service.ts';
import { isReaderError } from '../../services/import/readers/index.ts';
import { previewTable } from '../../services/import/table-preview.ts';
import { dataDirOf } from '../../services/jobs/data-dir.ts';
import { createJobRegistry, type Job } from '../../services/jobs/job-registry.ts';
import { createUploadStore, type StagedFile, type Upload } from '../../services/jobs/upload-store.ts';
import type { AppDeps } from '../app-deps.ts';
import { authorize } from '../authorize.ts';
import {
  commitAcceptedDto,
  entitySchema,
  historyListDto,
  historyQuery,
  jobDto,
  jobParams,
  mappingSchema,
  reportDto,
  runOptionsBody,
  uploadDiscardedDto,
  uploadDto,
  uploadParams,
} from '../contract/imports.contract.ts';
import { contentDisposition, sendFile } from './exports.routes.ts';
import { reportDtoOf, type UploadMeta, uploadDtoOf } from './imports.dto.ts';

/** An upload not used for this long is deleted. */
const UPLOAD_TTL_MS = 2 * 60 * 60 * 1000;
/** A finished commit job (and its error report) is kept this long. */
const JOB_TTL_MS = 24 * 60 * 60 * 1000;
const SWEEP_EVERY_MS = 10 * 60 * 1000;
const DEFAULT_MAX_UPLOAD_BYTES = 200 * 1024 * 1024;

type CommitResult = { report: ImportReport; fileName: string };

/**
 * The import wizard (docs/import.md): upload → mapping → dry run → commit in the
 * background with progress → report and error CSV. Uploads and jobs live in this
 * process (see the job registry); import_jobs keeps the durable record.
 */
export async function registerImportsRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const dataDir = dataDirOf(deps.config);
  const maxUploadBytes = deps.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  const uploads = createUploadStore<UploadMeta>({
    root: path.join(dataDir, 'uploads'),
    ttlMs: UPLOAD_TTL_MS,
    now: deps.clock,
  });
  const reportDirs = new Map<string, string>();
  const jobs = createJobRegistry<CommitResult>({
    now: deps.clock,
    ttlMs: JOB_TTL_MS,
    onExpire: (job) => {
      const dir = reportDirs.get(job.id);
      reportDirs.delete(job.id);
      if (dir) void fs.promises.rm(dir, { recursive: true, force: true });
    },
    onUnexpectedError: (error) => app.log.error({ err: error }, 'import job failed'),
  });
  const sweeper = setInterval(() => {
    jobs.sweep();
    void uploads.sweep();
  }, SWEEP_EVERY_MS);
  sweeper.unref();
  app.addHook('onClose', async () => {
    clearInterval(sweeper);
    await jobs.close();
    await uploads.close();
  });

  /** The caller's upload, or 404 (someone else's uploads do not exist for them). */
  const uploadOf = (id: string, who: Principal): Upload<UploadMeta> => {
    const upload = uploads.get(id);
    if (!upload || (upload.owner !== who.username && who.role !== 'admin')) {
      throw new KeleiError('NotFound', {
        en: `no upload ${id}; it may have expired or been committed — upload the file again`,
        zh: `上传的文件 ${id} 不存在，可能已过期或已提交，请重新上传`,
      });
    }
    return upload;
  };

  const jobOf = (id: string, who: Principal): Job<CommitResult> => {
    const job = jobs.get(id);
    if (!job || (job.owner !== who.username && who.role !== 'admin')) {
      throw new KeleiError('NotFound', { en: `no import job ${id}`, zh: `导入任务 ${id} 不存在` });
    }
    return job;
  };

  const claim = (upload: Upload<UploadMeta>) => {
    if (!uploads.claim(upload)) {
      throw new KeleiError('Conflict', {
        en: 'this upload is being imported or checked right now; wait until that finishes',
        zh: '该文件正在导入或检查中，请稍候再试',
      });
    }
  };

  const importOptions = (upload: Upload<UploadMeta>, body: z.infer<typeof runOptionsBody>) => {
    // A bad mapping is the caller's mistake: answer 400 now rather than fail the job later.
    const mapping = mappingPreview({
      entity: upload.meta.entity,
      headers: upload.meta.headers,
      explicit: body?.mapping ?? undefined,
    });
    if (mapping.missing.length > 0) {
      throw new KeleiError(
        'MappingError',
        {
          en: `${mapping.missing.map((m) => m.message_en).join('; ')}; map the columns with "mapping": {"field": "header"}`,
          zh: `${mapping.missing.map((m) => m.message_zh).join('；')}；请用 "mapping": {"字段": "表头"} 指定列映射`,
        },
        mapping.missing,
      );
    }
    return {
      entity: upload.meta.entity,
      file: upload.file,
      mapping: body?.mapping,
      skipInvalid: body?.skipInvalid === true,
      source: body?.source,
      cipher: deps.cipher,
      timeZone: deps.config.timeZone,
      now: deps.clock,
    };
  };

  r.post(
    '/api/v1/imports',
    {
      schema: {
        tags: ['imports'],
        summary: 'Upload a file to import (multipart: entity, optional mapping JSON, one file)',
        description:
          'multipart/form-data with the fields `entity` (customers | orders | interactions | feedback), ' +
          'optional `mapping` (JSON object target field → header) and one `file` (CSV/TXT/XLSX). ' +
          'Answers the detected format, headers, a sample and the suggested column mapping.',
        consumes: ['multipart/form-data'],
        response: { 201: uploadDto },
      },
    },
    async (request, reply) => {
      const who = authorize(request, 'imports.run');
      if (!request.isMultipart()) {
        throw new KeleiError('InvalidArgument', {
          en: 'send the file as multipart/form-data with the fields entity and file',
          zh: '请以 multipart/form-data 上传，包含 entity 与 file 字段',
        });
      }
      let staged: StagedFile | null = null;
      try {
        const fields: Record<string, string> = {};
        for await (const part of request.parts()) {
          if (part.type === 'file') {
            // A body that stops inside the file part before the handler reaches it leaves
            // the part destroyed already (@fastify/multipart 9); reading it would never end.
            if (part.file.destroyed)
              throw interrupted(new Error('multipart body ended inside the file part'));
            try {
              staged = await uploads.stage({ stream: part.file, fileName: part.filename });
            } catch (e) {
              throw interrupted(e);
            }
            if (part.file.truncated) throw uploadTooLarge(maxUploadBytes);
          } else {
            // A field sent as application/json arrives parsed; everything else as text.
            fields[part.fieldname] =
              typeof part.value === 'object' && part.value !== null
                ? JSON.stringify(part.value)
                : String(part.value);
          }
        }
        if (!staged) {
          throw new KeleiError('InvalidArgument', {
            en: 'no file in the upload; send it in the field "file"',
            zh: '上传内容中没有文件，请放在 file 字段中',
          });
        }
        const entity = parseEntity(fields.entity);
        const explicit = parseMappingField(fields.mapping);
        const preview = await previewTable(staged.file, staged.fileName);
        const mapping = mappingPreview({ entity, headers: preview.headers, explicit });
        const upload = uploads.publish(staged, {
          owner: who.username,
          meta: { entity, ...preview, mapping, dryRunErrors: null },
        });
        return reply.status(201).send(uploadDtoOf(upload));
      } catch (e) {
        if (staged) await uploads.discard(staged.id);
        throw asUploadError(e);
      }
    },
  );

  r.get(
    '/api/v1/imports/history',
    {
      schema: {
        tags: ['imports'],
        summary: 'Recent imports, newest first: file, status, counts and who committed them',
        querystring: historyQuery,
        response: { 200: historyListDto },
      },
    },
    async (request) => {
      authorize(request, 'imports.run');
      const items = await listImportHistory(deps.handle, {
        limit: request.query.limit,
        includeDryRuns: request.query.dryRuns === 'true',
      });
      return { items: items.map((i) => ({ ...i, counts: i.counts ?? null })) };
    },
  );

  r.get(
    '/api/v1/imports/:id',
    {
      schema: {
        tags: ['imports'],
        summary: 'An upload again: headers, sample, suggested mapping',
        params: uploadParams,
        response: { 200: uploadDto },
      },
    },
    async (request) => {
      const who = authorize(request, 'imports.run');
      const upload = uploadOf(request.params.id, who);
      return uploadDtoOf(upload);
    },
  );

  r.delete(
    '/api/v1/imports/:id',
    {
      schema: {
        tags: ['imports'],
        summary: 'Discard an upload',
        params: uploadParams,
        response: { 200: uploadDiscardedDto },
      },
    },
    async (request) => {
      const who = authorize(request, 'imports.run');
      const upload = uploadOf(request.params.id, who);
      claim(upload);
      await uploads.discard(upload.id);
      return { ok: true };
    },
  );

  r.post(
    '/api/v1/imports/:id/dry-run',
    {
      schema: {
        tags: ['imports'],
        summary: 'Check the upload and report what a commit would change; writes nothing',
        params: uploadParams,
        body: runOptionsBody,
        response: { 200: reportDto },
      },
    },
    async (request) => {
      const who = authorize(request, 'imports.run');
      const upload = uploadOf(request.params.id, who);
      const options = importOptions(upload, request.body);
      claim(upload);
      try {
        const report = await runImport(deps.handle, {
          ...options,
          dryRun: true,
          errorReportDir: path.join(upload.dir, `dry-run-${crypto.randomUUID()}`),
        });
        const previous = upload.meta.dryRunErrors;
        upload.meta.dryRunErrors = report.errorReportFile;
        if (previous) await fs.promises.rm(path.dirname(previous), { recursive: true, force: true });
        return reportDtoOf(report, upload.fileName);
      } finally {
        uploads.release(upload);
      }
    },
  );

  r.get(
    '/api/v1/imports/:id/errors',
    {
      schema: {
        tags: ['imports'],
        summary: 'Error report CSV of the latest dry run of an upload',
        params: uploadParams,
        produces: ['text/csv'],
      },
    },
    async (request, reply) => {
      const who = authorize(request, 'imports.run');
      const upload = uploadOf(request.params.id, who);
      return sendErrorReport(reply, upload.meta.dryRunErrors, upload.fileName);
    },
  );

  r.post(
    '/api/v1/imports/:id/commit',
    {
      schema: {
        tags: ['imports'],
        summary: 'Commit the upload in the background; poll the job for progress and the report',
        params: uploadParams,
        body: runOptionsBody,
        response: { 202: commitAcceptedDto },
      },
    },
    async (request, reply) => {
      const who = authorize(request, 'imports.run');
      const upload = uploadOf(request.params.id, who);
      const options = importOptions(upload, request.body);
      claim(upload);
      const reportDir = path.join(dataDir, 'import-reports', crypto.randomUUID());
      const job = jobs.start({
        kind: 'import.commit',
        owner: who.username,
        work: async (progress) => ({
          report: await runImport(deps.handle, {
            ...options,
            dryRun: false,
            errorReportDir: reportDir,
            onProgress: (p) => progress(p.rows),
          }),
          fileName: upload.fileName,
        }),
        onSettled: async (finished) => {
          const report = finished.result?.report;
          // Committed: the file has done its job. Otherwise keep it for another try.
          if (report?.committed) await uploads.discard(upload.id);
          else uploads.release(upload);
          await audit(deps.handle.db, {
            actor: who.username,
            action: 'import.commit',
            entity: 'import_job',
            entityId: report?.jobId ?? undefined,
            details: {
              entity: upload.meta.entity,
              fileName: upload.fileName,
              size: upload.size,
              skipInvalid: options.skipInvalid,
              committed: report?.committed ?? false,
              counts: report?.counts ?? null,
              error: finished.error?.code ?? null,
            },
            at: deps.clock(),
          });
        },
      });
      reportDirs.set(job.id, reportDir);
      return reply
        .status(202)
        .send({ jobId: job.id, status: 'running' as const, statusUrl: `/api/v1/imports/jobs/${job.id}` });
    },
  );

  r.get(
    '/api/v1/imports/jobs/:jobId',
    {
      schema: {
        tags: ['imports'],
        summary: 'Status, progress (rows read so far) and final report of a commit job',
        params: jobParams,
        response: { 200: jobDto },
      },
    },
    async (request) => {
      const who = authorize(request, 'imports.run');
      const job = jobOf(request.params.jobId, who);
      const result = job.result;
      return {
        id: job.id,
        status: job.status,
        progress: { rows: job.progress },
        startedAt: job.startedAt,
        finishedAt: job.finishedAt,
        report: result ? reportDtoOf(result.report, result.fileName) : null,
        error: job.error,
        errorsUrl: result?.report.errorReportFile ? `/api/v1/imports/jobs/${job.id}/errors` : null,
      };
    },
  );

  r.get(
    '/api/v1/imports/jobs/:jobId/errors',
    {
      schema: {
        tags: ['imports'],
        summary: 'Error report CSV of a commit job: every invalid row with column and reason',
        params: jobParams,
        produces: ['text/csv'],
      },
    },
    async (request, reply) => {
      const who = authorize(request, 'imports.run');
      const job = jobOf(request.params.jobId, who);
      return sendErrorReport(
        reply,
        job.result?.report.errorReportFile ?? null,
        job.result?.fileName ?? 'import',
      );
    },
  );
}

function uploadTooLarge(limit: number): KeleiError {
  const mb = Math.floor(limit / (1024 * 1024));
  return new KeleiError(
    'PayloadTooLarge',
    {
      en: `the file is larger than the upload limit of ${mb > 0 ? `${mb} MB` : `${limit} bytes`}`,
      zh: `文件超过上传上限（${mb > 0 ? `${mb} MB` : `${limit} 字节`}）`,
    },
    { limitBytes: limit },
  );
}

/** A broken or aborted multipart stream is the client's fault; a failing disk (a system call) is not. */
function interrupted(e: unknown): unknown {
  if (isKeleiError(e) || (typeof e === 'object' && e !== null && ('statusCode' in e || 'syscall' in e))) {
    return e;
  }
  return new KeleiError('InvalidArgument', {
    en: 'the upload was interrupted or is not well-formed multipart data; send the file again',
    zh: '上传中断或 multipart 数据格式不正确，请重新上传',
  });
}

function parseEntity(value: string | undefined): ImportEntity {
  const parsed = entitySchema.safeParse(value);
  if (!parsed.success) {
    throw new KeleiError('InvalidArgument', {
      en: `field "entity" must be one of ${IMPORT_ENTITIES.join(', ')}; got ${value === undefined ? 'nothing' : `"${value}"`}`,
      zh: `entity 字段须为 ${IMPORT_ENTITIES.join('、')} 之一${value === undefined ? '' : `，收到“${value}”`}`,
    });
  }
  return parsed.data;
}

function parseMappingField(value: string | undefined): Record<string, string> | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(value);
  } catch {
    raw = undefined;
  }
  const parsed = mappingSchema.safeParse(raw);
  if (!parsed.success) {
    throw new KeleiError('MappingError', {
      en: 'field "mapping" must be a JSON object of target field → header text, e.g. {"code": "会员号"}',
      zh: 'mapping 字段须为“字段 → 表头”的 JSON 对象，如 {"code": "会员号"}',
    });
  }
  return parsed.data;
}

function mappingPreview(options: {
  entity: ImportEntity;
  headers: string[];
  explicit: Record<string, string> | undefined;
}): MappingResult {
  const { entity, headers, explicit } = options;
  if (!explicit) return suggestMapping(entity, headers);
  const applied = applyExplicitMapping({ entity, headers, explicit });
  if (!applied.ok) {
    throw new KeleiError(
      'MappingError',
      {
        en: applied.errors.map((e) => e.message_en).join('; '),
        zh: applied.errors.map((e) => e.message_zh).join('；'),
      },
      applied.errors,
    );
  }
  return applied.result;
}

async function sendErrorReport(
  reply: FastifyReply,
  file: string | null,
  fileName: string,
): Promise<FastifyReply> {
  if (!file || !fs.existsSync(file)) {
    throw new KeleiError('NotFound', {
      en: 'there is no error report: no row was invalid, or it has expired',
      zh: '没有错误报告：没有无效行，或报告已过期',
    });
  }
  const base = fileName.replace(/\.[^.]*$/, '') || 'import';
  return sendFile(reply, {
    file,
    contentType: 'text/csv; charset=utf-8',
    disposition: contentDisposition({ name: `${base}-错误报告.csv`, ascii: 'import-errors.csv' }),
    removeAfter: false,
  });
}

/**
 * Reader errors reach the client as they are, except a decompression bomb: the reader
 * calls it FileTooLarge (413), but the upload itself was within the limit — the file
 * is malformed, so 400 with the reader's reason in the details.
 */
function asUploadError(e: unknown): unknown {
  if (isReaderError(e) && e.reason === 'zip_bomb') {
    return new KeleiError('UnreadableFile', { en: e.message, zh: e.messageZh }, { reason: e.reason });
  }
  return e;
}
