/**
 * The orders import on SQLite: {@link OrderAppender} runs one multi-row
 * `INSERT … ON CONFLICT DO NOTHING` prepared once; the unique index on
 * (source, external_id) is the idempotency check, and a statement that inserted fewer
 * rows than it carried says which ones exist. {@link AppendingWriter} settles those.
 */
import { type OrderBatch, orNull, wordAt } from '../../../core/import/order-batch.ts';
import { insertObjects, restoreIndex, suspendIndex } from '../../bulk.ts';
import type { BulkInsert, Db, OrderCounts, OrderImportTarget, OrderWriter } from '../../database.ts';
import {
  addOrderLines,
  noOrdersStored,
  ORDER_CUSTOMER_INDEX,
  type OrderValues,
  replaceOrder,
  type StoredOrder,
  storedOrder,
} from '../../imports/order-import.repository.ts';
import type { DialectCapabilities } from '../capabilities.ts';
import type { PreparedStatement, StatementPreparer } from './sqlite-prepared.ts';

/** What the writer of one import works with. */
type WriterContext = {
  trx: Db;
  target: OrderImportTarget;
  counts: OrderCounts;
  bulkInsert: BulkInsert;
};

/**
 * The orders writer of an import on SQLite: statements prepared on the handle's writing
 * connection `db` (the import's transaction `trx` is open on it). Into an empty table,
 * the (customer, date) index is sorted once at the end instead of growing at random
 * places row by row: nothing reads orders by customer during the import.
 */
export async function openSqliteOrderWriter(options: {
  db: Db;
  trx: Db;
  caps: DialectCapabilities;
  prepare: StatementPreparer;
  bulkInsert: BulkInsert;
  target: OrderImportTarget;
  counts: OrderCounts;
}): Promise<OrderWriter> {
  const { trx, caps } = options;
  const writer = new AppendingWriter(
    { trx, target: options.target, counts: options.counts, bulkInsert: options.bulkInsert },
    new OrderAppender(options.prepare, options.target),
  );
  if (!caps.rebuildIndexesAfterBulkWrites || !(await noOrdersStored(trx))) return writer;
  await suspendIndex(trx, ORDER_CUSTOMER_INDEX);
  return {
    write: (batch) => writer.write(batch),
    abort: () => writer.abort(),
    async finish() {
      await writer.finish();
      await restoreIndex(trx, caps, ORDER_CUSTOMER_INDEX);
    },
  };
}

/** Orders per statement: SQLite binds 11 values per order, far below its 32,766 limit. */
const ROWS = 64;

const ORDER_ROW = '(?, @source, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, @job, @now)';
const INSERT_ORDERS = `insert into orders (customer_id, source, external_id, ordered_at, order_date, amount, cost,
  quantity, product, category, channel, status, import_job_id, created_at) values `;
const PER_ORDER = 11;

/**
 * Appends orders with statements prepared once per import. Orders whose
 * (source, external_id) is already stored — by an earlier import, or by this one a few
 * lines earlier — are skipped by the unique index, and `append` returns their indexes.
 */
export class OrderAppender {
  private readonly many: PreparedStatement;
  private readonly one: PreparedStatement;
  private readonly lookup: PreparedStatement;
  private readonly stored: PreparedStatement;
  private readonly customers: PreparedStatement;
  private readonly named: Record<string, unknown>;
  private readonly source: { source: string };
  private readonly values = new Array<unknown>(ROWS * PER_ORDER);
  private readonly single = new Array<unknown>(PER_ORDER);
  private readonly chunk = new Array<number>(ROWS);
  /** the highest order id stored: rows a statement inserts get higher ones */
  private maxId: number;

  constructor(prepare: StatementPreparer, target: OrderImportTarget) {
    const rows = Array.from({ length: ROWS }, () => ORDER_ROW).join(', ');
    const skip = ' on conflict (source, external_id) do nothing';
    this.many = prepare(`${INSERT_ORDERS}${rows}${skip}`);
    this.one = prepare(`${INSERT_ORDERS}${ORDER_ROW}${skip}`);
    const ids = Array.from({ length: ROWS }, () => '?').join(', ');
    this.lookup = prepare(
      `select id, external_id from orders where source = @source and external_id in (${ids})`,
    );
    this.stored = prepare(
      `select id, external_id, customer_id, ordered_at, amount, cost, quantity, status, import_job_id from orders
       where source = @source and external_id in (select value from json_each(?))`,
    );
    this.customers = prepare('select id, code from customers where code in (select value from json_each(?))');
    this.named = { source: target.source, job: target.jobId, now: target.now };
    this.source = { source: target.source };
    const [top] = prepare('select coalesce(max(id), 0) as id from orders').all([]);
    this.maxId = Number(top?.id ?? 0);
  }

