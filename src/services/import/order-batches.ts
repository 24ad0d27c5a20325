import crypto from 'node:crypto';
import { type OrderBatch, OrderBatcher } from '../../core/import/order-batch.ts';
import { ORDER_LINE_FIELDS, OrderLineCleaner, type OrderLineField } from '../../core/import/order-lines.ts';
import type { Table } from './readers/index.ts';

/** How the rows of an orders file are read: which column holds which field, the zone of its times. */
export type OrderParseSetup = {
  columns: Partial<Record<OrderLineField, number>>;
  headers: string[];
  timeZone: string;
  /** orders per batch */
  capacity: number;
};

/** The order columns of a resolved mapping (field → column index). */
export function orderColumns(index: Record<string, number>): Partial<Record<OrderLineField, number>> {
  const columns: Partial<Record<OrderLineField, number>> = {};
  for (const field of ORDER_LINE_FIELDS) if (Object.hasOwn(index, field)) columns[field] = index[field];
  return columns;
}

/** A 20-character digest of an order line's content (for files without order numbers). */
function contentHash(content: string): string {
  return crypto.createHash('sha1').update(content).digest('base64url').slice(0, 20);
}

/**
 * The orders of a table in batches: every row cleaned and checked (its errors travel with
 * the batch it was read for), lines assembled into orders. Pure reading — it runs on the
 * import's thread for small files and in a worker thread for large ones.
 */
export async function* orderBatches(table: Table, setup: OrderParseSetup): AsyncGenerator<OrderBatch> {
  const cleaner = new OrderLineCleaner(setup);
  const ready: OrderBatch[] = [];
  const batcher = new OrderBatcher({
    capacity: setup.capacity,
    hash: contentHash,
    emit: (b) => ready.push(b),
  });
  for await (const rows of table.batches) {
    for (const { row, cells } of rows) {
      batcher.countRow();
      const line = cleaner.clean(row, cells, batcher.errors);
      if (line) batcher.add(line);
    }
    while (ready.length > 0) yield ready.shift() as OrderBatch;
  }
  batcher.flush();
  yield* ready;
}
