import { ApiError, api, apiUrl, csrfHeaders } from '../../api/client.ts';

/** The shapes of src/api/routes/imports.routes.ts, as the wizard reads them. */

export type ImportEntity = 'customers' | 'orders' | 'interactions' | 'feedback';
export const IMPORT_ENTITIES: ImportEntity[] = ['customers', 'orders', 'interactions', 'feedback'];

export type TargetFieldInfo = { key: string; zh: string; en: string; required: boolean };

export type UploadInfo = {
  id: string;
  entity: ImportEntity;
  fileName: string;
  size: number;
  format: string;
  encoding: string | null;
  delimiter: string | null;
  sheet: string | null;
  headers: string[];
  headerRow: number | null;
  rowCount: { count: number; kind: 'exact' | 'estimate' | 'atLeast' };
  sample: (string | number | null)[][];
  /** target field → header */
  mapping: Record<string, string>;
  unmappedHeaders: string[];
  missing: { anyOf: string[][]; message_zh: string; message_en: string }[];
  fields: TargetFieldInfo[];
  /** every rule must be met: one of its field sets mapped in full */
  requirements: { anyOf: string[][] }[];
  expiresAt: string;
};

export type ImportCounts = {
  rows: number;
  records: number;
  new: number;
  updated: number;
  unchanged: number;
  invalid: number;
  duplicate: number;
  newCustomers: number;
};

export type RowError = {
  row: number;
  column: string | null;
  value: string | null;
  reason: { zh: string; en: string };
};

export type DuplicateRow = { row: number; code: string; existingCode: string; by: string };

export type ImportReport = {
  importJobId: number | null;
  entity: ImportEntity;
  fileName: string;
  dryRun: boolean;
  committed: boolean;
  counts: ImportCounts;
  errors: RowError[];
  duplicates: DuplicateRow[];
  hasErrorReport: boolean;
};

export type ImportJob = {
  id: string;
  status: 'running' | 'done' | 'failed';
  progress: { rows: number };
  startedAt: string;
  finishedAt: string | null;
  report: ImportReport | null;
  error: { code: string; message: string; message_zh: string; details?: unknown } | null;
  errorsUrl: string | null;
};

export type HistoryItem = {
  id: number;
  entity: string;
  fileName: string;
  fileSize: number;
  status: string;
  counts: Partial<ImportCounts> | null;
  startedAt: string;
  finishedAt: string | null;
  actor: string | null;
};

export type RunOptions = { mapping: Record<string, string>; skipInvalid?: boolean };

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
  discard: (id: string) => api<{ ok: boolean }>(`/imports/${id}`, { method: 'DELETE' }),
  dryRun: (id: string, options: RunOptions) =>
    api<ImportReport>(`/imports/${id}/dry-run`, { method: 'POST', body: options }),
  commit: (id: string, options: RunOptions) =>
    api<{ jobId: string; status: 'running'; statusUrl: string }>(`/imports/${id}/commit`, {
      method: 'POST',
      body: options,
    }),
  job: (jobId: string) => api<ImportJob>(`/imports/jobs/${jobId}`),
  history: () => api<{ items: HistoryItem[] }>('/imports/history', { query: { limit: 10 } }),
  /** the dry run's error report, for a link */
  dryRunErrorsUrl: (id: string) => apiUrl(`/imports/${id}/errors`),
};

export const HISTORY_KEY = ['imports', 'history'] as const;
