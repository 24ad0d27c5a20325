import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { joinBilingual } from '../../core/bilingual.ts';
import { KeleiError } from '../../core/errors.ts';
import {
  applyExplicitMapping,
  type ImportEntity,
  type MappingResult,
  suggestMapping,
} from '../../core/import/header-mapping.ts';
import type { DbHandle } from '../../db/database.ts';
import { audit } from '../audit/audit.service.ts';
import { mayActOnWorkOf, type Principal } from '../auth/policy.ts';
import { createJobRegistry, type Job } from '../jobs/job-registry.ts';
import { createUploadStore, type StagedFile, type Upload } from '../jobs/upload-store.ts';
import type { PiiCipher } from '../privacy/pii-cipher.ts';
import { runImport } from './import.service.ts';
import type { ImportReport } from './import.types.ts';
import { isReaderError } from './readers/index.ts';
import { previewTable, type TablePreview } from './table-preview.ts';

/** An upload not used for this long is deleted. */
const UPLOAD_TTL_MS = 2 * 60 * 60 * 1000;
/** A finished commit job (and its error report) is kept this long. */
const JOB_TTL_MS = 24 * 60 * 60 * 1000;
const SWEEP_EVERY_MS = 10 * 60 * 1000;

/** What the wizard knows about an upload besides the file. */
export type UploadMeta = TablePreview & {
  entity: ImportEntity;
  /** the mapping as suggested, or as given with the upload */
  mapping: MappingResult;
  /** error report of the latest dry run */
  dryRunErrors: string | null;
};

export type ImportUpload = Upload<UploadMeta>;

export type CommitResult = { report: ImportReport; fileName: string };

export type ImportJob = Job<CommitResult>;

/** How a dry run or commit reads the upload. */
export type RunOptions = {
  /** target field → header text, overriding the automatic mapping */
  mapping?: Record<string, string>;
  skipInvalid?: boolean;
  /** orders: the source system */
  source?: string;
};

/** An error report on disk and the name to download it under. */
export type ErrorReportFile = { file: string; downloadName: string };

export type ImportWizard = {
  /** streams an uploaded file to disk (not yet visible to anyone) */
  stage(options: { stream: Readable; fileName: string }): Promise<StagedFile>;
  /** reads the staged file's headers and sample, maps its columns and makes it the caller's upload */
  accept(
    staged: StagedFile,
    options: { who: Principal; entity: ImportEntity; mapping: Record<string, string> | undefined },
  ): Promise<ImportUpload>;
  /** removes a staged file that will not be accepted */
  discardStaged(staged: StagedFile): Promise<void>;
  /** the caller's upload (an admin's: anyone's), or NotFound */
  upload(id: string, who: Principal): ImportUpload;
  discard(id: string, who: Principal): Promise<void>;
  /** checks the upload and reports what a commit would change; writes nothing */
  dryRun(id: string, options: { who: Principal; run: RunOptions }): Promise<CommitResult>;
  /** the latest dry run's error report, or NotFound */
  dryRunErrors(id: string, who: Principal): ErrorReportFile;
  /** commits the upload in the background; one audit row when it has finished */
  commit(id: string, options: { who: Principal; run: RunOptions }): ImportJob;
  /** the caller's commit job (an admin's: anyone's), or NotFound */
  job(id: string, who: Principal): ImportJob;
  jobErrors(id: string, who: Principal): ErrorReportFile;
  /** waits for running commits, then removes every upload, job and report of this wizard */
  close(): Promise<void>;
};

/**
 * The import wizard: upload → mapping → dry run → commit in the background with
 * progress → report and error CSV. Uploads and jobs live in this process (see the job
 * registry and the upload store); import_jobs keeps the durable record. A timer
 * sweeps expired uploads and jobs until {@link ImportWizard.close}.
 */
