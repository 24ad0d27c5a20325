import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { OrderBatch } from '../../core/import/order-batch.ts';
import { type OrderParseSetup, orderBatches } from './order-batches.ts';
import { deserializeFailure, type ParseMessage, type ToParser } from './order-parse.messages.ts';
import type { Table } from './readers/index.ts';

/** Below this size a file is parsed on the import's own thread: starting a worker costs more. */
const WORKER_MIN_BYTES = 8 * 1024 * 1024;

/** Batches parsed ahead of the writer: enough to keep both threads busy, few enough to keep memory flat. */
const CREDITS = 4;

/** Orders being parsed from an import file: read `batches` once, `close()` in any case. */
export type OrderParsing = {
  batches: AsyncIterable<OrderBatch>;
  close(): Promise<void>;
};

/**
 * Starts parsing the orders of an import file. A large text file is read, cleaned and
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
  /** delimited text: default, a worker for files of 8 MiB or more on a machine with two cores or more */
  inWorker?: boolean;
}): Promise<OrderParsing> {
  // Workbooks are read in this thread: exceljs is loaded on demand through the ESM loader,
  // which the worker does not have.
  const inWorker =
    options.table.format === 'csv' &&
    (options.inWorker ?? (options.fileSize >= WORKER_MIN_BYTES && os.availableParallelism() >= 2));
  if (!inWorker) {
    const batches = orderBatches(options.table, options.setup);
    return { batches, close: async () => void (await batches.return(undefined)) };
  }
  await options.table.close();
  const worker = startWorker({ file: options.file, setup: options.setup, credits: CREDITS });
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

function startWorker(data: { file: string; setup: OrderParseSetup; credits: number }): Worker {
  const url = new URL('./order-parse.worker.cjs', import.meta.url);
  const options = {
    workerData: data,
    // Room for a few batches in the young generation: they die there instead of being
    // promoted and collected by full garbage collections.
    resourceLimits: { maxYoungGenerationSizeMb: 128 },
  };
  const execArgv = withoutLoaders(process.execArgv);
  if (execArgv.length === process.execArgv.length) return new Worker(url, options);
  try {
    return new Worker(url, { ...options, execArgv });
  } catch (e) {
    // Options a worker may not be given (--max-old-space-size…) are only filtered out
    // when the worker inherits them: then it inherits the loaders as well.
    if ((e as { code?: unknown }).code !== 'ERR_WORKER_INVALID_EXEC_ARGV') throw e;
    return new Worker(url, options);
  }
}

/**
 * The process's Node options minus module loaders (`--import tsx` and the like): the
 * worker registers its own, and a second one would only slow its start.
 */
function withoutLoaders(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (/^--(import|require|loader|experimental-loader)$/.test(arg) || arg === '-r') i++;
    else if (!/^--(import|require|loader|experimental-loader)=/.test(arg)) out.push(arg);
  }
  return out;
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
