import { type Expression, expressionBuilder, type SqlBool, sql } from 'kysely';
import type { Db } from '../database.ts';
import type { DialectCapabilities } from '../dialects/capabilities.ts';
import { openResultCache, type ResultCache } from '../result-cache.ts';
import { ruleSource } from '../rule-sql.ts';
import type { CustomerMetricsTable, CustomersTable, Database } from '../schema.ts';

/** Conditions of a customer list; every one given must hold. Erased customers never appear. */
export type CustomerListFilter = {
  /** record scope: only this owner's customers */
  scopeOwnerId?: number;
  /** the owner the caller asked for */
  ownerUserId?: number;
  /** a compiled rule over `ruleSource` (customers c, metrics m) */
  rule?: Expression<SqlBool>;
  /** code prefix or name substring, case-insensitive */
  text?: string;
  /** blind indexes that also satisfy the text search (a phone or e-mail typed into it) */
  textBlindIndexes?: readonly string[];
  phoneIdx?: string;
  emailIdx?: string;
  /** current class under a scheme; without classKey, any class under it */
  schemeId?: number;
  classKey?: string;
  tag?: string;
  region?: string;
};

/** A column of `customers` (c) or `customer_metrics` (m) to sort by; nulls always sort last, ties by id. */
export type CustomerListSort = { source: 'c' | 'm'; column: string; dir: 'asc' | 'desc' };

export type CustomerListRow = {
  id: number;
  code: string;
  name: string | null;
  kind: string;
  gender: string | null;
  region: string | null;
  city: string | null;
  owner_user_id: number | null;
  owner_username: string | null;
  owner_display_name: string | null;
  phone_enc: string | null;
  email_enc: string | null;
  created_at: string;
  updated_at: string;
  version: number;
  order_count: number | null;
  total_amount: number | null;
  avg_order_amount: number | null;
  last_order_date: string | null;
  recency_days: number | null;
  total_amount_365d: number | null;
};

type ListTables = Database & { c: CustomersTable; m: CustomerMetricsTable };

/** Every condition of `f` as one expression over `ruleSource` (customers c, metrics m). */
function filterCondition(caps: DialectCapabilities, f: CustomerListFilter): Expression<SqlBool> {
  const eb = expressionBuilder<ListTables, 'c' | 'm'>();
  const all: Expression<SqlBool>[] = [eb('c.erased_at', 'is', null)];
  if (f.scopeOwnerId !== undefined) all.push(eb('c.owner_user_id', '=', f.scopeOwnerId));
  if (f.ownerUserId !== undefined) all.push(eb('c.owner_user_id', '=', f.ownerUserId));
  if (f.region !== undefined) all.push(eb('c.region', '=', f.region));
  if (f.phoneIdx !== undefined) all.push(eb('c.phone_idx', '=', f.phoneIdx));
  if (f.emailIdx !== undefined) all.push(eb('c.email_idx', '=', f.emailIdx));
  if (f.text !== undefined) {
    const needle = f.text.toLowerCase();
    const indexes = f.textBlindIndexes ?? [];
    all.push(
      eb.or([
        sql<SqlBool>`substr(lower(c.code), 1, ${sql.val([...needle].length)}) = cast(${sql.val(needle)} as text)`,
        sql<SqlBool>`${caps.position(sql`lower(c.name)`, sql`cast(${sql.val(needle)} as text)`)} > 0`,
        ...(indexes.length ? [eb('c.phone_idx', 'in', indexes), eb('c.email_idx', 'in', indexes)] : []),
      ]),
    );
  }
  if (f.schemeId !== undefined) {
    const schemeId = f.schemeId;
    const classKey = f.classKey;
    all.push(
      eb.exists(
        eb
          .selectFrom('customer_classes as cc')
          .select(sql`1`.as('one'))
          .whereRef('cc.customer_id', '=', 'c.id')
          .where('cc.scheme_id', '=', schemeId)
          .$if(classKey !== undefined, (sub) => sub.where('cc.class_key', '=', classKey ?? '')),
      ),
    );
  }
  if (f.tag !== undefined) {
    all.push(
      eb.exists(
        eb
          .selectFrom('customer_tags as ct')
          .innerJoin('tags as t', 't.id', 'ct.tag_id')
          .select(sql`1`.as('one'))
          .whereRef('ct.customer_id', '=', 'c.id')
          .where('t.name', '=', f.tag),
      ),
    );
  }
  if (f.rule) all.push(f.rule);
  return eb.and(all);
}

