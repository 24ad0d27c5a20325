import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { KeleiError } from '../../core/errors.ts';
import type { OrderBatch } from '../../core/import/order-batch.ts';
import { type OrderParseSetup, orderBatches } from './order-batches.ts';
import { ReaderError, type ReaderErrorInit, type Table } from './readers/index.ts';

/** Below this size a file is parsed on the import's own thread: starting a worker costs more. */
const WORKER_MIN_BYTES = 8 * 1024 * 1024;

/** Batches parsed ahead of the writer: enough to keep both threads busy, few enough to keep memory flat. */
const CREDITS = 4;

/** Messages from the parsing worker. */
export type ParseMessage = { batch: OrderBatch } | { done: true } | { failure: SerializedFailure };

/** Messages to the parsing worker: batches it may send on. */
export type ToParser = { credit: number };

type SerializedFailure =
  | { kind: 'reader'; init: ReaderErrorInit }
  | { kind: 'kelei'; code: KeleiError['code']; en: string; zh: string }
  | { kind: 'error'; message: string; stack?: string };

/** An error as it can cross a thread: enough to raise the same error on the other side. */
export function serializeFailure(e: unknown): SerializedFailure {
  if (e instanceof ReaderError) {
    return {
      kind: 'reader',
      init: { code: e.code, reason: e.reason, zh: e.messageZh, en: e.message, row: e.row },
    };
  }
  if (e instanceof KeleiError) return { kind: 'kelei', code: e.code, en: e.message, zh: e.messageZh };
  if (e instanceof Error) return { kind: 'error', message: e.message, stack: e.stack };
  return { kind: 'error', message: String(e) };
}

function deserializeFailure(f: SerializedFailure): Error {
  switch (f.kind) {
    case 'reader':
      return new ReaderError(f.init);
    case 'kelei':
      return new KeleiError(f.code, { en: f.en, zh: f.zh });
    case 'error': {
      const e = new Error(f.message);
      if (f.stack) e.stack = f.stack;
      return e;
    }
  }
}

/** Orders being parsed from an import file: read `batches` once, `close()` in any case. */
export type OrderParsing = {
  batches: AsyncIterable<OrderBatch>;
  close(): Promise<void>;
};

/**
 * Starts parsing the orders of an import file. A large file is read, cleaned and
 * assembled in a worker thread — started at once, so it loads while the import gets
 * ready — while this thread writes the batches before, so parsing and database writes
 * use two cores; `table` (already open, for its headers) is then closed and the worker
 * reads the file itself. A small file is parsed from `table` on this thread.
 */
export async function startOrderParsing(options: {
  file: string;
  fileSize: number;
  table: Table;
  setup: OrderParseSetup;
  /** default: a worker for files of 8 MiB or more on a machine with two cores or more */
  inWorker?: boolean;
}): Promise<OrderParsing> {
  const inWorker =
    options.inWorker ?? (options.fileSize >= WORKER_MIN_BYTES && os.availableParallelism() >= 2);
  if (!inWorker) {
    const batches = orderBatches(options.table, options.setup);
    return { batches, close: async () => void (await batches.return(undefined)) };
  }
  await options.table.close();
  const worker = new Worker(new URL('./order-parse.worker.mjs', import.meta.url), {
    workerData: { file: options.file, setup: options.setup, credits: CREDITS },
    // Room for a few batches in the young generation: they die there instead of being
    // promoted and collected by full garbage collections.
    resourceLimits: { maxYoungGenerationSizeMb: 128 },
  });
  const inbox = new WorkerInbox(worker);
  const batches = inbox.batches();
  return {
    batches,
    close: async () => {
      await batches.return(undefined);
      await worker.terminate();
    },
  };
}

/** What the parsing worker sent, from the moment it started, read in order. */
class WorkerInbox {
  private readonly messages: ParseMessage[] = [];
  private failure: Error | null = null;
  private finished = false;
  private notify: (() => void) | null = null;

  constructor(private readonly worker: Worker) {
    worker.on('message', (m: ParseMessage) => {
      this.messages.push(m);
      this.wake();
    });
    worker.on('error', (e) => {
      this.failure ??= e;
      this.wake();
    });
    worker.on('exit', (code) => {
      if (!this.finished) this.failure ??= new Error(`the order parsing worker stopped (exit code ${code})`);
      this.wake();
    });
  }

  private wake(): void {
    this.notify?.();
    this.notify = null;
  }

  async *batches(): AsyncGenerator<OrderBatch> {
    try {
      for (;;) {
        while (this.messages.length === 0 && this.failure === null) {
          await new Promise<void>((resolve) => {
            this.notify = resolve;
          });
        }
        const m = this.messages.shift();
        if (m === undefined) throw this.failure;
        if ('batch' in m) {
          yield m.batch;
          // The batch is written: the worker may parse one more.
          this.worker.postMessage({ credit: 1 } satisfies ToParser);
        } else if ('done' in m) {
          return;
        } else {
          throw deserializeFailure(m.failure);
        }
      }
    } finally {
      this.finished = true;
      await this.worker.terminate();
    }
  }
}
