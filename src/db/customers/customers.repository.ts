import { FIELDS } from '../../core/fields.ts';
import type { Db } from '../database.ts';
import type { CustomerRow, NewCustomerRow } from '../schema.ts';

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

/** Ids of erased customers (few: erasure is a privacy request, not a bulk operation). */
export async function findErasedCustomerIds(db: Db): Promise<Set<number>> {
  const rows = await db.selectFrom('customers').select('id').where('erased_at', 'is not', null).execute();
  return new Set(rows.map((r) => Number(r.id)));
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

/**
 * A customer row with every optional column empty. Inserts spread it first, so
 * multi-row VALUES lists carry the same columns on both engines.
 */
export const EMPTY_CUSTOMER_ROW = {
  name: null,
  kind: 'individual',
  gender: null,
  age: null,
  birth_date: null,
  phone_enc: null,
  phone_idx: null,
  email_enc: null,
  email_idx: null,
  address_enc: null,
  region: null,
  province: null,
  city: null,
  source: null,
  owner_user_id: null,
  industry: null,
  company_size: null,
  ownership_type: null,
  price_sensitivity: null,
  payment_habit: null,
  procurement_mode: null,
  preference: null,
  attributes: null,
  consent_marketing: 0,
  opening_order_count: 0,
  opening_amount: 0,
  opening_first_date: null,
  opening_last_date: null,
  import_job_id: null,
  erased_at: null,
} satisfies Omit<NewCustomerRow, 'code' | 'created_at' | 'updated_at'>;
