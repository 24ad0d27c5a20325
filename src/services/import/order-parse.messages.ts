import { KeleiError } from '../../core/errors.ts';
import type { OrderBatch } from '../../core/import/order-batch.ts';
import { ReaderError, type ReaderErrorInit } from './readers/index.ts';

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

/** The error a worker failed with, raised again on this side. */
export function deserializeFailure(f: SerializedFailure): Error {
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
