import { parentPort, workerData } from 'node:worker_threads';
import { batchBuffers } from '../../core/import/order-batch.ts';
import { type OrderParseSetup, orderBatches } from './order-batches.ts';
import { type ParseMessage, serializeFailure, type ToParser } from './order-parse.messages.ts';
import { openTable } from './readers/index.ts';

// Loaded through tsx's require hook (order-parse.worker.cjs): no top-level await, no import.meta.

const { file, setup, credits } = workerData as { file: string; setup: OrderParseSetup; credits: number };

async function parse(port: NonNullable<typeof parentPort>): Promise<void> {
  // The import thread grants a credit per batch it has written, so at most `credits`
  // batches wait between the threads and memory stays flat whatever the file's size.
  let available = credits;
  let wake: (() => void) | null = null;
  port.on('message', (m: ToParser) => {
    available += m.credit;
    wake?.();
    wake = null;
  });
  const send = (message: ParseMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
  try {
    const table = await openTable(file);
    try {
      if (table.headers.join('\u0000') !== setup.headers.join('\u0000')) {
        throw new Error(`${file} changed while it was being imported`);
      }
      for await (const batch of orderBatches(table, setup)) {
        while (available === 0) {
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
        }
        available--;
        send({ batch }, batchBuffers(batch));
      }
    } finally {
      await table.close();
    }
    send({ done: true });
  } catch (e) {
    send({ failure: serializeFailure(e) });
  }
}

if (!parentPort) throw new Error('order-parse.worker.ts runs as a worker thread');
void parse(parentPort);
