/** Rows read per query; large enough to amortise round trips, small enough to keep memory flat. */
export const DEFAULT_BATCH_SIZE = 5_000;

/**
 * Reads a table in id order, one page at a time (`where id > last order by id limit n`),
 * so an export of a million customers never holds more than one page. Unlike OFFSET,
 * each page costs an index seek, not a scan of everything before it.
 */
export async function* keysetBatches<Row>(options: {
  batchSize?: number;
  fetch(afterId: number | null, limit: number): Promise<Row[]>;
  idOf(row: Row): number;
}): AsyncGenerator<Row[]> {
  const limit = Math.max(1, Math.floor(options.batchSize ?? DEFAULT_BATCH_SIZE));
  let afterId: number | null = null;
  for (;;) {
    const batch = await options.fetch(afterId, limit);
    if (batch.length === 0) return;
    yield batch;
    if (batch.length < limit) return;
    afterId = options.idOf(batch[batch.length - 1]);
  }
}
