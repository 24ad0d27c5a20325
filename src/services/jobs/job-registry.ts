import crypto from 'node:crypto';
import { isKeleiError } from '../../core/errors.ts';

export type JobStatus = 'running' | 'done' | 'failed';

/** A failed job's error, shaped like the API's error body (user-safe messages only). */
export type JobError = { code: string; message: string; message_zh: string; details?: unknown };

/** A background job as callers see it: who started it, how far it got, and how it ended. */
export type Job<R> = {
  id: string;
  kind: string;
  /** username of whoever started it */
  owner: string;
  status: JobStatus;
  /** rows (or other units) processed so far */
  progress: number;
  startedAt: string;
  finishedAt: string | null;
  result: R | null;
  error: JobError | null;
};

export type JobRegistry<R> = {
  /**
   * Starts `work` in the background and returns the running job at once. `work` reports
   * progress through its argument; what it resolves to becomes the job's result, what it
   * throws its error.
   */
  start(options: {
    kind: string;
    owner: string;
    work: (progress: (units: number) => void) => Promise<R>;
    /** runs once the job has finished (either way), before it becomes visible as finished */
    onSettled?: (job: Job<R>) => Promise<void> | void;
  }): Job<R>;
  get(id: string): Job<R> | undefined;
  /** forgets finished jobs older than the time to live; `onExpire` cleans up after each */
  sweep(): void;
  /** waits for running jobs, then forgets every job (calling `onExpire`) */
  close(): Promise<void>;
};

/**
 * An in-process registry of background jobs (import commits), kept for `ttlMs` after
 * they finish. It lives in one server process: a job started on one instance is not
 * visible on another, and a restart forgets it (the import_jobs table keeps the record).
 */
export function createJobRegistry<R>(options: {
  now: () => Date;
  ttlMs: number;
  onExpire?: (job: Job<R>) => void;
  /** told about anything a job threw that is not a KeleiError (a bug or an outage), for the log */
  onUnexpectedError?: (error: unknown, job: Job<R>) => void;
}): JobRegistry<R> {
  const jobs = new Map<string, Job<R>>();
  const running = new Set<Promise<void>>();

  const expire = (job: Job<R>) => {
    jobs.delete(job.id);
    options.onExpire?.(job);
  };

  return {
    start({ kind, owner, work, onSettled }) {
      const job: Job<R> = {
        id: crypto.randomUUID(),
        kind,
        owner,
        status: 'running',
        progress: 0,
        startedAt: options.now().toISOString(),
        finishedAt: null,
        result: null,
        error: null,
      };
      jobs.set(job.id, job);
      const settled: Partial<Job<R>> = {};
      const task = (async () => {
        try {
          settled.result = await work((units) => {
            job.progress = units;
          });
          settled.status = 'done';
        } catch (e) {
          settled.status = 'failed';
          settled.error = jobErrorOf(e);
          if (!isKeleiError(e)) options.onUnexpectedError?.(e, job);
        }
        const finished: Job<R> = { ...job, ...settled, finishedAt: options.now().toISOString() };
        try {
          await onSettled?.(finished);
        } catch (e) {
          finished.status = 'failed';
          finished.error = jobErrorOf(e);
          if (!isKeleiError(e)) options.onUnexpectedError?.(e, job);
        }
        Object.assign(job, finished);
      })();
      running.add(task);
      void task.finally(() => running.delete(task));
      return job;
    },
    get(id) {
      return jobs.get(id);
    },
    sweep() {
      const cutoff = options.now().getTime() - options.ttlMs;
      for (const job of jobs.values()) {
        if (job.finishedAt !== null && Date.parse(job.finishedAt) < cutoff) expire(job);
      }
    },
    async close() {
      await Promise.allSettled([...running]);
      for (const job of [...jobs.values()]) expire(job);
    },
  };
}

/** A user-safe description of what a job threw: a KeleiError's code and messages, else a generic one. */
export function jobErrorOf(e: unknown): JobError {
  if (isKeleiError(e)) {
    return { code: e.code, message: e.message, message_zh: e.messageZh, details: e.details };
  }
  return { code: 'InternalError', message: 'internal error', message_zh: '服务器内部错误' };
}
