import { sql } from 'kysely';
import { type CustomerAggregates, type CustomerMetrics, metricWindows } from '../../core/metrics.ts';
import type { Db } from '../database.ts';
import type { PreparedStatement, StatementPreparer } from '../dialects/sqlite/sqlite-prepared.ts';
import type { CustomerMetricsTable, MetricsRow } from '../schema.ts';

/**
 * One customer's order aggregates as the orders query selects them, by position:
 * customer_id, positive_count, amount_sum, first_date, last_date, count365, amount365,
 * profit365, amount180, amount_prev180, distinct_categories. Positional rows cost less
 * than objects when a full run reads a million of them.
 */
type OrderAgg = readonly unknown[];

const statements = new WeakMap<StatementPreparer, Map<string, PreparedStatement>>();

/** The statement for `text`, prepared once per preparer. */
function preparedFor(prepare: StatementPreparer, text: string): PreparedStatement {
  let byText = statements.get(prepare);
  if (!byText) {
    byText = new Map();
    statements.set(prepare, byText);
  }
  let statement = byText.get(text);
  if (!statement) {
    statement = prepare(text);
    byText.set(text, statement);
  }
  return statement;
}

/**
 * Loads every customer's aggregates for `asOf` with three set-based GROUP BY queries
 * (orders, feedback, interactions); no per-customer round trips. `customerId` limits
 * it to one customer (explanations of an earlier run, one-customer reclassification).
 */
export async function loadAggregates(
  db: Db,
  options: { asOf: string; customerId?: number },
): Promise<CustomerAggregates[]> {
  let customerQuery = db
    .selectFrom('customers')
    .select(['id', 'opening_order_count', 'opening_amount', 'opening_first_date', 'opening_last_date'])
    .where('erased_at', 'is', null)
    .orderBy('id');
  if (options.customerId !== undefined) customerQuery = customerQuery.where('id', '=', options.customerId);
  const customers = await customerQuery.execute();
  if (customers.length === 0) return [];
  const only = options.customerId === undefined ? sql`` : sql` and customer_id = ${options.customerId}`;
  return (await aggregatesOf(db, { asOf: options.asOf, customers, only })).map((a) => a.aggregates);
}

/** One customer's aggregates for `asOf`, given the customer row already read. */
export async function loadCustomerAggregates(
  db: Db,
  options: { asOf: string; customer: CustomerBase },
): Promise<CustomerAggregates> {
  const id = Number(options.customer.id);
  const [one] = await aggregatesOf(db, {
    asOf: options.asOf,
    customers: [options.customer],
    only: sql` and customer_id = ${id}`,
  });
  return one.aggregates;
}

export type CustomerBase = {
  id: number;
  opening_order_count: number;
  opening_amount: number;
  opening_first_date: string | null;
  opening_last_date: string | null;
};

/**
 * One page of live customers in id order (those after `afterId`, at most `limit`) with
 * their aggregates for `asOf` and the customer `columns` asked for. Reading page by
 * page keeps memory flat however many customers there are.
 */
export async function loadAggregatePage(
  db: Db,
  options: {
    asOf: string;
    afterId: number;
    untilId?: number;
    limit: number;
    columns?: readonly string[];
    /** statements prepared on `db`'s connection: the orders query then reads arrays (SQLite) */
    prepare?: StatementPreparer;
  },
): Promise<{ aggregates: CustomerAggregates; customer: Record<string, unknown> }[]> {
  const extra = (options.columns ?? []).map((c) => sql.ref(`c.${c}`));
  const until = options.untilId === undefined ? sql`` : sql` and c.id <= ${options.untilId}`;
  const customers = await sql<CustomerBase & Record<string, unknown>>`
    select c.id, c.opening_order_count, c.opening_amount, c.opening_first_date, c.opening_last_date
      ${extra.length ? sql`, ${sql.join(extra)}` : sql``}
    from customers c
    where c.erased_at is null and c.id > ${options.afterId}${until}
    order by c.id
    limit ${options.limit}`.execute(db);
  if (customers.rows.length === 0) return [];
  const low = Number(customers.rows[0].id);
  const high = Number(customers.rows[customers.rows.length - 1].id);
  return aggregatesOf(db, {
    asOf: options.asOf,
    customers: customers.rows,
    only: sql` and customer_id >= ${low} and customer_id <= ${high}`,
    prepare: options.prepare,
  });
}

