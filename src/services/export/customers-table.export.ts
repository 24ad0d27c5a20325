import { FIELDS } from '../../core/fields.ts';
import type { Db } from '../../db/database.ts';
import { type ContactField, openContact } from '../privacy/contact-seal.ts';
import type { PiiCipher } from '../privacy/pii-cipher.ts';
import { piiKeyMissing } from './export.errors.ts';
import { genderLabel, kindLabel } from './export-labels.ts';
import { keysetBatches } from './keyset.reader.ts';
import type { SheetSpec } from './table.writer.ts';

export type CustomersSheetOptions = {
  db: Db;
  /** needed to show phone and e-mail at all, masked or revealed */
  cipher?: PiiCipher;
  /** show phone and e-mail in full; the caller checks `pii.view` and writes the audit entry */
  revealPii?: boolean;
  /** 'YYYY-MM-DD' against which an age is derived from a birth date; default today in Asia/Shanghai */
  asOf?: string;
  batchSize?: number;
};

export const CUSTOMERS_SHEET_NAME = '客户基本信息表';

/** Shown for a stored phone or e-mail when no key is at hand to mask it. */
const UNREADABLE = '***';

/**
 * 客户基本信息表: one row per customer with masked (or, on request, revealed) contact
 * details and cumulative spend from the metrics cache, else the opening balance.
 */
export async function customersSheet(options: CustomersSheetOptions): Promise<SheetSpec> {
  const { db, cipher, revealPii = false } = options;
  if (revealPii && !cipher) {
    throw piiKeyMissing();
  }
  const asOf = options.asOf ?? todayInShanghai();
  const show = (stored: string | null, code: string, field: ContactField) => {
    if (stored === null) return null;
    if (!cipher) return UNREADABLE;
    // A value this key cannot decrypt is logged and shows as unreadable: one such row must not stop the export.
    return openContact(cipher, { field, stored, mode: revealPii ? 'plain' : 'masked', customer: code });
  };

  async function* rows(): AsyncGenerator<Record<string, unknown>> {
    const batches = keysetBatches({
      batchSize: options.batchSize,
      fetch: (afterId, limit) => {
        let q = db
          .selectFrom('customers as c')
          .leftJoin('customer_metrics as m', 'm.customer_id', 'c.id')
          .select([
            'c.id',
            'c.code',
            'c.name',
            'c.kind',
            'c.gender',
            'c.age',
            'c.birth_date',
            'c.phone_enc',
            'c.email_enc',
            'c.region',
            'c.province',
            'c.city',
            'c.industry',
            'c.company_size',
            'c.source',
            'c.opening_order_count',
            'c.opening_amount',
            'c.opening_first_date',
            'c.opening_last_date',
            'm.customer_id as metrics_customer_id',
            'm.order_count',
            'm.total_amount',
            'm.avg_order_amount',
            'm.first_order_date',
            'm.last_order_date',
          ])
          .orderBy('c.id')
          .limit(limit);
        if (afterId !== null) q = q.where('c.id', '>', afterId);
        return q.execute();
      },
      idOf: (r) => Number(r.id),
    });
    for await (const batch of batches) {
      for (const r of batch) {
        // The metrics cache already includes the opening balance (docs/classification.md#metrics); without
        // a run yet, the opening balance is all we know.
        const hasMetrics = r.metrics_customer_id !== null;
        const count = hasMetrics ? r.order_count : r.opening_order_count;
        const amount = hasMetrics ? r.total_amount : r.opening_amount;
        const average = hasMetrics
          ? r.avg_order_amount
          : count && count > 0 && amount !== null
            ? Math.round(Number(amount) / Number(count))
            : null;
        yield {
          code: r.code,
          name: r.name,
          kind: kindLabel(r.kind),
          gender: genderLabel(r.gender),
          age: r.age ?? ageOn(r.birth_date, asOf),
          phone: show(r.phone_enc, r.code, 'phone'),
          email: show(r.email_enc, r.code, 'email'),
          region: r.region,
          province: r.province,
          city: r.city,
          industry: r.industry,
          company_size: r.company_size,
          source: r.source,
          total_amount: amount,
          order_count: count,
          avg_order_amount: average,
          first_order_date: hasMetrics ? r.first_order_date : r.opening_first_date,
          last_order_date: hasMetrics ? r.last_order_date : r.opening_last_date,
        };
      }
    }
  }

  return {
    name: CUSTOMERS_SHEET_NAME,
    columns: [
      { header: fieldZh('code'), key: 'code' },
      { header: '姓名/名称', key: 'name', width: 24 },
      { header: fieldZh('kind'), key: 'kind' },
      { header: fieldZh('gender'), key: 'gender', width: 8 },
      { header: fieldZh('age'), key: 'age', kind: 'number', width: 8 },
      { header: '联系方式', key: 'phone', width: 16 },
      { header: '邮箱', key: 'email', width: 24 },
      { header: fieldZh('region'), key: 'region' },
      { header: fieldZh('province'), key: 'province' },
      { header: fieldZh('city'), key: 'city' },
      { header: fieldZh('industry'), key: 'industry' },
      { header: fieldZh('company_size'), key: 'company_size' },
      { header: fieldZh('source'), key: 'source' },
      { header: fieldZh('total_amount'), key: 'total_amount', kind: 'money' },
      { header: fieldZh('order_count'), key: 'order_count', kind: 'number', width: 14 },
      { header: fieldZh('avg_order_amount'), key: 'avg_order_amount', kind: 'money' },
      { header: fieldZh('first_order_date'), key: 'first_order_date', kind: 'date', width: 14 },
      { header: fieldZh('last_order_date'), key: 'last_order_date', kind: 'date', width: 14 },
    ],
    rows: rows(),
  };
}

/** A field's Chinese label from the field registry, so the export's headers match the rules and the web app. */
function fieldZh(key: string): string {
  const field = FIELDS.find((f) => f.key === key);
  if (!field) throw new Error(`no field ${key} in src/core/fields.ts`);
  return field.zh;
}

/** Whole years from a 'YYYY-MM-DD' birth date to `asOf`; null when unknown. */
export function ageOn(birthDate: string | null, asOf: string): number | null {
  if (!birthDate) return null;
  const b = /^(\d{4})-(\d{2})-(\d{2})/.exec(birthDate);
  const a = /^(\d{4})-(\d{2})-(\d{2})/.exec(asOf);
  if (!b || !a) return null;
  const years = Number(a[1]) - Number(b[1]);
  const beforeBirthday = a[2] + a[3] < b[2] + b[3];
  const age = beforeBirthday ? years - 1 : years;
  return age >= 0 ? age : null;
}

/** Today's calendar date in the default workspace zone. */
export function todayInShanghai(now: Date = new Date()): string {
  // Asia/Shanghai has had no daylight saving since 1991: a fixed +8 h offset is exact.
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}
