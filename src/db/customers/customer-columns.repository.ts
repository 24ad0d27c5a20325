import { sql } from 'kysely';
import type { Db } from '../database.ts';
import { fieldColumn, ruleSource } from '../rule-sql.ts';

/**
 * Whole columns of the live (not erased) customers, read in id order a page at a time,
 * for the customer list's in-memory index. A page is a keyset range of ids, so each one
 * is an index range read on both engines and no page holds more than PAGE rows in memory.
 */

const PAGE = 20_000;

export type RawValue = number | string | boolean | null;

/** The ids of live customers, ascending. */
export async function readLiveCustomerIds(db: Db): Promise<Int32Array> {
  const chunks: number[][] = [];
  let after = 0;
  let total = 0;
  for (;;) {
    const rows = await db
      .selectFrom('customers')
      .select('id')
      .where('erased_at', 'is', null)
      .where('id', '>', after)
      .orderBy('id')
      .limit(PAGE)
      .execute();
    if (rows.length === 0) break;
    const ids = rows.map((r) => Number(r.id));
    chunks.push(ids);
    total += ids.length;
    after = ids[ids.length - 1] as number;
    if (rows.length < PAGE) break;
  }
  const out = new Int32Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * Every live customer's raw value of a field of the rule language (`total_amount` in
 * fen, as stored) or of `owner_user_id`, in id order: `visit(id, value)` once per row.
 */
export async function readCustomerColumn(
  db: Db,
  options: { key: string; visit: (id: number, value: RawValue) => void },
): Promise<void> {
  const { key, visit } = options;
  const ref = key === 'owner_user_id' ? 'c.owner_user_id' : fieldColumn(key);
  if (ref === undefined) throw new Error(`no customer column for ${key}`);
  let after = 0;
  for (;;) {
    const rows = await ruleSource(db)
      .select(['c.id as id', sql<RawValue>`${sql.ref(ref)}`.as('v')])
      .where('c.erased_at', 'is', null)
      .where('c.id', '>', after)
      .orderBy('c.id')
      .limit(PAGE)
      .execute();
    for (const r of rows) visit(Number(r.id), r.v);
    if (rows.length < PAGE) break;
    after = Number(rows[rows.length - 1]?.id);
  }
}

/**
 * The current class of every classified customer under every scheme, up to customer
 * `maxId`: `visit(customerId, schemeId, classKey)`. Read in spans of ids along the
 * primary key (customer, scheme), which keeps both engines off the (scheme, class)
 * index: a page per scheme from that one sorts all of a scheme's rows each time.
 */
export async function readCustomerClasses(
  db: Db,
  options: { maxId: number; visit: (id: number, schemeId: number, classKey: string) => void },
): Promise<void> {
  for (let after = 0; after < options.maxId; after += PAGE) {
    const rows = await db
      .selectFrom('customer_classes')
      .select(['customer_id', 'scheme_id', 'class_key'])
      .where('customer_id', '>', after)
      .where('customer_id', '<=', after + PAGE)
      .orderBy('customer_id')
      .orderBy('scheme_id')
      .execute();
    for (const r of rows) options.visit(Number(r.customer_id), Number(r.scheme_id), r.class_key);
  }
}

/** The customers carrying the tag `name`, ascending: `visit(customerId)`. */
export async function readTagMembers(
  db: Db,
  options: { name: string; visit: (id: number) => void },
): Promise<void> {
  let after = 0;
  for (;;) {
    const rows = await db
      .selectFrom('customer_tags as ct')
      .innerJoin('tags as t', 't.id', 'ct.tag_id')
      .select('ct.customer_id as id')
      .where('t.name', '=', options.name)
      .where('ct.customer_id', '>', after)
      .orderBy('ct.customer_id')
      .limit(PAGE)
      .execute();
    for (const r of rows) options.visit(Number(r.id));
    if (rows.length < PAGE) break;
    after = Number(rows[rows.length - 1]?.id);
  }
}

/** Customer columns whose order `readCustomerOrder` reads along an index of live customers (migration 0004; `code` has its unique index). */
export const ORDERED_COLUMNS = ['created_at', 'updated_at', 'code', 'region'] as const;
export type OrderedColumn = (typeof ORDERED_COLUMNS)[number];

/**
 * The ids of live customers with a value in `column`, in the database's own order of
 * (column, id) ascending: the order its collation gives, which memory cannot copy.
 */
export async function readCustomerOrder(
  db: Db,
  options: { column: OrderedColumn; visit: (id: number) => void },
): Promise<void> {
  const ref = sql.ref(`c.${options.column}`);
  let after: { v: unknown; id: number } | undefined;
  for (;;) {
    const last = after;
    const rows = await db
      .selectFrom('customers as c')
      .select(['c.id as id', sql<string>`${ref}`.as('v')])
      .where('c.erased_at', 'is', null)
      .where(ref, 'is not', null)
      .$if(last !== undefined, (q) => q.where(sql<boolean>`(${ref}, c.id) > (${last?.v}, ${last?.id})`))
      .orderBy(sql`${ref}`)
      .orderBy('c.id')
      .limit(PAGE)
      .execute();
    for (const r of rows) options.visit(Number(r.id));
    if (rows.length < PAGE) break;
    const tail = rows[rows.length - 1];
    after = { v: tail?.v, id: Number(tail?.id) };
  }
}