/** How many customers are not erased. */
export async function countLiveCustomers(db: Db): Promise<number> {
  const row = await db
    .selectFrom('customers')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('erased_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The id of the live customer at 0-based position `index` in id order, if there is one. */
export async function liveCustomerIdAt(db: Db, index: number): Promise<number | undefined> {
  if (index < 0) return undefined;
  const row = await db
    .selectFrom('customers')
    .select('id')
    .where('erased_at', 'is', null)
    .orderBy('id')
    .limit(1)
    .offset(index)
    .executeTakeFirst();
  return row ? Number(row.id) : undefined;
}

async function aggregatesOf<C extends CustomerBase>(
  db: Db,
  options: {
    asOf: string;
    customers: readonly C[];
    only: ReturnType<typeof sql>;
    prepare?: StatementPreparer;
  },
): Promise<{ aggregates: CustomerAggregates; customer: C }[]> {
  const { asOf, only } = options;
  const w = metricWindows(asOf);
  const orderQuery = sql<Record<string, unknown>>`
    select customer_id,
      sum(case when amount > 0 then 1 else 0 end) as positive_count,
      sum(amount) as amount_sum,
      min(case when amount > 0 then order_date end) as first_date,
      max(case when amount > 0 then order_date end) as last_date,
      sum(case when amount > 0 and order_date > ${w.start365} then 1 else 0 end) as count365,
      sum(case when order_date > ${w.start365} then amount else 0 end) as amount365,
      sum(case when order_date > ${w.start365} and cost is not null then amount - cost end) as profit365,
      sum(case when order_date > ${w.start180} then amount else 0 end) as amount180,
      sum(case when order_date > ${w.start360} and order_date <= ${w.start180} then amount else 0 end) as amount_prev180,
      count(distinct case when amount > 0 then category end) as distinct_categories
    from orders
    where status = 'completed' and order_date <= ${asOf}${only}
    group by customer_id`;
  let orderRows: OrderAgg[];
  if (options.prepare) {
    const compiled = orderQuery.compile(db);
    orderRows = preparedFor(options.prepare, compiled.sql).rows(compiled.parameters);
  } else {
    orderRows = (await orderQuery.execute(db)).rows.map((r) => Object.values(r));
  }

  const feedbackRows = await sql<{
    customer_id: number;
    satisfaction_avg: number | null;
    nps_avg: number | null;
    complaints: number | null;
  }>`
    select customer_id,
      avg(satisfaction) as satisfaction_avg,
      avg(nps) as nps_avg,
      sum(case when feedback_date > ${w.start365} and (kind = 'complaint' or satisfaction <= 2) then 1 else 0 end) as complaints
    from feedback
    where feedback_date <= ${asOf}${only}
    group by customer_id`.execute(db);

  const interactionRows = await sql<{ customer_id: number; recent: number | null; last_date: string | null }>`
    select customer_id,
      sum(case when interaction_date > ${w.start90} then 1 else 0 end) as recent,
      max(interaction_date) as last_date
    from interactions
    where interaction_date <= ${asOf}${only}
    group by customer_id`.execute(db);

  const orders = new Map(orderRows.map((r) => [Number(r[0]), r]));
  const feedback = new Map(feedbackRows.rows.map((r) => [Number(r.customer_id), r]));
  const contacts = new Map(interactionRows.rows.map((r) => [Number(r.customer_id), r]));

  return options.customers.map((c) => {
    const id = Number(c.id);
    const o = orders.get(id);
    const f = feedback.get(id);
    const i = contacts.get(id);
    return {
      customer: c,
      aggregates: {
        customerId: id,
        openingOrderCount: Number(c.opening_order_count),
        openingAmount: Number(c.opening_amount),
        openingFirstDate: c.opening_first_date,
        openingLastDate: c.opening_last_date,
        positiveCount: num(o?.[1]),
        amountSum: num(o?.[2]),
        firstDate: text(o?.[3]),
        lastDate: text(o?.[4]),
        count365: num(o?.[5]),
        amount365: num(o?.[6]),
        profit365: nullableNum(o?.[7]),
        amount180: num(o?.[8]),
        amountPrev180: num(o?.[9]),
        distinctCategories: num(o?.[10]),
        satisfactionAvg: nullableNum(f?.satisfaction_avg),
        npsAvg: nullableNum(f?.nps_avg),
        complaints365: num(f?.complaints),
        interactions90: num(i?.recent),
        lastContactDate: i?.last_date ?? null,
      },
    };
  });
}

function num(v: unknown): number {
  return v === null || v === undefined ? 0 : Number(v);
}

function nullableNum(v: unknown): number | null {
  return v === null || v === undefined ? null : Number(v);
}

/** A date column as text ('YYYY-MM-DD'); PostgreSQL's driver may hand back a Date. */
function text(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  return v instanceof Date ? v.toISOString().slice(0, 10) : String(v);
}

export type ScoredMetrics = CustomerMetrics & {
  rScore: number | null;
  fScore: number | null;
  mScore: number | null;
  valueScore: number | null;
  potentialScore: number | null;
};

export function toMetricsRow(m: ScoredMetrics, computedAt: string): CustomerMetricsTable {
  return {
    customer_id: m.customerId,
    as_of: m.asOf,
    order_count: m.orderCount,
    total_amount: m.totalAmount,
    avg_order_amount: m.avgOrderAmount,
    first_order_date: m.firstOrderDate,
    last_order_date: m.lastOrderDate,
    recency_days: m.recencyDays,
    tenure_days: m.tenureDays,
    order_count_365d: m.orderCount365d,
    total_amount_365d: m.totalAmount365d,
    gross_profit_365d: m.grossProfit365d,
    amount_180d: m.amount180d,
    amount_prev_180d: m.amountPrev180d,
    distinct_categories: m.distinctCategories,
    avg_interpurchase_days: m.avgInterpurchaseDays,
    satisfaction_avg: m.satisfactionAvg,
    nps_avg: m.npsAvg,
    complaint_count_365d: m.complaintCount365d,
    interactions_90d: m.interactions90d,
    days_since_contact: m.daysSinceContact,
    r_score: m.rScore,
    f_score: m.fScore,
    m_score: m.mScore,
    value_score: m.valueScore,
    potential_score: m.potentialScore,
    computed_at: computedAt,
  };
}

/** The domain shape of a metrics row: the inverse of {@link toMetricsRow}. */
export function fromMetricsRow(m: MetricsRow): ScoredMetrics & { computedAt: string } {
  return {
    customerId: Number(m.customer_id),
    asOf: m.as_of,
    orderCount: Number(m.order_count),
    totalAmount: Number(m.total_amount),
    avgOrderAmount: nullableNum(m.avg_order_amount),
    firstOrderDate: m.first_order_date,
    lastOrderDate: m.last_order_date,
    recencyDays: nullableNum(m.recency_days),
    tenureDays: nullableNum(m.tenure_days),
    orderCount365d: Number(m.order_count_365d),
    totalAmount365d: Number(m.total_amount_365d),
    grossProfit365d: nullableNum(m.gross_profit_365d),
    amount180d: Number(m.amount_180d),
    amountPrev180d: Number(m.amount_prev_180d),
    distinctCategories: Number(m.distinct_categories),
    avgInterpurchaseDays: nullableNum(m.avg_interpurchase_days),
    satisfactionAvg: nullableNum(m.satisfaction_avg),
    npsAvg: nullableNum(m.nps_avg),
    complaintCount365d: Number(m.complaint_count_365d),
    interactions90d: Number(m.interactions_90d),
    daysSinceContact: nullableNum(m.days_since_contact),
    rScore: nullableNum(m.r_score),
    fScore: nullableNum(m.f_score),
    mScore: nullableNum(m.m_score),
    valueScore: nullableNum(m.value_score),
    potentialScore: nullableNum(m.potential_score),
    computedAt: m.computed_at,
  };
}

/** Empties the metrics cache before a full run writes it anew (call inside a transaction). */
export async function clearMetrics(db: Db): Promise<void> {
  await db.deleteFrom('customer_metrics').execute();
}

/** Removes the cached metrics of erased customers (a full run rewrites everyone else's in place). */
export async function deleteMetricsOfErased(db: Db): Promise<void> {
  await db
    .deleteFrom('customer_metrics')
    .where('customer_id', 'in', (eb) =>
      eb.selectFrom('customers').select('id').where('erased_at', 'is not', null),
    )
    .execute();
}

/** The date the metrics cache was computed for (the latest full run's as-of), if any. */
export async function findMetricsAsOf(db: Db): Promise<string | undefined> {
  const row = await db
    .selectFrom('customer_metrics')
    .select('as_of')
    .orderBy('customer_id')
    .limit(1)
    .executeTakeFirst();
  return row?.as_of;
}

/** Replaces the kept score populations with those of a new full run (call inside its transaction). */
export async function savePopulationSummary(
  db: Db,
  options: { asOf: string; computedAt: string; summary: unknown },
): Promise<void> {
  await db.deleteFrom('population_summaries').execute();
  await db
    .insertInto('population_summaries')
    .values({
      as_of: options.asOf,
      computed_at: options.computedAt,
      summary: JSON.stringify(options.summary),
    })
    .execute();
}

/** Id and as-of of the kept score populations (cheap: tells whether a cached copy is current). */
export async function findPopulationSummary(db: Db): Promise<{ id: number; asOf: string } | undefined> {
  const row = await db
    .selectFrom('population_summaries')
    .select(['id', 'as_of'])
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { id: Number(row.id), asOf: row.as_of } : undefined;
}

export async function loadPopulationSummary(db: Db, id: number): Promise<unknown> {
  const row = await db
    .selectFrom('population_summaries')
    .select(['summary'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? JSON.parse(row.summary) : undefined;
}