export function createImportWizard(deps: {
  handle: DbHandle;
  cipher: PiiCipher;
  clock: () => Date;
  timeZone: string;
  /** uploads and error reports go under it */
  dataDir: string;
  /** told about a commit that failed for a reason other than the file (a bug, an outage) */
  onUnexpectedError?: (error: unknown) => void;
}): ImportWizard {
  const uploads = createUploadStore<UploadMeta>({
    root: path.join(deps.dataDir, 'uploads'),
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
    onUnexpectedError: (error) => deps.onUnexpectedError?.(error),
  });
  const sweeper = setInterval(() => {
    jobs.sweep();
    void uploads.sweep();
  }, SWEEP_EVERY_MS);
  sweeper.unref();

  const uploadOf = (id: string, who: Principal): ImportUpload => {
    const upload = uploads.get(id);
    // Someone else's uploads do not exist for the caller.
    if (!upload || !mayActOnWorkOf(who, upload.owner)) throw noUpload(id);
    return upload;
  };

  const claim = (upload: ImportUpload) => {
    if (!uploads.claim(upload)) {
      throw new KeleiError('Conflict', {
        en: 'this upload is being imported or checked right now; wait until that finishes',
        zh: '该文件正在导入或检查中，请稍候再试',
      });
    }
  };

  const importOptions = (upload: ImportUpload, run: RunOptions) => {
    // A bad mapping is the caller's mistake: answer 400 now rather than fail the job later.
    const mapping = mappingPreview({
      entity: upload.meta.entity,
      headers: upload.meta.headers,
      explicit: run.mapping,
    });
    if (mapping.missing.length > 0) {
      const missing = joinBilingual(mapping.missing.map((m) => m.message));
      throw new KeleiError(
        'MappingError',
        {
          en: `${missing.en}; map the columns with "mapping": {"field": "header"}`,
          zh: `${missing.zh}；请用 "mapping": {"字段": "表头"} 指定列映射`,
        },
        mapping.missing,
      );
    }
    return {
      entity: upload.meta.entity,
      file: upload.file,
      mapping: run.mapping,
      skipInvalid: run.skipInvalid === true,
      source: run.source,
      cipher: deps.cipher,
      timeZone: deps.timeZone,
      now: deps.clock,
    };
  };

  const jobOf = (id: string, who: Principal): ImportJob => {
    const job = jobs.get(id);
    if (!job || !mayActOnWorkOf(who, job.owner)) {
      throw new KeleiError('NotFound', { en: `no import job ${id}`, zh: `导入任务 ${id} 不存在` });
    }
    return job;
  };

  return {
    stage: (options) => uploads.stage(options),

    async accept(staged, { who, entity, mapping: explicit }) {
      try {
        const preview = await previewTable(staged.file, staged.fileName);
        const mapping = mappingPreview({ entity, headers: preview.headers, explicit });
        return uploads.publish(staged, {
          owner: who.username,
          meta: { entity, ...preview, mapping, dryRunErrors: null },
        });
      } catch (e) {
        await uploads.discard(staged.id);
        throw asUploadError(e);
      }
    },

    discardStaged: (staged) => uploads.discard(staged.id),

    upload: uploadOf,

    async discard(id, who) {
      const upload = uploadOf(id, who);
      claim(upload);
      await uploads.discard(upload.id);
    },

    async dryRun(id, { who, run }) {
      const upload = uploadOf(id, who);
      const options = importOptions(upload, run);
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
        return { report, fileName: upload.fileName };
      } finally {
        uploads.release(upload);
      }
    },

    dryRunErrors(id, who) {
      const upload = uploadOf(id, who);
      return errorReport(upload.meta.dryRunErrors, upload.fileName);
    },

    commit(id, { who, run }) {
      const upload = uploadOf(id, who);
      const options = importOptions(upload, run);
      claim(upload);
      const reportDir = path.join(deps.dataDir, 'import-reports', crypto.randomUUID());
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
      return job;
    },

    job: jobOf,

    jobErrors(id, who) {
      const job = jobOf(id, who);
      return errorReport(job.result?.report.errorReportFile ?? null, job.result?.fileName ?? 'import');
    },

    async close() {
      clearInterval(sweeper);
      await jobs.close();
      await uploads.close();
    },
  };
}

function noUpload(id: string): KeleiError {
  return new KeleiError('NotFound', {
    en: `no upload ${id}; it may have expired or been committed — upload the file again`,
    zh: `上传的文件 ${id} 不存在，可能已过期或已提交，请重新上传`,
  });
}

/**
 * The mapping of an upload's headers: the suggested one, or the caller's explicit one
 * checked against the headers (MappingError naming every problem).
 */
export function mappingPreview(options: {
  entity: ImportEntity;
  headers: string[];
  explicit: Record<string, string> | undefined;
}): MappingResult {
  const { entity, headers, explicit } = options;
  if (!explicit) return suggestMapping(entity, headers);
  const applied = applyExplicitMapping({ entity, headers, explicit });
  if (!applied.ok) {
    throw new KeleiError('MappingError', joinBilingual(applied.errors.map((e) => e.message)), applied.errors);
  }
  return applied.result;
}

function errorReport(file: string | null, fileName: string): ErrorReportFile {
  if (!file || !fs.existsSync(file)) {
    throw new KeleiError('NotFound', {
      en: 'there is no error report: no row was invalid, or it has expired',
      zh: '没有错误报告：没有无效行，或报告已过期',
    });
  }
  const base = fileName.replace(/\.[^.]*$/, '') || 'import';
  return { file, downloadName: `${base}-错误报告.csv` };
}

/**
 * Reader errors reach the caller as they are, except a decompression bomb: the reader
 * calls it FileTooLarge (413), but the upload itself was within the limit — the file
 * is malformed, so UnreadableFile (400) with the reader's reason in the details.
 */
function asUploadError(e: unknown): unknown {
  if (isReaderError(e) && e.reason === 'zip_bomb') {
    return new KeleiError('UnreadableFile', { en: e.message, zh: e.messageZh }, { reason: e.reason });
  }
  return e;
}
