import { ApiError, api, apiUrl, csrfHeaders } from '../../api/client.ts';
import type {
  ImportHistoryItem,
  ImportJob,
  ImportReport,
  ImportRowError,
  ResponseOf,
  RunOptions,
  Upload,
} from '../../api/contract.ts';

export type { ImportJob, ImportReport, RunOptions };
export type ImportEntity = Upload['entity'];
export const IMPORT_ENTITIES: ImportEntity[] = ['customers', 'orders', 'interactions', 'feedback'];
export type UploadInfo = ResponseOf<'POST /imports'>;
export type TargetFieldInfo = Upload['fields'][number];
export type ImportCounts = ImportReport['counts'];
export type RowError = ImportRowError;
export type DuplicateRow = ImportReport['duplicates'][number];
export type HistoryItem = ImportHistoryItem;

/** An upload in flight: its promise and a way to stop it. */
export type UploadHandle = { done: Promise<UploadInfo>; abort(): void };

/**
 * Uploads through XMLHttpRequest rather than fetch: only XHR reports upload progress,
 * which a 100 MB export from an ERP needs.
 */
export function uploadImportFile(options: {
  entity: ImportEntity;
  file: File;
  onProgress: (loaded: number, total: number) => void;
}): UploadHandle {
  const xhr = new XMLHttpRequest();
  const done = new Promise<UploadInfo>((resolve, reject) => {
    xhr.open('POST', apiUrl('/imports'));
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    for (const [name, value] of Object.entries(csrfHeaders())) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) =>
      options.onProgress(e.loaded, e.lengthComputable ? e.total : options.file.size);
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // not JSON: a proxy answered
      }
      if (xhr.status >= 200 && xhr.status < 300 && body) {
        resolve(body as UploadInfo);
        return;
      }
      const error = (body as { error?: ConstructorParameters<typeof ApiError>[1] } | null)?.error;
      reject(
        new ApiError(
          xhr.status,
          error?.code
            ? error
            : { code: xhr.status >= 500 ? 'ServerError' : 'HttpError', message: `HTTP ${xhr.status}` },
        ),
      );
    };
    xhr.onerror = () =>
      reject(
        new ApiError(0, {
          code: 'NetworkError',
          message: 'the server cannot be reached',
          message_zh: '无法连接服务器',
        }),
      );
    xhr.onabort = () => reject(new DOMException('upload cancelled', 'AbortError'));
    const form = new FormData();
    form.append('entity', options.entity);
    form.append('file', options.file, options.file.name);
    xhr.send(form);
  });
  return { done, abort: () => xhr.abort() };
}

export const importApi = {
  discard: (id: string) => api('DELETE /imports/:id', { params: { id } }),
  dryRun: (id: string, options: RunOptions) =>
    api('POST /imports/:id/dry-run', { params: { id }, body: options }),
  commit: (id: string, options: RunOptions) =>
    api('POST /imports/:id/commit', { params: { id }, body: options }),
  job: (jobId: string) => api('GET /imports/jobs/:jobId', { params: { jobId } }),
  history: () => api('GET /imports/history', { query: { limit: 10 } }),
  /** the dry run's error report, for a link */
  dryRunErrorsUrl: (id: string) => apiUrl(`/imports/${id}/errors`),
};

export const HISTORY_KEY = ['imports', 'history'] as const;
