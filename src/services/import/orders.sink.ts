import type { OrderBatch } from '../../core/import/order-batch.ts';
import type { SinkContext } from './import.sink.ts';

/**
 * Writes the orders of an import, batch by batch, through the engine's bulk path
 * (`DbHandle.openOrderWriter`). Unknown customer codes create customers; an order
 * already stored (same source and external id) is counted unchanged or overwritten
 * when it differs, its lines summed first wherever they sit in the file.
 */
export async function writeOrders(
  ctx: SinkContext,
  options: { batches: AsyncIterable<OrderBatch>; onRows?: (rows: number) => void },
): Promise<void> {
  const target = { source: ctx.source, jobId: ctx.jobId, now: ctx.now };
  const writer = await ctx.handle.openOrderWriter(ctx.trx, { target, counts: ctx.counts });
  try {
    for await (const batch of options.batches) {
      ctx.counts.rows += batch.rows;
      for (const e of batch.errors) ctx.error(e);
      if (batch.size > 0) await writer.write(batch);
      options.onRows?.(ctx.counts.rows);
      // SQLite calls are synchronous: let the server answer other requests (progress polls) now and then.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await writer.finish();
  } catch (e) {
    await writer.abort();
    throw e;
  }
}
