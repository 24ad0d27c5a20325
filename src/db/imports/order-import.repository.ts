/**
 * The SQL of the orders import (DESIGN.md §6, §11): appending millions of orders while
 * keeping re-imports idempotent, on each engine through its fastest path.
 *
 * - SQLite: {@link OrderAppender} runs one multi-row `INSERT … ON CONFLICT DO NOTHING`
 *   prepared once; the unique index on (source, external_id) is the idempotency check,
 *   and a statement that inserted fewer rows than it carried says which ones exist.
 * - PostgreSQL: {@link OrderStage} COPYs the orders into a temporary table, and one
 *   set-based merge creates the missing customers, sums the lines of each order and
 *   inserts or updates what differs, counting each outcome in SQL.
 */
import { sql } from 'kysely';
import { type OrderBatch, orNull, wordAt } from '../../core/import/order-batch.ts';
import type { OrderStatus } from '../../core/import/order-lines.ts';
import type { BulkIndex } from '../bulk.ts';
import type { Db } from '../connect.ts';
import type { DialectCapabilities } from '../dialects/capabilities.ts';
import type { CopyWriter } from '../dialects/postgres/postgres-copy.ts';
import type { PreparedStatement, StatementPreparer } from '../dialects/sqlite/sqlite-prepared.ts';

/** What every order of one import shares. */
export type OrderImportTarget = {
  /** the source system: external ids are unique per source */
  source: string;
  jobId: number;
  /** the import's start, as an ISO instant */
  now: string;
};

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

/** Whether the orders table holds no row (a first import, say). */
export async function noOrdersStored(db: Db): Promise<boolean> {
  const row = await db.selectFrom('orders').select('id').limit(1).executeTakeFirst();
  return row === undefined;
}

/**
 * The (customer, date) index of orders: an import into an empty table drops it and builds
 * it at its end. Sorting ten million entries once takes about 2.4 s, inserting them at
 * random places in the index as they arrive about 3.7 s.
 */
export const ORDER_CUSTOMER_INDEX: BulkIndex = {
  name: 'orders_customer_date',
  table: 'orders',
  columns: ['customer_id', 'order_date'],
};

/** An order as stored, with what decides whether a re-import changes it. */
export type StoredOrder = {
  id: number;
  customerId: number;
  orderedAt: string;
  amount: number;
  cost: number | null;
  quantity: number | null;
  status: string;
  importJobId: number | null;
};

function storedOrder(r: Record<string, unknown>): StoredOrder {
  return {
    id: Number(r.id),
    customerId: Number(r.customer_id),
    orderedAt: String(r.ordered_at),
    amount: Number(r.amount),
    cost: r.cost === null ? null : Number(r.cost),
    quantity: r.quantity === null ? null : Number(r.quantity),
    status: String(r.status),
    importJobId: r.import_job_id === null ? null : Number(r.import_job_id),
  };
}

/** More lines of a stored order: amounts, costs and quantities add up, a missing product or category is filled. */
export async function addOrderLines(
  db: Db,
  options: {
    id: number;
    amount: number;
    cost: number | null;
    quantity: number | null;
    product: string | null;
    category: string | null;
  },
): Promise<void> {
  const { id, amount, cost, quantity, product, category } = options;
  await db
    .updateTable('orders')
    .set({
      amount: sql`amount + ${amount}`,
      cost: cost === null ? sql`cost` : sql`coalesce(cost, 0) + ${cost}`,
      quantity: quantity === null ? sql`quantity` : sql`coalesce(quantity, 0) + ${quantity}`,
      product: sql`coalesce(product, ${product})`,
      category: sql`coalesce(category, ${category})`,
    })
    .where('id', '=', id)
    .execute();
}

/** An order's values as a re-import gives them. */
export type OrderValues = {
  customerId: number;
  orderedAt: string;
  orderDate: string;
  amount: number;
  cost: number | null;
  quantity: number | null;
  product: string | null;
  category: string | null;
  channel: string | null;
  status: OrderStatus;
};

