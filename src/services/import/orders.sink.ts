import crypto from 'node:crypto';
import { insertObjects } from '../../db/bulk.ts';
import type { Db } from '../../db/connect.ts';
import type { NewOrderRow } from '../../db/schema.ts';
import { type CellReader, fieldCleaner } from './cells.ts';
import type { RowSink, SinkContext } from './import.service.ts';

const BATCH = 2000;

/** One order being assembled from one or more consecutive lines of the file. */
type PendingOrder = {
  row: number;
  customerCode: string;
  externalId: string;
  orderedAt: string;
  orderDate: string;
  amount: number;
  cost: number | null;
  quantity: number | null;
  product: string | null;
  category: string | null;
  channel: string | null;
  status: string;
};

type Line = Omit<PendingOrder, 'externalId'> & { orderNo: string | null };

const STATUS: Record<string, string> = {
  completed: 'completed',
  complete: 'completed',
  已完成: 'completed',
  完成: 'completed',
  成功: 'completed',
  交易成功: 'completed',
  已支付: 'completed',
  paid: 'completed',
  cancelled: 'cancelled',
  canceled: 'cancelled',
  取消: 'cancelled',
  已取消: 'cancelled',
  交易关闭: 'cancelled',
  pending: 'pending',
  待付款: 'pending',
  未支付: 'pending',
};

function parseLine({ row, cells, ctx }: { row: number; cells: CellReader; ctx: SinkContext }): Line | null {
  const clean = fieldCleaner({ cells, ctx, row });
  const customerCode = clean('customer_code', 'code', { required: true });
  const when = clean('date', 'datetime', { required: true });
  const orderNo = clean('order_no', 'code');
  const quantity = clean('quantity', 'number');
  const unitPrice = clean('unit_price', 'money');
  const amountCell = clean('amount', 'money');
  const cost = clean('cost', 'money');
  const product = clean('product', 'text');
  const category = clean('category', 'text');
  const channel = clean('channel', 'text');
  const statusText = clean('status', 'text');
  if (
    !customerCode ||
    !when ||
    orderNo === false ||
    quantity === false ||
    unitPrice === false ||
    amountCell === false ||
    cost === false ||
    product === false ||
    category === false ||
    channel === false ||
    statusText === false
  ) {
    return null;
  }
  let amount: number;
  if (typeof amountCell === 'number') amount = amountCell;
  else if (typeof unitPrice === 'number' && typeof quantity === 'number')
    amount = Math.round(unitPrice * quantity);
  else {
    ctx.error({
      row,
      column: cells.header('amount') ?? cells.header('unit_price'),
      value: null,
      reason: { zh: '缺少消费金额（或单价与数量）', en: 'amount (or unit price and quantity) is missing' },
    });
    return null;
  }
  // A cancellation invoice (e.g. "C536379" in retail exports) is a return of goods.
  if (orderNo && /^C\d/i.test(orderNo) && amount > 0) amount = -amount;
  let status = 'completed';
  if (statusText) {
    const mapped = STATUS[statusText.toLowerCase()];
    if (!mapped) {
      ctx.error({
        row,
        column: cells.header('status'),
        value: statusText,
        reason: {
          zh: '无法识别的订单状态（可用：已完成、已取消、待付款）',
          en: 'unknown order status (use completed, cancelled or pending)',
        },
      });
      return null;
    }
    status = mapped;
  }
  return {
    row,
    customerCode,
    orderNo: orderNo ?? null,
    orderedAt: when.time,
    orderDate: when.date,
    amount,
    cost: typeof cost === 'number' ? cost : null,
    quantity: typeof quantity === 'number' ? quantity : null,
    product: product ?? null,
    category: category ?? null,
    channel: channel ?? null,
    status,
  };
}

/**
 * Order lines become orders: consecutive lines with the same order number are one
 * order. Without an order number each line is an order, identified by a hash of its
 * content and how often that content occurred for the customer, so the same file
 * always yields the same ids. Unknown customer codes create customers.
 */
