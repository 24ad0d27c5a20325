import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { isKeleiError, KeleiError } from '../../core/errors.ts';
import { IMPORT_ENTITIES, type ImportEntity } from '../../core/import/header-mapping.ts';
import { listImportHistory } from '../../services/import/import-history.service.ts';
import { createImportWizard, type ErrorReportFile } from '../../services/import/import-wizard.service.ts';
import { dataDirOf } from '../../services/jobs/data-dir.ts';
import type { StagedFile } from '../../services/jobs/upload-store.ts';
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
import { reportDtoOf, uploadDtoOf } from './imports.dto.ts';

const DEFAULT_MAX_UPLOAD_BYTES = 200 * 1024 * 1024;

/**
 * The import wizard over HTTP: upload (multipart) → mapping → dry run → commit in the
 * background with progress → report and error CSV. The wizard itself (uploads, jobs,
 * their clean-up and who may use them) is services/import/import-wizard.service.ts.
 */
export async function registerImportsRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const maxUploadBytes = deps.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  const wizard = createImportWizard({
    handle: deps.handle,
    cipher: deps.cipher,
    clock: deps.clock,
    timeZone: deps.config.timeZone,
    dataDir: dataDirOf(deps.config),
    onUnexpectedError: (error) => app.log.error({ err: error }, 'import job failed'),
  });
  app.addHook('onClose', () => wizard.close());

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
      let entity: ImportEntity;
      let explicit: Record<string, string> | undefined;
      try {
        const fields: Record<string, string> = {};
        for await (const part of request.parts()) {
          if (part.type === 'file') {
            // A body that stops inside the file part before the handler reaches it leaves
            // the part destroyed already (@fastify/multipart 9); reading it would never end.
            if (part.file.destroyed)
              throw interrupted(new Error('multipart body ended inside the file part'));
            try {
              staged = await wizard.stage({ stream: part.file, fileName: part.filename });
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
        entity = parseEntity(fields.entity);
        explicit = parseMappingField(fields.mapping);
      } catch (e) {
        if (staged) await wizard.discardStaged(staged);
        throw e;
      }
      const upload = await wizard.accept(staged, { who, entity, mapping: explicit });
      return reply.status(201).send(uploadDtoOf(upload));
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
      return uploadDtoOf(wizard.upload(request.params.id, who));
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
      await wizard.discard(request.params.id, who);
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
      const { report, fileName } = await wizard.dryRun(request.params.id, {
        who,
        run: runOptionsOf(request.body),
      });
      return reportDtoOf(report, fileName);
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
      return sendErrorReport(reply, wizard.dryRunErrors(request.params.id, who));
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
      const job = wizard.commit(request.params.id, { who, run: runOptionsOf(request.body) });
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
      const job = wizard.job(request.params.jobId, who);
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
      return sendErrorReport(reply, wizard.jobErrors(request.params.jobId, who));
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

/** The options of a dry run or commit as the body gave them. */
function runOptionsOf(body: z.infer<typeof runOptionsBody>) {
  return { mapping: body?.mapping, skipInvalid: body?.skipInvalid, source: body?.source };
}

function sendErrorReport(reply: FastifyReply, report: ErrorReportFile): FastifyReply {
  return sendFile(reply, {
    file: report.file,
    contentType: 'text/csv; charset=utf-8',
    disposition: contentDisposition({ name: report.downloadName, ascii: 'import-errors.csv' }),
    removeAfter: false,
  });
}
