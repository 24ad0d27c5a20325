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

/**
 * The orders of an import file, batch by batch. A large file is read, cleaned and
 * assembled in a worker thread while this thread writes the batches before, so parsing
 * and database writes use two cores; `table` (already open, for its headers) is then
 * closed and the worker reads the file itself.
 */
export async function* parsedOrders(options: {
  file: string;
  fileSize: number;
  table: Table;
  setup: OrderParseSetup;
  /** default: a worker for files of 8 MiB or more on a machine with two cores or more */
  inWorker?: boolean;
}): AsyncGenerator<OrderBatch> {
  const inWorker =
    options.inWorker ?? (options.fileSize >= WORKER_MIN_BYTES && os.availableParallelism() >= 2);
  if (!inWorker) {
    yield* orderBatches(options.table, options.setup);
    return;
  }
  await options.table.close();
  yield* workerBatches(options.file, options.setup);
}

async function* workerBatches(file: string, setup: OrderParseSetup): AsyncGenerator<OrderBatch> {
  const worker = new Worker(new URL('./order-parse.worker.mjs', import.meta.url), {
    workerData: { file, setup, credits: CREDITS },
  });
  const inbox: ParseMessage[] = [];
  let failure: Error | null = null;
  let finished = false;
  let notify: (() => void) | null = null;
  const wake = () => {
    notify?.();
    notify = null;
  };
  worker.on('message', (m: ParseMessage) => {
    inbox.push(m);
    wake();
  });
  worker.on('error', (e) => {
    failure ??= e;
    wake();
  });
  worker.on('exit', (code) => {
    if (!finished) failure ??= new Error(`the order parsing worker stopped (exit code ${code})`);
    wake();
  });
  try {
    for (;;) {
      while (inbox.length === 0 && failure === null) {
        await new Promise<void>((resolve) => {
          notify = resolve;
        });
      }
      const m = inbox.shift();
      if (m === undefined) throw failure;
      if ('batch' in m) {
        yield m.batch;
        // The batch is written: the worker may parse one more.
        worker.postMessage({ credit: 1 } satisfies ToParser);
      } else if ('done' in m) {
        finished = true;
        return;
      } else {
        finished = true;
        throw deserializeFailure(m.failure);
      }
    }
  } finally {
    finished = true;
    await worker.terminate();
  }
}