export function createOrderSink(ctx: SinkContext): RowSink {
  let current: PendingOrder | null = null;
  let currentKey = '';
  let batch: PendingOrder[] = [];
  let occurrenceCustomer = '';
  const occurrences = new Map<string, number>();
  const state: FragmentState = { pending: new Map(), recentUnchanged: new Map() };

  function externalIdOf(line: Line): string {
    if (line.orderNo) return line.orderNo;
    if (line.customerCode !== occurrenceCustomer) {
      occurrences.clear();
      occurrenceCustomer = line.customerCode;
    }
    const content = [
      line.customerCode,
      line.orderedAt,
      line.amount,
      line.quantity ?? '',
      line.product ?? '',
    ].join('|');
    const n = (occurrences.get(content) ?? 0) + 1;
    occurrences.set(content, n);
    const digest = crypto.createHash('sha1').update(content).digest('base64url').slice(0, 20);
    return `h:${digest}:${n}`;
  }

  async function push(order: PendingOrder): Promise<void> {
    batch.push(order);
    if (batch.length >= BATCH) await flush();
  }

  async function flush(): Promise<void> {
    if (batch.length === 0) return;
    const orders = batch;
    batch = [];
    await writeOrders(ctx, { orders, state });
  }

  return {
    async add(row, cells) {
      const line = parseLine({ row, cells, ctx });
      if (!line) return;
      const key = line.orderNo ? `${line.customerCode}\u0000${line.orderNo}` : '';
      if (current && key !== '' && key === currentKey) {
        addLines(current, line);
        return;
      }
      if (current) await push(current);
      currentKey = key;
      current = { ...line, externalId: externalIdOf(line) };
    },
    async finish() {
      if (current) await push(current);
      current = null;
      await flush();
      await settlePending(ctx, state, 0);
    },
  };
}

/** Adds the lines of `more` to an order being assembled. */
function addLines(order: Omit<PendingOrder, 'externalId'>, more: Omit<PendingOrder, 'externalId'>): void {
  order.amount += more.amount;
  order.cost = order.cost === null && more.cost === null ? null : (order.cost ?? 0) + (more.cost ?? 0);
  order.quantity =
    order.quantity === null && more.quantity === null ? null : (order.quantity ?? 0) + (more.quantity ?? 0);
  order.product ??= more.product;
  order.category ??= more.category;
}

type StoredOrder = {
  id: number;
  customer_id: number;
  ordered_at: string;
  amount: number;
  cost: number | null;
  quantity: number | null;
  status: string;
};

/**
 * Orders already stored by an earlier import whose lines in this file differ from the
 * stored order, or may not all have been seen yet: an order's lines need not be
 * adjacent, so they are summed before the comparison that decides unchanged/updated.
 */
type FragmentState = {
  pending: Map<string, { before: StoredOrder; customerId: number; values: PendingOrder }>;
  /** orders found unchanged lately, in case more of their lines follow further down */
  recentUnchanged: Map<string, { before: StoredOrder; customerId: number }>;
};

const RECENT_UNCHANGED = 100_000;
const MAX_PENDING = 200_000;

function sameOrder(before: StoredOrder, customerId: number, o: PendingOrder): boolean {
  return (
    Number(before.customer_id) === customerId &&
    before.ordered_at.slice(0, 19) === o.orderedAt.slice(0, 19) &&
    Number(before.amount) === o.amount &&
    (before.cost === null ? null : Number(before.cost)) === o.cost &&
    (before.quantity === null ? null : Number(before.quantity)) === o.quantity &&
    before.status === o.status
  );
}

/** Decides the pending orders (all of them, or the oldest beyond `keep`). */
async function settlePending(ctx: SinkContext, state: FragmentState, keep: number): Promise<void> {
  for (const [key, entry] of state.pending) {
    if (state.pending.size <= keep) break;
    state.pending.delete(key);
    const { before, customerId, values: o } = entry;
    if (sameOrder(before, customerId, o)) {
      ctx.counts.unchanged++;
      continue;
    }
    ctx.counts.updated++;
    await ctx.trx
      .updateTable('orders')
      .set({
        customer_id: customerId,
        ordered_at: o.orderedAt,
        order_date: o.orderDate,
        amount: o.amount,
        cost: o.cost,
        quantity: o.quantity,
        product: o.product,
        category: o.category,
        channel: o.channel,
        status: o.status,
        import_job_id: ctx.jobId,
      })
      .where('id', '=', before.id)
      .execute();
  }
}