/** Overwrites a stored order with the values a re-import gives it. */
export async function replaceOrder(
  db: Db,
  options: { id: number; jobId: number; values: OrderValues },
): Promise<void> {
  const v = options.values;
  await db
    .updateTable('orders')
    .set({
      customer_id: v.customerId,
      ordered_at: v.orderedAt,
      order_date: v.orderDate,
      amount: v.amount,
      cost: v.cost,
      quantity: v.quantity,
      product: v.product,
      category: v.category,
      channel: v.channel,
      status: v.status,
      import_job_id: options.jobId,
    })
    .where('id', '=', options.id)
    .execute();
}

const STAGE = 'import_order_stage';
const MERGE = 'import_order_merge';
const MULTI = 'import_order_lines';
const STAGE_COLUMNS = [
  'seq',
  'customer_code',
  'external_id',
  'ordered_at',
  'order_date',
  'amount',
  'cost',
  'quantity',
  'product',
  'category',
  'channel',
  'status',
] as const;

/** What a merge did, for the import's counts. */
export type MergeCounts = {
  records: number;
  new: number;
  updated: number;
  unchanged: number;
  newCustomers: number;
};

/**
 * Orders staged in a temporary table through the engine's COPY, then merged into
 * `orders` in one set-based pass. Create it inside the import's transaction, `add`
 * each batch, then `merge`; the temporary tables go with the transaction.
 */
export class OrderStage {
  private seq = 0;

  private constructor(
    private readonly db: Db,
    private readonly copy: CopyWriter,
    private readonly options: { caps: DialectCapabilities; target: OrderImportTarget },
  ) {}