/**
 * Customer columns that can be read in sort order from an index on (column, id) of
 * live customers (migration 0004; `code` has its unique index): their pages come from
 * walking that index.
 * Metric columns have no such index on purpose: a full classification run rewrites
 * every metrics row, and each index on customer_metrics adds seconds to it at a
 * million customers. Their pages come from the ordered matches, computed once per
 * state of the data.
 */
const WALKABLE = new Set(['created_at', 'updated_at', 'code', 'region']);
/**
 * Columns that are never null, so their order needs no nulls-last term (metric columns
 * all read null for customers without a metrics row).
 */
const NOT_NULL = new Set(['c.created_at', 'c.updated_at', 'c.code']);

/**
 * Index entries one walk may read (each is a primary-key lookup and a filter test)
 * before sorting the matches is the cheaper way. The window is four times the entries
 * the page needs were the matches spread evenly along the index; when they sit later
 * in the order than that, the walk gives up after that bounded read and the ordered
 * matches answer instead.
 */
const WALK_MAX = 50_000;
const WALK_MIN = 2_000;

type Plan = { db: Db; caps: DialectCapabilities; cache: ResultCache; where: Expression<SqlBool> };

function countQuery(plan: Plan, where: Expression<SqlBool>) {
  const query = ruleSource(plan.db)
    .where(where)
    .select((eb) => eb.fn.countAll().as('n'));
  const compiled = query.compile();
  return { query, key: `count\u0000${compiled.sql}\u0000${JSON.stringify(compiled.parameters)}` };
}

/** How many customers satisfy `where`, counted once per state of the data. */
function countOf(plan: Plan, where: Expression<SqlBool>): Promise<number> {
  const { query, key } = countQuery(plan, where);
  return plan.cache.get(key, async () => Number((await query.executeTakeFirstOrThrow()).n));
}

/** The count of `where` when this state of the data has it already. */
async function knownCount(plan: Plan, where: Expression<SqlBool>): Promise<number | undefined> {
  return plan.cache.peek<number>(countQuery(plan, where).key)?.catch(() => undefined);
}

/** The cache key of the ordered matches of the plan's filter in `sort` order, `reach` of them at most. */
function orderKeyOf(plan: Plan, options: { sort: CustomerListSort; reach: number }): string {
  const { sort, reach } = options;
  const compiled = ruleSource(plan.db).select('c.id').where(plan.where).compile();
  return `order\u0000${sort.source}.${sort.column} ${sort.dir} ${reach}\u0000${compiled.sql}\u0000${JSON.stringify(compiled.parameters)}`;
}

type OrderedIds = { ids: number[]; total: number; complete: boolean };

/**
 * The first `limit` matching ids in list order (nulls last, ties by id), with the total
 * when it is not known yet, from one pass over the matches.
 */
async function orderedIds(
  plan: Plan,
  options: { sort: CustomerListSort; limit: number; total: number | undefined },
): Promise<OrderedIds> {
  const { sort, limit, total } = options;
  const key = sql.ref(`${sort.source}.${sort.column}`);
  const dir = sql.raw(sort.dir);
  const rows = await ruleSource(plan.db)
    .where(plan.where)
    .select('c.id as id')
    .$if(total === undefined, (q) => q.select(sql<number>`count(*) over ()`.as('n')))
    // The engines disagree on where nulls sort; put them last in both directions on both.
    .$if(!NOT_NULL.has(`${sort.source}.${sort.column}`), (q) =>
      q.orderBy(sql`case when ${key} is null then 1 else 0 end`),
    )
    .orderBy(sql`${key} ${dir}`)
    .orderBy(sql`c.id ${dir}`)
    .limit(limit)
    .execute();
  const counted = rows[0] && 'n' in rows[0] ? Number(rows[0].n) : 0;
  return {
    ids: rows.map((r) => Number(r.id)),
    total: total ?? counted,
    complete: rows.length < limit,
  };
}

