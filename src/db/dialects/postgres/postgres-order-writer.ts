/**
 * The orders import on PostgreSQL: {@link OrderStage} COPYs the orders into a temporary
 * table, and one set-based merge creates the missing customers, sums the lines of each
 * order and inserts or updates what differs, counting each outcome in SQL.
 */
import { sql } from 'kysely';
import { type OrderBatch, orNull, wordAt } from '../../../core/import/order-batch.ts';
import type { Db, OrderCounts, OrderImportTarget, OrderWriter } from '../../database.ts';
import type { DialectCapabilities } from '../capabilities.ts';
import { type CopyWriter, openCopy } from './postgres-copy.ts';

/** The orders writer of an import on PostgreSQL, in the import's transaction `trx`. */
export async function openPostgresOrderWriter(options: {
  trx: Db;
  caps: DialectCapabilities;
  target: OrderImportTarget;
  counts: OrderCounts;
}): Promise<OrderWriter> {
  const { counts } = options;
  const stage = await OrderStage.open(options.trx, { caps: options.caps, target: options.target });
  return {
    write: (batch) => stage.add(batch),
    abort: () => stage.abort(),
    async finish() {
      const merged = await stage.merge();
      counts.records += merged.records;
      counts.new += merged.new;
      counts.updated += merged.updated;
      counts.unchanged += merged.unchanged;
      counts.newCustomers += merged.newCustomers;
    },
  };
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

/**
 * Orders staged in a temporary table through the engine's COPY, then merged into
 * `orders` in one set-based pass. Create it inside the import's transaction, `add`
 * each batch, then `merge`; the temporary tables go with the transaction.
 */
class OrderStage {
  private seq = 0;

  private constructor(
    private readonly db: Db,
    private readonly copy: CopyWriter,
    private readonly options: { caps: DialectCapabilities; target: OrderImportTarget },
  ) {}

  static async open(
    db: Db,
    options: {
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
    const copy = await openCopy(db, { table: STAGE, columns: STAGE_COLUMNS });
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
  async merge(): Promise<OrderCounts> {
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