  static async open(
    db: Db,
    options: {
      openCopy: NonNullable<DialectCapabilities['openCopy']>;
      caps: DialectCapabilities;
      target: OrderImportTarget;
    },
  ): Promise<OrderStage> {
    const { caps } = options;
    await db.schema
      .createTable(STAGE)
      .temporary()
      .addColumn('seq', caps.bigintType, (c) => c.notNull())
      .addColumn('customer_code', 'text', (c) => c.notNull())
      .addColumn('external_id', 'text', (c) => c.notNull())
      .addColumn('ordered_at', caps.wallTimeType, (c) => c.notNull())
      .addColumn('order_date', caps.dateType, (c) => c.notNull())
      .addColumn('amount', caps.bigintType, (c) => c.notNull())
      .addColumn('cost', caps.bigintType)
      .addColumn('quantity', caps.floatType)
      .addColumn('product', 'text')
      .addColumn('category', 'text')
      .addColumn('channel', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .execute();
    const copy = await options.openCopy(db, { table: STAGE, columns: STAGE_COLUMNS });
    return new OrderStage(db, copy, { caps, target: options.target });
  }

  /** Ends the COPY without storing anything, so the transaction can roll back. */
  abort(): Promise<void> {
    return this.copy.abort();
  }

  /** Streams the orders of a batch into the stage. */
  async add(batch: OrderBatch): Promise<void> {
    const rows: unknown[][] = new Array(batch.size);
    for (let j = 0; j < batch.size; j++) {
      rows[j] = [
        this.seq++,
        batch.codes[batch.customer[j]],
        batch.externalId[j],
        batch.orderedAt[j],
        wordAt(batch.orderDate, j),
        batch.amount[j],
        orNull(batch.cost[j]),
        orNull(batch.quantity[j]),
        wordAt(batch.product, j),
        wordAt(batch.category, j),
        wordAt(batch.channel, j),
        wordAt(batch.status, j),
      ];
    }
    await this.copy.write(rows);
  }

  /**
   * Ends the COPY and merges: customers for unknown codes (in order of first mention),
   * one order per external id (lines summed, the first line's customer, time, channel
   * and status, the first product and category given), new ones inserted in file order,
   * stored ones overwritten when customer, time, amount, cost, quantity or status differ.
   */
  async merge(): Promise<MergeCounts> {
    await this.copy.end();
    const db = this.db;
    const { source, jobId } = this.options.target;
    const { caps } = this.options;
    // Parameters in a SELECT list have no type to infer from: say it.
    const job = sql`cast(${jobId} as ${sql.raw(caps.idType)})`;
    const now = sql`cast(${this.options.target.now} as ${sql.raw(caps.instantType)})`;
    await sql`analyze ${sql.table(STAGE)}`.execute(db);
    const customers = await sql`
      insert into customers (code, kind, consent_marketing, opening_order_count, opening_amount, import_job_id,
        created_at, updated_at)
      select s.customer_code, 'individual', 0, 0, 0, ${job}, ${now}, ${now}
      from (select customer_code, min(seq) as first from ${sql.table(STAGE)} group by customer_code) s
      where not exists (select 1 from customers c where c.code = s.customer_code)
      order by s.first`.execute(db);
    // Most orders have one line (the parsing merged adjacent ones): only the external ids
    // with several lines are summed, and the rest of the stage is taken as it is.
    await sql`
      create temporary table ${sql.table(MULTI)} as
      select t.external_id, t.first, t.amount, t.cost, t.quantity, p.product, g.category
      from (
        select external_id, min(seq) as first, sum(amount) as amount, sum(cost) as cost, sum(quantity) as quantity,
          min(case when product is not null then seq end) as product_seq,
          min(case when category is not null then seq end) as category_seq
        from ${sql.table(STAGE)} group by external_id having count(*) > 1
      ) t
      left join ${sql.table(STAGE)} p on p.seq = t.product_seq
      left join ${sql.table(STAGE)} g on g.seq = t.category_seq`.execute(db);
    await sql`analyze ${sql.table(MULTI)}`.execute(db);
    await sql`
      create temporary table ${sql.table(MERGE)} as
      select s.seq as first, s.external_id, c.id as customer_id, s.ordered_at, s.order_date,
        case when m.external_id is null then s.amount else m.amount end as amount,
        case when m.external_id is null then s.cost else m.cost end as cost,
        case when m.external_id is null then s.quantity else m.quantity end as quantity,
        case when m.external_id is null then s.product else m.product end as product,
        case when m.external_id is null then s.category else m.category end as category,
        s.channel, s.status
      from ${sql.table(STAGE)} s
      join customers c on c.code = s.customer_code
      left join ${sql.table(MULTI)} m on m.external_id = s.external_id
      where m.external_id is null or m.first = s.seq`.execute(db);
    const records = await sql<{ n: number }>`select count(*) as n from ${sql.table(MERGE)}`.execute(db);
    const n = Number(records.rows[0]?.n ?? 0);
    const inserted = await sql`
      insert into orders (customer_id, source, external_id, ordered_at, order_date, amount, cost, quantity, product,
        category, channel, status, import_job_id, created_at)
      select m.customer_id, cast(${source} as text), m.external_id, m.ordered_at, m.order_date, m.amount, m.cost, m.quantity,
        m.product, m.category, m.channel, m.status, ${job}, ${now}
      from ${sql.table(MERGE)} m
      where not exists (select 1 from orders o where o.source = ${source} and o.external_id = m.external_id)
      order by m.first`.execute(db);
    const added = Number(inserted.numAffectedRows ?? 0);
    // Orders just inserted equal their merged values: only stored ones can differ.
    const updated =
      added === n
        ? null
        : await sql`
      update orders set customer_id = m.customer_id, ordered_at = m.ordered_at, order_date = m.order_date,
        amount = m.amount, cost = m.cost, quantity = m.quantity, product = m.product, category = m.category,
        channel = m.channel, status = m.status, import_job_id = ${jobId}
      from ${sql.table(MERGE)} m
      where orders.source = ${source} and orders.external_id = m.external_id
        and (orders.customer_id <> m.customer_id or orders.ordered_at <> m.ordered_at or orders.amount <> m.amount
          or orders.cost is distinct from m.cost or orders.quantity is distinct from m.quantity
          or orders.status <> m.status)`.execute(db);
    for (const table of [MERGE, MULTI, STAGE]) await sql`drop table ${sql.table(table)}`.execute(db);
    const changed = Number(updated?.numAffectedRows ?? 0);
    return {
      records: n,
      new: added,
      updated: changed,
      unchanged: n - added - changed,
      newCustomers: Number(customers.numAffectedRows ?? 0),
    };
  }
}