const FIRST_REACH = 1024;

/**
 * Ids of one page in list order from the ordered matches, cached per filter and sort
 * with room for the pages after it: `offset + limit` rounded up to a power of two, at
 * least 1,024 (a shorter list answers too when it holds every match).
 */
async function pageFromOrder(
  plan: Plan,
  options: { sort: CustomerListSort; limit: number; offset: number; total: number | undefined },
): Promise<{ ids: number[]; total: number }> {
  const { sort, limit, offset } = options;
  const end = offset + limit;
  const reach = Math.max(FIRST_REACH, 2 ** Math.ceil(Math.log2(end)));
  let total = options.total;
  for (let shorter = FIRST_REACH; shorter < reach; shorter *= 2) {
    const known = await plan.cache
      .peek<OrderedIds>(orderKeyOf(plan, { sort, reach: shorter }))
      ?.catch(() => undefined);
    if (known?.complete) return { ids: known.ids.slice(offset, end), total: known.total };
    total ??= known?.total;
  }
  const ordered = await plan.cache.get(
    orderKeyOf(plan, { sort, reach }),
    () => orderedIds(plan, { sort, limit: reach, total }),
    (o) => o.ids.length,
  );
  return { ids: ordered.ids.slice(offset, end), total: ordered.total };
}

/**
 * Ids of one page read along the index of a customer column, in a window of the first
 * `window` index entries; undefined when the window held too few matches to be sure.
 */
async function pageFromWalk(
  plan: Plan,
  options: {
    sort: CustomerListSort;
    limit: number;
    offset: number;
    total: number;
    /** at least the number of `customers` rows, so at least the entries of the index walked */
    population: number;
  },
): Promise<number[] | undefined> {
  const { sort, limit, offset, total, population } = options;
  const expected = ((offset + limit) * population) / Math.max(total, 1);
  const window = Math.max(WALK_MIN, Math.ceil(4 * expected));
  if (window > WALK_MAX) return undefined;
  const { db } = plan;
  const column = sort.column;
  const dir = sql.raw(sort.dir);
  // Live customers only, as the indexes of migration 0004 hold them.
  const entries = db
    .selectFrom('customers as b')
    .select('b.id')
    .where('b.erased_at', 'is', null)
    .where(sql.ref(`b.${column}`), 'is not', null)
    .orderBy(sql`${sql.ref(`b.${column}`)} ${dir}`)
    .orderBy(sql`b.id ${dir}`)
    .limit(window);
  // CROSS JOIN keeps SQLite reading the window first (it never reorders across one);
  // PostgreSQL plans it as the inner join it is.
  const rows = await db
    .selectFrom(entries.as('w'))
    .crossJoin('customers as c')
    .leftJoin('customer_metrics as m', 'm.customer_id', 'c.id')
    .select('c.id as id')
    .whereRef('c.id', '=', 'w.id')
    .where(plan.where)
    .orderBy(sql`${sql.ref(`c.${column}`)} ${dir}`)
    .orderBy(sql`c.id ${dir}`)
    .limit(limit)
    .offset(offset)
    .execute();
  const ids = rows.map((r) => Number(r.id));
  if (ids.length === limit) return ids;
  const read = await db
    .selectFrom(entries.as('w'))
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  if (Number(read.n) >= window) return undefined;
  // The window held every non-null entry: the page continues with the nulls, by id.
  if (NOT_NULL.has(`c.${column}`) || ids.length + offset >= total) return ids;
  const nonNull =
    ids.length > 0
      ? offset + ids.length
      : await countOf(plan, sql<SqlBool>`(${plan.where} and ${sql.ref(`c.${column}`)} is not null)`);
  const nulls = await ruleSource(db)
    .select('c.id as id')
    .where(plan.where)
    .where(sql.ref(`c.${column}`), 'is', null)
    .orderBy(sql`c.id ${dir}`)
    .limit(limit - ids.length)
    .offset(Math.max(0, offset - nonNull))
    .execute();
  return [...ids, ...nulls.map((r) => Number(r.id))];
}

