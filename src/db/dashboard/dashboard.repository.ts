import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../database.ts';

/**
 * The dashboard's set-based queries (docs/web.md): each is one GROUP BY statement over
 * all customers, never a round trip per customer. `ownerUserId` narrows every
 * customer-level figure to the customers that user owns (record scope `own`).
 */

export type Scope = { ownerUserId?: number };

/** `and <column> in (the owner's customers)`, or nothing when the scope is everyone. */
function ownedBy(column: string, scope: Scope): RawBuilder<unknown> {
  if (scope.ownerUserId === undefined) return sql``;
  return sql` and ${sql.ref(column)} in (select id from customers where owner_user_id = ${scope.ownerUserId})`;
}

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export type Totals = {
  customers: number;
  /** completed orders with a positive amount, up to the as-of date */
  orders: number;
  orders365d: number;
  /** net amount (returns subtracted) of completed orders in the trailing 365 days, fen */
  revenue365d: number;
  /** customers with at least one completed purchase in the trailing 365 days */
  activeCustomers365d: number;
};

export async function loadTotals(
  db: Db,
  options: Scope & { asOf: string; start365: string },
): Promise<Totals> {
  const { asOf, start365 } = options;
  const r = await sql<Record<string, unknown>>`
    select
      (select count(*) from customers c where c.erased_at is null${ownedBy('c.id', options)}) as customers,
      (select count(*) from orders o
        where o.status = 'completed' and o.amount > 0 and o.order_date <= ${asOf}${ownedBy('o.customer_id', options)}) as orders,
      (select count(*) from orders o
        where o.status = 'completed' and o.amount > 0 and o.order_date > ${start365} and o.order_date <= ${asOf}${ownedBy('o.customer_id', options)}) as orders_365d,
      (select sum(o.amount) from orders o
        where o.status = 'completed' and o.order_date > ${start365} and o.order_date <= ${asOf}${ownedBy('o.customer_id', options)}) as revenue_365d,
      (select count(distinct o.customer_id) from orders o
        where o.status = 'completed' and o.amount > 0 and o.order_date > ${start365} and o.order_date <= ${asOf}${ownedBy('o.customer_id', options)}) as active_customers_365d
  `.execute(db);
  const row = r.rows[0];
  return {
    customers: num(row?.customers),
    orders: num(row?.orders),
    orders365d: num(row?.orders_365d),
    revenue365d: num(row?.revenue_365d),
    activeCustomers365d: num(row?.active_customers_365d),
  };
}

export type RfmCell = { r: number; f: number; customers: number; avgM: number | null };

/** Customers per (R score, F score) of the metrics cache, with their mean M score. */
export async function loadRfmCells(db: Db, scope: Scope): Promise<RfmCell[]> {
  const r = await sql<{ r: unknown; f: unknown; customers: unknown; avg_m: unknown }>`
    select m.r_score as r, m.f_score as f, count(*) as customers, avg(m.m_score) as avg_m
    from customer_metrics m
    where m.r_score is not null and m.f_score is not null${ownedBy('m.customer_id', scope)}
    group by m.r_score, m.f_score
    order by m.r_score, m.f_score
  `.execute(db);
  return r.rows.map((row) => ({
    r: num(row.r),
    f: num(row.f),
    customers: num(row.customers),
    avgM: numOrNull(row.avg_m),
  }));
}

export type ScatterPoint = { code: string; value: number; potential: number; classKey: string | null };

/**
 * At most `limit` customers' value and potential scores with their class under
 * `schemeId`: every k-th customer id, k chosen from the count so the sample spreads
 * over the whole population and is the same on every call.
 */
export async function loadValuePotentialSample(
  db: Db,
  options: Scope & { schemeId: number | null; limit: number },
): Promise<{ population: number; points: ScatterPoint[] }> {
  const counted = await sql<{ n: unknown }>`
    select count(*) as n from customer_metrics m
    where m.value_score is not null and m.potential_score is not null${ownedBy('m.customer_id', options)}
  `.execute(db);
  const population = num(counted.rows[0]?.n);
  if (population === 0) return { population, points: [] };
  const stride = Math.max(1, Math.ceil(population / options.limit));
  const rows = await sql<{ code: string; value: unknown; potential: unknown; class_key: string | null }>`
    select c.code as code, m.value_score as value, m.potential_score as potential, cc.class_key as class_key
    from customer_metrics m
    join customers c on c.id = m.customer_id
    left join customer_classes cc on cc.customer_id = m.customer_id and cc.scheme_id = ${options.schemeId ?? -1}
    where m.value_score is not null and m.potential_score is not null
      and m.customer_id % ${stride} = 0${ownedBy('m.customer_id', options)}
    order by m.customer_id
    limit ${options.limit}
  `.execute(db);
  return {
    population,
    points: rows.rows.map((row) => ({
      code: row.code,
      value: num(row.value),
      potential: num(row.potential),
      classKey: row.class_key,
    })),
  };
}

export type ClassActivity = {
  schemeId: number;
  classKey: string;
  customers: number;
  /** customers with ≥ 2 purchases in the trailing 365 days */
  repurchasers: number;
  /** customers with ≥ 1 purchase in the trailing 365 days */
  buyers: number;
  /** customers with ≥ 1 purchase in the 365 days before that */
  activePrevious: number;
  /** of those, the ones who also bought in the trailing 365 days */
  retained: number;
};