/** Ids of the customers with these codes, creating the ones that do not exist yet. */
export async function customerIdsFor(
  ctx: SinkContext,
  codes: readonly string[],
): Promise<Map<string, number>> {
  const unique = [...new Set(codes)];
  const found = await selectIds(ctx.trx, unique);
  const missing = unique.filter((c) => !found.has(c));
  if (missing.length > 0) {
    await insertObjects({
      bulk: ctx.handle.bulkInsert,
      db: ctx.trx,
      table: 'customers',
      rows: missing.map((code) => ({
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
    ctx.counts.newCustomers += missing.length;
    for (const [code, id] of await selectIds(ctx.trx, missing)) found.set(code, id);
  }
  return found;
}

async function selectIds(db: Db, codes: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (let i = 0; i < codes.length; i += 5000) {
    const rows = await db
      .selectFrom('customers')
      .select(['id', 'code'])
      .where('code', 'in', codes.slice(i, i + 5000))
      .execute();
    for (const r of rows) out.set(r.code, Number(r.id));
  }
  return out;
}

async function writeOrders(
  ctx: SinkContext,
  options: { orders: PendingOrder[]; state: FragmentState },
): Promise<void> {
  const { orders, state } = options;
  const { trx } = ctx;
  const ids = await customerIdsFor(
    ctx,
    orders.map((o) => o.customerCode),
  );
  const existing = await trx
    .selectFrom('orders')
    .select([
      'id',
      'external_id',
      'customer_id',
      'ordered_at',
      'amount',
      'cost',
      'quantity',
      'status',
      'import_job_id',
    ])
    .where('source', '=', ctx.source)
    .where(
      'external_id',
      'in',
      orders.map((o) => o.externalId),
    )
    .execute();
  const byExternal = new Map(existing.map((e) => [e.external_id, e]));
  const inserts = new Map<string, NewOrderRow>();
  for (const o of orders) {
    const customerId = ids.get(o.customerCode) as number;
    const pendingInsert = inserts.get(o.externalId);
    if (pendingInsert) {
      // The same order number again further down the file: more lines of the same order.
      pendingInsert.amount += o.amount;
      pendingInsert.cost =
        pendingInsert.cost == null && o.cost === null ? null : (pendingInsert.cost ?? 0) + (o.cost ?? 0);
      pendingInsert.quantity =
        pendingInsert.quantity == null && o.quantity === null
          ? null
          : (pendingInsert.quantity ?? 0) + (o.quantity ?? 0);
      continue;
    }
    const before = byExternal.get(o.externalId);
    if (!before) {
      ctx.counts.new++;
      ctx.counts.records++;
      inserts.set(o.externalId, {
        customer_id: customerId,
        source: ctx.source,
        external_id: o.externalId,
        ordered_at: o.orderedAt,
        order_date: o.orderDate,
        amount: o.amount,
        cost: o.cost,
        quantity: o.quantity,
        product: o.product,
        category: o.category,
        channel: o.channel,
        status: o.status,
        import_job_id: ctx.jobId,
        created_at: ctx.now,
      });
      continue;
    }
    if (Number(before.import_job_id) === ctx.jobId) {
      // Created by this import from earlier lines: add these lines to it.
      await trx
        .updateTable('orders')
        .set({
          amount: Number(before.amount) + o.amount,
          cost: before.cost === null && o.cost === null ? null : Number(before.cost ?? 0) + (o.cost ?? 0),
          quantity:
            before.quantity === null && o.quantity === null
              ? null
              : Number(before.quantity ?? 0) + (o.quantity ?? 0),
        })
        .where('id', '=', before.id)
        .execute();
      continue;
    }
    const stored: StoredOrder = {
      id: Number(before.id),
      customer_id: Number(before.customer_id),
      ordered_at: before.ordered_at,
      amount: Number(before.amount),
      cost: before.cost === null ? null : Number(before.cost),
      quantity: before.quantity === null ? null : Number(before.quantity),
      status: before.status,
    };
    const pending = state.pending.get(o.externalId);
    if (pending) {
      addLines(pending.values, o);
      continue;
    }
    const earlier = state.recentUnchanged.get(o.externalId);
    if (earlier) {
      // Its first lines matched the stored order on their own; with these lines it may not.
      state.recentUnchanged.delete(o.externalId);
      ctx.counts.unchanged--;
      const values: PendingOrder = { ...o };
      addLines(values, { ...o, amount: stored.amount, cost: stored.cost, quantity: stored.quantity });
      state.pending.set(o.externalId, { before: stored, customerId, values });
      continue;
    }
    ctx.counts.records++;
    if (sameOrder(stored, customerId, o)) {
      ctx.counts.unchanged++;
      state.recentUnchanged.set(o.externalId, { before: stored, customerId });
      if (state.recentUnchanged.size > RECENT_UNCHANGED) {
        state.recentUnchanged.delete(state.recentUnchanged.keys().next().value as string);
      }
      continue;
    }
    state.pending.set(o.externalId, { before: stored, customerId, values: { ...o } });
  }
  if (state.pending.size > MAX_PENDING) await settlePending(ctx, state, MAX_PENDING / 2);
  await insertObjects({ bulk: ctx.handle.bulkInsert, db: trx, table: 'orders', rows: [...inserts.values()] });
}