  /**
   * Inserts orders of `batch` — all of them, or those at the indexes `only` (ascending) —
   * customer i of the batch being `customerIds[i]`; returns, ascending, the indexes of
   * the orders it did not insert.
   */
  append(batch: OrderBatch, customerIds: ArrayLike<number>, only?: readonly number[]): number[] {
    const skipped: number[] = [];
    const n = only ? only.length : batch.size;
    const at = (k: number) => (only ? only[k] : k);
    const values = this.values;
    const chunk = this.chunk;
    let i = 0;
    for (; i + ROWS <= n; i += ROWS) {
      let k = 0;
      for (let r = 0; r < ROWS; r++) {
        chunk[r] = at(i + r);
        k = bindOrder(values, k, { batch, j: chunk[r], customerIds });
      }
      const result = this.many.run(values, this.named);
      if (result.changes < ROWS) this.collectSkipped({ batch, result, skipped });
      if (result.changes > 0) this.maxId = result.lastInsertRowid;
    }
    for (; i < n; i++) {
      bindOrder(this.single, 0, { batch, j: at(i), customerIds });
      const result = this.one.run(this.single, this.named);
      if (result.changes === 0) skipped.push(at(i));
      else this.maxId = result.lastInsertRowid;
    }
    return skipped;
  }

  /** Ids of the customers with these codes, by code (one statement, prepared once). */
  customerIds(codes: readonly string[]): Map<string, number> {
    const out = new Map<string, number>();
    for (const r of this.customers.all([JSON.stringify(codes)])) out.set(String(r.code), Number(r.id));
    return out;
  }

  /** The stored orders with these external ids, by external id (one statement, prepared once). */
  storedOrders(externalIds: readonly string[]): Map<string, StoredOrder> {
    const out = new Map<string, StoredOrder>();
    for (const r of this.stored.all([JSON.stringify(externalIds)], this.source)) {
      out.set(String(r.external_id), storedOrder(r));
    }
    return out;
  }

  /**
   * The orders of the last statement (at `chunk`) that were not inserted: those whose
   * stored row is older than the statement (ids only grow, and only this import appends
   * orders inside its transaction), or that repeat an external id of an earlier order of
   * the statement.
   */
  private collectSkipped(options: {
    batch: OrderBatch;
    result: { changes: number; lastInsertRowid: number };
    skipped: number[];
  }): void {
    const { batch, result, skipped } = options;
    const ids = this.chunk.map((j) => batch.externalId[j]);
    const stored = new Map<string, number>();
    for (const r of this.lookup.all(ids, this.source)) stored.set(String(r.external_id), Number(r.id));
    // Without a change the last insert rowid is another statement's (maybe another table's).
    const newer = result.changes === 0 ? Number.POSITIVE_INFINITY : this.maxId;
    const inserted = new Set<string>();
    for (let r = 0; r < ids.length; r++) {
      const id = stored.get(ids[r]);
      if (id !== undefined && id > newer && !inserted.has(ids[r])) inserted.add(ids[r]);
      else skipped.push(this.chunk[r]);
    }
  }
}

function bindOrder(
  values: unknown[],
  at: number,
  order: { batch: OrderBatch; j: number; customerIds: ArrayLike<number> },
): number {
  const { batch, j } = order;
  let k = at;
  values[k++] = order.customerIds[batch.customer[j]];
  values[k++] = batch.externalId[j];
  values[k++] = batch.orderedAt[j];
  values[k++] = wordAt(batch.orderDate, j);
  values[k++] = batch.amount[j];
  values[k++] = orNull(batch.cost[j]);
  values[k++] = orNull(batch.quantity[j]);
  values[k++] = wordAt(batch.product, j);
  values[k++] = wordAt(batch.category, j);
  values[k++] = wordAt(batch.channel, j);
  values[k++] = wordAt(batch.status, j);
  return k;
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
    private readonly ctx: WriterContext,
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
      if (before.importJobId === ctx.target.jobId) {
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
      await replaceOrder(ctx.trx, { id: before.id, jobId: ctx.target.jobId, values });
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
async function createCustomers(ctx: WriterContext, codes: readonly string[]): Promise<void> {
  await insertObjects({
    bulk: ctx.bulkInsert,
    db: ctx.trx,
    table: 'customers',
    rows: codes.map((code) => ({
      code,
      kind: 'individual',
      consent_marketing: 0,
      opening_order_count: 0,
      opening_amount: 0,
      import_job_id: ctx.target.jobId,
      created_at: ctx.target.now,
      updated_at: ctx.target.now,
    })),
  });
  ctx.counts.newCustomers += codes.length;
}
