import { type Expression, type SqlBool, sql } from 'kysely';
import type { Db } from './connect.ts';
import type { DialectCapabilities } from './dialects/capabilities.ts';
import { ruleSource } from './rule-sql.ts';

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

function filtered(db: Db, caps: DialectCapabilities, f: CustomerListFilter) {
  let q = ruleSource(db).where('c.erased_at', 'is', null);
  if (f.scopeOwnerId !== undefined) q = q.where('c.owner_user_id', '=', f.scopeOwnerId);
  if (f.ownerUserId !== undefined) q = q.where('c.owner_user_id', '=', f.ownerUserId);
  if (f.region !== undefined) q = q.where('c.region', '=', f.region);
  if (f.phoneIdx !== undefined) q = q.where('c.phone_idx', '=', f.phoneIdx);
  if (f.emailIdx !== undefined) q = q.where('c.email_idx', '=', f.emailIdx);
  if (f.text !== undefined) {
    const needle = f.text.toLowerCase();
    const indexes = f.textBlindIndexes ?? [];
    q = q.where((eb) =>
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
    q = q.where((eb) =>
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
    const tag = f.tag;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('customer_tags as ct')
          .innerJoin('tags as t', 't.id', 'ct.tag_id')
          .select(sql`1`.as('one'))
          .whereRef('ct.customer_id', '=', 'c.id')
          .where('t.name', '=', tag),
      ),
    );
  }
  if (f.rule) q = q.where(f.rule);
  return q;
}

/**
 * One page of customers with their key metrics, and how many match in all:
 * `listCustomerPage(db, caps, { filter: { region: '华东' }, sort, limit: 20, offset: 0 })`.
 */
export async function listCustomerPage(
  db: Db,
  caps: DialectCapabilities,
  options: { filter: CustomerListFilter; sort: CustomerListSort; limit: number; offset: number },
): Promise<{ rows: CustomerListRow[]; total: number }> {
  const { filter, sort, limit, offset } = options;
  const counted = await filtered(db, caps, filter)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  const total = Number(counted.n);
  if (total === 0 || offset >= total) return { rows: [], total };

  const key = sql.ref(`${sort.source}.${sort.column}`);
  const dir = sql.raw(sort.dir);
  const rows = await filtered(db, caps, filter)
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
    // The engines disagree on where nulls sort; put them last in both directions on both.
    .orderBy(sql`case when ${key} is null then 1 else 0 end`)
    .orderBy(sql`${key} ${dir}`)
    .orderBy(sql`c.id ${dir}`)
    .limit(limit)
    .offset(offset)
    .execute();
  return {
    total,
    rows: rows.map((r) => ({
      ...r,
      id: Number(r.id),
      owner_user_id: r.owner_user_id === null ? null : Number(r.owner_user_id),
      version: Number(r.version),
    })),
  };
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
