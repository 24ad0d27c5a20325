import { type OrderBatch, orNull, wordAt } from '../../core/import/order-batch.ts';
import { insertObjects, restoreIndex, suspendIndex } from '../../db/bulk.ts';
import {
  addOrderLines,
  noOrdersStored,
  ORDER_CUSTOMER_INDEX,
  OrderAppender,
  type OrderImportTarget,
  OrderStage,
  type OrderValues,
  replaceOrder,
  type StoredOrder,
} from '../../db/imports/order-import.repository.ts';
import type { SinkContext } from './import.service.ts';

/** Where the orders of an import go, batch after batch; `finish` settles what is left. */
type OrderWriter = {
  write(batch: OrderBatch): Promise<void>;
  finish(): Promise<void>;
  /** after a failure: leaves the transaction able to roll back */
  abort(): Promise<void>;
};

/**
 * Writes the orders of an import, batch by batch, through the engine's bulk path
 * (see order-import.repository.ts). Unknown customer codes create customers; an order
 * already stored (same source and external id) is counted unchanged or overwritten
 * when it differs, its lines summed first wherever they sit in the file.
 */
export async function writeOrders(
  ctx: SinkContext,
  options: { batches: AsyncIterable<OrderBatch>; onRows?: (rows: number) => void },
): Promise<void> {
  const writer = await openWriter(ctx);
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

async function openWriter(ctx: SinkContext): Promise<OrderWriter> {
  const { caps } = ctx.handle;
  const target: OrderImportTarget = { source: ctx.source, jobId: ctx.jobId, now: ctx.now };
  if (caps.openCopy) {
    const stage = await OrderStage.open(ctx.trx, { openCopy: caps.openCopy, caps, target });
    return {
      write: (batch) => stage.add(batch),
      abort: () => stage.abort(),
      async finish() {
        const merged = await stage.merge();
        ctx.counts.records += merged.records;
        ctx.counts.new += merged.new;
        ctx.counts.updated += merged.updated;
        ctx.counts.unchanged += merged.unchanged;
        ctx.counts.newCustomers += merged.newCustomers;
      },
    };
  }
  if (caps.prepare) {
    const writer = new AppendingWriter(ctx, new OrderAppender(caps.prepare(ctx.handle.db), target));
    // Nothing reads orders by customer during the import: into an empty table, that index
    // is sorted once at the end instead of growing at random places row by row.
    if (!caps.rebuildIndexesAfterBulkWrites || !(await noOrdersStored(ctx.trx))) return writer;
    await suspendIndex(ctx.trx, ORDER_CUSTOMER_INDEX);
    return {
      write: (batch) => writer.write(batch),
      abort: () => writer.abort(),
      async finish() {
        await writer.finish();
        await restoreIndex(ctx.trx, caps, ORDER_CUSTOMER_INDEX);
      },
    };
  }
  throw new Error(`${caps.name}: no bulk path for orders`);
}

/**
 * Orders already stored by an earlier import whose lines in this file differ from the
 * stored order, or may not all have been seen yet: an order's lines need not be
 * adjacent, so they are summed before the comparison that decides unchanged/updated.
 */
type Pending = { before: StoredOrder; values: OrderValues };

const RECENT_UNCHANGED = 100_000;
const MAX_PENDING = 200_000;

/**
 * Appends each batch with prepared statements; the orders the unique index turns away
 * are looked up and either add to an order of this import (more lines of it further
 * down the file) or are compared with an order of an earlier import. Once most of a
 * batch turns out to be stored already (a re-import), the next batches are looked up
 * first and only their new orders appended.
 */
class AppendingWriter implements OrderWriter {
  private readonly pending = new Map<string, Pending>();
  /** orders found unchanged lately, in case more of their lines follow further down */
  private readonly recentUnchanged = new RecentMap<Pending>(RECENT_UNCHANGED);
  private mostlyStored = false;

  constructor(
    private readonly ctx: SinkContext,
    private readonly appender: OrderAppender,
  ) {}

  async write(batch: OrderBatch): Promise<void> {
    const ids = await this.customerIds(batch.codes);
    const customerIds = batch.codes.map((code) => ids.get(code) as number);
    let skipped: number[];
    let stored: Map<string, StoredOrder>;
    if (this.mostlyStored) {
      stored = this.appender.storedOrders(batch.externalId);
      const fresh: number[] = [];
      const known: number[] = [];
      for (let i = 0; i < batch.size; i++) (stored.has(batch.externalId[i]) ? known : fresh).push(i);
      skipped = mergeAscending(known, this.appender.append(batch, customerIds, fresh));
    } else {
      skipped = this.appender.append(batch, customerIds);
      stored = new Map();
    }
    this.mostlyStored = skipped.length * 2 > batch.size;
    const inserted = batch.size - skipped.length;
    this.ctx.counts.new += inserted;
    this.ctx.counts.records += inserted;
    if (skipped.length === 0) return;
    const missing = skipped.map((i) => batch.externalId[i]).filter((id) => !stored.has(id));
    if (missing.length > 0)
      for (const [id, order] of this.appender.storedOrders(missing)) stored.set(id, order);
    await this.settleSkipped(batch, { skipped, customerIds, stored });
  }

  async finish(): Promise<void> {
    await this.settlePending(0);
  }

  /** Ids of the customers with these (distinct) codes, creating the ones that do not exist yet. */
  private async customerIds(codes: readonly string[]): Promise<Map<string, number>> {
    const found = this.appender.customerIds(codes);
    const missing = codes.filter((c) => !found.has(c));
    if (missing.length > 0) {
      await createCustomers(this.ctx, missing);
      for (const [code, id] of this.appender.customerIds(missing)) found.set(code, id);
    }
    return found;
  }

  async abort(): Promise<void> {}

  private async settleSkipped(
    batch: OrderBatch,
    options: { skipped: number[]; customerIds: number[]; stored: Map<string, StoredOrder> },
  ): Promise<void> {
    const { ctx } = this;
    const { trx, counts } = ctx;
    for (const i of options.skipped) {
      const externalId = batch.externalId[i];
      const before = options.stored.get(externalId);
      if (!before) throw new Error(`order ${externalId} was refused as a duplicate but is not stored`);
      const o = valuesOf(batch, i, options.customerIds);
      if (before.importJobId === ctx.jobId) {
        // Stored by this import from earlier lines: these lines add to it.
        await addOrderLines(trx, { id: before.id, ...o });
        continue;
      }
      const pending = this.pending.get(externalId);
      if (pending) {
        addLines(pending.values, o);
        continue;
      }
      const earlier = this.recentUnchanged.take(externalId);
      if (earlier) {
        // Its first lines matched the stored order on their own; with these lines it may not.
        counts.unchanged--;
        addLines(earlier.values, o);
        this.pending.set(externalId, earlier);
        continue;
      }
      counts.records++;
      if (sameOrder(before, o)) {
        counts.unchanged++;
        this.recentUnchanged.set(externalId, { before, values: o });
        continue;
      }
      this.pending.set(externalId, { before, values: o });
    }
    if (this.pending.size > MAX_PENDING) await this.settlePending(MAX_PENDING / 2);
  }

  /** Decides the pending orders (all of them, or the oldest beyond `keep`). */
  private async settlePending(keep: number): Promise<void> {
    const { ctx } = this;
    for (const [key, { before, values }] of this.pending) {
      if (this.pending.size <= keep) break;
      this.pending.delete(key);
      if (sameOrder(before, values)) {
        ctx.counts.unchanged++;
        continue;
      }
      ctx.counts.updated++;
      await replaceOrder(ctx.trx, { id: before.id, jobId: ctx.jobId, values });
    }
  }
}

/**
 * The most recent entries of a map, about `capacity` of them: two generations, the
 * older dropped whole when the newer fills (deleting a Map's oldest entry one at a time
 * makes each next oldest slower to find).
 */
class RecentMap<V> {
  private newer = new Map<string, V>();
  private older = new Map<string, V>();

  constructor(private readonly capacity: number) {}

  set(key: string, value: V): void {
    this.newer.set(key, value);
    if (this.newer.size >= this.capacity / 2) {
      this.older = this.newer;
      this.newer = new Map();
    }
  }

  /** The entry, removed. */
  take(key: string): V | undefined {
    const value = this.newer.get(key) ?? this.older.get(key);
    if (value !== undefined) {
      this.newer.delete(key);
      this.older.delete(key);
    }
    return value;
  }
}

/** Two ascending index lists as one. */
function mergeAscending(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i] < b[j])) out.push(a[i++]);
    else out.push(b[j++]);
  }
  return out;
}