/** The list columns of `ids`, in the order of `ids` (live customers only). */
export async function customerListRows(db: Db, ids: readonly number[]): Promise<CustomerListRow[]> {
  if (ids.length === 0) return [];
  const rows = await ruleSource(db)
    .leftJoin('users as u', 'u.id', 'c.owner_user_id')
    .select([
      'c.id as id',
      'c.code as code',
      'c.name as name',
      'c.kind as kind',
      'c.gender as gender',
      'c.region as region',
      'c.city as city',
      'c.owner_user_id as owner_user_id',
      'u.username as owner_username',
      'u.display_name as owner_display_name',
      'c.phone_enc as phone_enc',
      'c.email_enc as email_enc',
      'c.created_at as created_at',
      'c.updated_at as updated_at',
      'c.version as version',
      'm.order_count as order_count',
      'm.total_amount as total_amount',
      'm.avg_order_amount as avg_order_amount',
      'm.last_order_date as last_order_date',
      'm.recency_days as recency_days',
      'm.total_amount_365d as total_amount_365d',
    ])
    .where('c.id', 'in', [...ids])
    .where('c.erased_at', 'is', null)
    .execute();
  const byId = new Map(rows.map((r) => [Number(r.id), r]));
  const out: CustomerListRow[] = [];
  for (const id of ids) {
    const r = byId.get(id);
    // Gone since the ids were read (a write raced this request): the page is one shorter.
    if (!r) continue;
    out.push({
      ...r,
      id,
      owner_user_id: r.owner_user_id === null ? null : Number(r.owner_user_id),
      version: Number(r.version),
    });
  }
  return out;
}

/**
 * One page of customers with their key metrics, and how many match in all:
 * `listCustomerPage(db, caps, { filter: { region: '华东' }, sort, limit: 20, offset: 0 })`.
 * Totals and orders are computed once per state of the data (any write starts afresh),
 * so paging through a large result reads it once.
 */
export async function listCustomerPage(
  db: Db,
  caps: DialectCapabilities,
  options: { filter: CustomerListFilter; sort: CustomerListSort; limit: number; offset: number },
): Promise<{ rows: CustomerListRow[]; total: number }> {
  const { filter, sort, limit, offset } = options;
  const cache = await openResultCache(db, caps);
  const plan: Plan = { db, caps, cache, where: filterCondition(caps, filter) };
  if (sort.source === 'c' && WALKABLE.has(sort.column)) {
    const total = await countOf(plan, plan.where);
    if (total === 0 || offset >= total) return { rows: [], total };
    // Customers are never deleted (erasure keeps the row), so the largest id bounds how
    // many there are from above, read from the primary key instead of counted.
    const population = await plan.cache.get('population', async () => {
      const row = await db
        .selectFrom('customers')
        .select((eb) => eb.fn.max('id').as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n ?? 0);
    });
    const ids = await pageFromWalk(plan, { sort, limit, offset, total, population });
    if (ids) return { rows: await customerListRows(db, ids), total };
    const page = await pageFromOrder(plan, { sort, limit, offset, total });
    return { rows: await customerListRows(db, page.ids), total };
  }
  const total = await knownCount(plan, plan.where);
  if (total !== undefined && (total === 0 || offset >= total)) return { rows: [], total };
  const page = await pageFromOrder(plan, { sort, limit, offset, total });
  return { rows: await customerListRows(db, page.ids), total: page.total };
}

/** Current class key per scheme key of each customer: `map.get(id)?.value_tier === 'high'`. */
export async function loadClassKeys(
  db: Db,
  customerIds: readonly number[],
): Promise<Map<number, Record<string, string>>> {
  const out = new Map<number, Record<string, string>>();
  if (customerIds.length === 0) return out;
  const rows = await db
    .selectFrom('customer_classes as cc')
    .innerJoin('schemes as s', 's.id', 'cc.scheme_id')
    .select(['cc.customer_id as customer_id', 's.key as scheme_key', 'cc.class_key as class_key'])
    .where('cc.customer_id', 'in', [...customerIds])
    .execute();
  for (const r of rows) {
    const id = Number(r.customer_id);
    const classes = out.get(id) ?? {};
    classes[r.scheme_key] = r.class_key;
    out.set(id, classes);
  }
  return out;
}