/**
 * Purchase activity of each current class of every scheme. A purchase is a completed
 * order with a positive amount (as the metrics count them); the windows are
 * `start365 < date ≤ asOf` (last) and `start730 < date ≤ start365` (previous).
 */
export async function loadClassActivity(
  db: Db,
  options: Scope & { asOf: string; start365: string; start730: string },
): Promise<ClassActivity[]> {
  const { asOf, start365, start730 } = options;
  const r = await sql<Record<string, unknown>>`
    select cc.scheme_id as scheme_id, cc.class_key as class_key, count(*) as customers,
      sum(case when coalesce(a.n_last, 0) >= 2 then 1 else 0 end) as repurchasers,
      sum(case when coalesce(a.n_last, 0) >= 1 then 1 else 0 end) as buyers,
      sum(case when coalesce(a.n_prev, 0) >= 1 then 1 else 0 end) as active_previous,
      sum(case when coalesce(a.n_prev, 0) >= 1 and coalesce(a.n_last, 0) >= 1 then 1 else 0 end) as retained
    from customer_classes cc
    left join (
      select o.customer_id as customer_id,
        sum(case when o.order_date > ${start365} then 1 else 0 end) as n_last,
        sum(case when o.order_date <= ${start365} then 1 else 0 end) as n_prev
      from orders o
      where o.status = 'completed' and o.amount > 0 and o.order_date > ${start730} and o.order_date <= ${asOf}
      group by o.customer_id
    ) a on a.customer_id = cc.customer_id
    where 1 = 1${ownedBy('cc.customer_id', options)}
    group by cc.scheme_id, cc.class_key
  `.execute(db);
  return r.rows.map((row) => ({
    schemeId: num(row.scheme_id),
    classKey: String(row.class_key),
    customers: num(row.customers),
    repurchasers: num(row.repurchasers),
    buyers: num(row.buyers),
    activePrevious: num(row.active_previous),
    retained: num(row.retained),
  }));
}

export type SatisfactionMonth = {
  month: string;
  responses: number;
  satisfactionAvg: number | null;
  npsResponses: number;
  promoters: number;
  detractors: number;
  complaints: number;
};

/** Feedback per calendar month ('YYYY-MM') from `from` to `asOf`, months without feedback absent. */
export async function loadSatisfactionByMonth(
  db: Db,
  options: Scope & { from: string; asOf: string },
): Promise<SatisfactionMonth[]> {
  const r = await sql<Record<string, unknown>>`
    select substr(cast(f.feedback_date as text), 1, 7) as month,
      count(*) as responses,
      avg(f.satisfaction) as satisfaction_avg,
      count(f.nps) as nps_responses,
      sum(case when f.nps >= 9 then 1 else 0 end) as promoters,
      sum(case when f.nps <= 6 then 1 else 0 end) as detractors,
      sum(case when f.kind = 'complaint' then 1 else 0 end) as complaints
    from feedback f
    where f.feedback_date >= ${options.from} and f.feedback_date <= ${options.asOf}${ownedBy('f.customer_id', options)}
    group by substr(cast(f.feedback_date as text), 1, 7)
    order by 1
  `.execute(db);
  return r.rows.map((row) => ({
    month: String(row.month),
    responses: num(row.responses),
    satisfactionAvg: numOrNull(row.satisfaction_avg),
    npsResponses: num(row.nps_responses),
    promoters: num(row.promoters),
    detractors: num(row.detractors),
    complaints: num(row.complaints),
  }));
}

export type TaskCounts = { due: number; overdue: number; next7Days: number };

/** Statuses of a task that needs no more work. */
const CLOSED_TASK_STATUSES = ['done', 'completed', 'cancelled', 'canceled', 'closed'];

/**
 * Open tasks due by `asOf` (overdue: before it) and due in the next 7 days. An owner
 * sees tasks of their customers and tasks assigned to them.
 */
export async function loadTaskCounts(
  db: Db,
  options: Scope & { asOf: string; in7Days: string },
): Promise<TaskCounts> {
  const { asOf, in7Days, ownerUserId } = options;
  const mine =
    ownerUserId === undefined
      ? sql``
      : sql` and (t.assignee_user_id = ${ownerUserId} or t.customer_id in (select id from customers where owner_user_id = ${ownerUserId}))`;
  const r = await sql<Record<string, unknown>>`
    select
      sum(case when t.due_date <= ${asOf} then 1 else 0 end) as due,
      sum(case when t.due_date < ${asOf} then 1 else 0 end) as overdue,
      sum(case when t.due_date > ${asOf} and t.due_date <= ${in7Days} then 1 else 0 end) as next7
    from tasks t
    where t.status not in (${sql.join(CLOSED_TASK_STATUSES)})${mine}
  `.execute(db);
  const row = r.rows[0];
  return { due: num(row?.due), overdue: num(row?.overdue), next7Days: num(row?.next7) };
}

export type LastImport = {
  id: number;
  entity: string;
  fileName: string;
  status: string;
  counts: Record<string, number> | null;
  startedAt: string;
  finishedAt: string | null;
};

/** The newest import that was not a dry run. */
export async function loadLastImport(db: Db): Promise<LastImport | null> {
  const row = await db
    .selectFrom('import_jobs')
    .select(['id', 'entity', 'file_name', 'status', 'counts', 'started_at', 'finished_at'])
    .where('status', '!=', 'dry_run')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return null;
  return {
    id: Number(row.id),
    entity: row.entity,
    fileName: row.file_name,
    status: row.status,
    counts: row.counts ? JSON.parse(row.counts) : null,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}