function valuesOf(batch: OrderBatch, i: number, customerIds: readonly number[]): OrderValues {
  return {
    customerId: customerIds[batch.customer[i]],
    orderedAt: batch.orderedAt[i],
    orderDate: wordAt(batch.orderDate, i),
    amount: batch.amount[i],
    cost: orNull(batch.cost[i]),
    quantity: orNull(batch.quantity[i]),
    product: wordAt(batch.product, i),
    category: wordAt(batch.category, i),
    channel: wordAt(batch.channel, i),
    status: wordAt(batch.status, i),
  };
}

/** Adds the lines of `more` to an order being assembled. */
function addLines(
  order: OrderValues,
  more: Pick<OrderValues, 'amount' | 'cost' | 'quantity' | 'product' | 'category'>,
) {
  order.amount += more.amount;
  order.cost = order.cost === null && more.cost === null ? null : (order.cost ?? 0) + (more.cost ?? 0);
  order.quantity =
    order.quantity === null && more.quantity === null ? null : (order.quantity ?? 0) + (more.quantity ?? 0);
  order.product ??= more.product;
  order.category ??= more.category;
}

function sameOrder(before: StoredOrder, o: OrderValues): boolean {
  return (
    before.customerId === o.customerId &&
    before.orderedAt.slice(0, 19) === o.orderedAt.slice(0, 19) &&
    before.amount === o.amount &&
    before.cost === o.cost &&
    before.quantity === o.quantity &&
    before.status === o.status
  );
}

/** Customers for codes an orders file names but nobody has created yet. */
async function createCustomers(ctx: SinkContext, codes: readonly string[]): Promise<void> {
  await insertObjects({
    bulk: ctx.handle.bulkInsert,
    db: ctx.trx,
    table: 'customers',
    rows: codes.map((code) => ({
      code,
      kind: 'individual',
      consent_marketing: 0,
      opening_order_count: 0,
      opening_amount: 0,
      import_job_id: ctx.jobId,
      created_at: ctx.now,
      updated_at: ctx.now,
    })),
  });
  ctx.counts.newCustomers += codes.length;
}
