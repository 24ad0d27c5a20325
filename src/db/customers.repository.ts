import { FIELDS } from '../core/fields.ts';
import type { Db } from './connect.ts';
import type { CustomerRow } from './schema.ts';

/** Columns of `customers` that rules may read (the registry's customer fields). */
export const CUSTOMER_RULE_COLUMNS = FIELDS.filter((f) => f.source === 'customer').map(
  (f) => (f.column ?? f.key) as keyof CustomerRow & string,
);

export type CustomerAttributes = Record<string, string | number | null>;

/** Rule-visible attributes of every live customer, keyed by id. */
export async function loadCustomerAttributes(db: Db): Promise<Map<number, CustomerAttributes>> {
  const rows = await db
    .selectFrom('customers')
    .select(['id', ...CUSTOMER_RULE_COLUMNS])
    .where('erased_at', 'is', null)
    .execute();
  const out = new Map<number, CustomerAttributes>();
  for (const r of rows) {
    const attrs: CustomerAttributes = {};
    for (const col of CUSTOMER_RULE_COLUMNS) {
      const v = (r as Record<string, unknown>)[col];
      attrs[col] = v === undefined || v === null ? null : typeof v === 'number' ? v : String(v);
    }
    out.set(Number(r.id), attrs);
  }
  return out;
}

/** Tag names per customer, for has_tag() in rules. */
export async function loadCustomerTags(db: Db): Promise<Map<number, Set<string>>> {
  const rows = await db
    .selectFrom('customer_tags as ct')
    .innerJoin('tags as t', 't.id', 'ct.tag_id')
    .select(['ct.customer_id as customer_id', 't.name as name'])
    .execute();
  const out = new Map<number, Set<string>>();
  for (const r of rows) {
    const id = Number(r.customer_id);
    let set = out.get(id);
    if (!set) {
      set = new Set();
      out.set(id, set);
    }
    set.add(r.name);
  }
  return out;
}

export async function findCustomerByCode(db: Db, code: string): Promise<CustomerRow | undefined> {
  return db.selectFrom('customers').selectAll().where('code', '=', code).executeTakeFirst();
}
