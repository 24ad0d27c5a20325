import { CUSTOMER_TEXT_LIMITS } from '../../core/text-limits.ts';
import { insertObjects } from '../../db/bulk.ts';
import { EMPTY_CUSTOMER_ROW } from '../../db/customers/customers.repository.ts';
import type { CustomerUpdate, NewCustomerRow } from '../../db/schema.ts';
import { sealContacts } from '../privacy/contact-seal.ts';
import { fieldCleaner } from './cells.ts';
import type { CellReader, RowSink, SinkContext } from './import.sink.ts';

const BATCH = 1000;

/** A customer row of the file after cleaning; undefined = the file has no such column. */
type CustomerRecord = {
  row: number;
  code: string;
  values: Partial<NewCustomerRow>;
  phone: string | null;
  email: string | null;
};

const TEXT_FIELDS = [
  'name',
  'region',
  'province',
  'city',
  'source',
  'industry',
  'company_size',
  'ownership_type',
  'price_sensitivity',
  'payment_habit',
  'procurement_mode',
  'preference',
] as const;

/** Fields compared to decide whether a known customer changed. */
const COMPARED = [
  ...TEXT_FIELDS,
  'kind',
  'gender',
  'age',
  'birth_date',
  'opening_order_count',
  'opening_amount',
  'opening_first_date',
  'opening_last_date',
  'attributes',
] as const;

function parseRecord({
  row,
  cells,
  ctx,
}: {
  row: number;
  cells: CellReader;
  ctx: SinkContext;
}): CustomerRecord | null {
  const clean = fieldCleaner({ cells, ctx, row });
  const code = clean('code', 'code', { required: true });
  if (!code) return null;
  const values: Partial<NewCustomerRow> = {};
  let ok = true;
  const take = <K extends keyof NewCustomerRow>(key: K, v: NewCustomerRow[K] | undefined | false) => {
    if (v === false) ok = false;
    else if (v !== undefined) values[key] = v;
  };
  for (const f of TEXT_FIELDS) take(f, orFalse(clean(f, 'text', { maxLength: CUSTOMER_TEXT_LIMITS[f] })));
  take('gender', orFalse(clean('gender', 'gender')));
  take('age', orFalse(clean('age', 'integer')));
  take('birth_date', orFalse(clean('birth_date', 'date')));
  const kind = clean('kind', 'kind');
  if (kind === false) ok = false;
  else if (kind !== undefined && kind !== null) values.kind = kind;
  else if (
    values.industry ||
    values.company_size ||
    /公司|集团|企业|厂|Ltd|Inc|Co\./i.test(values.name ?? '')
  ) {
    values.kind = 'company';
  }

  const count = clean('opening_order_count', 'integer');
  const amount = clean('opening_amount', 'money');
  const avg = clean('opening_avg_amount', 'money');
  if (count === false || amount === false || avg === false) ok = false;
  if (count !== undefined && count !== false) values.opening_order_count = count ?? 0;
  if (amount !== undefined && amount !== false && amount !== null) values.opening_amount = amount;
  else if (typeof avg === 'number' && typeof count === 'number') values.opening_amount = avg * count;
  else if (amount === null) values.opening_amount = 0;
  take('opening_first_date', orFalse(clean('opening_first_date', 'date')));
  take('opening_last_date', orFalse(clean('opening_last_date', 'date')));
  if (values.opening_amount && values.opening_amount > 0 && values.opening_order_count === undefined) {
    // A summary sheet with a total but no count still describes a buying customer.
    values.opening_order_count = 1;
  }

  const phone = clean('phone', 'phone');
  const email = clean('email', 'email');
  const address = clean('address', 'text', { maxLength: CUSTOMER_TEXT_LIMITS.address });
  if (phone === false || email === false || address === false) return null;
  Object.assign(values, sealContacts(ctx.cipher, { phone, email, address }));

  const extra = cells.extras();
  if (Object.keys(extra).length > 0) values.attributes = JSON.stringify(extra);
  if (!ok) return null;
  return {
    row,
    code,
    values,
    phone: typeof phone === 'string' ? phone : null,
    email: typeof email === 'string' ? email : null,
  };
}

function orFalse<T>(v: T | false | undefined): T | false | undefined {
  return v;
}

/** Customers are matched by code; a new code whose phone or e-mail is known is a possible duplicate. */
export function createCustomerSink(ctx: SinkContext): RowSink {
  let batch: CustomerRecord[] = [];
  const seenCodes = new Set<string>();

  async function flush(): Promise<void> {
    if (batch.length === 0) return;
    const records = batch;
    batch = [];
    const { trx } = ctx;
    const existing = await trx
      .selectFrom('customers')
      .selectAll()
      .where(
        'code',
        'in',
        records.map((r) => r.code),
      )
      .execute();
    const byCode = new Map(existing.map((c) => [c.code, c]));
    const newOnes = records.filter((r) => !byCode.has(r.code));
    const phoneIdx = newOnes.flatMap((r) => (r.values.phone_idx ? [r.values.phone_idx] : []));
    const emailIdx = newOnes.flatMap((r) => (r.values.email_idx ? [r.values.email_idx] : []));
    const matches =
      phoneIdx.length + emailIdx.length === 0
        ? []
        : await trx
            .selectFrom('customers')
            .select(['code', 'phone_idx', 'email_idx'])
            .where('erased_at', 'is', null)
            .where((eb) =>
              eb.or([
                ...(phoneIdx.length ? [eb('phone_idx', 'in', phoneIdx)] : []),
                ...(emailIdx.length ? [eb('email_idx', 'in', emailIdx)] : []),
              ]),
            )
            .execute();
    const byPhone = new Map(matches.filter((m) => m.phone_idx).map((m) => [m.phone_idx as string, m.code]));
    const byEmail = new Map(matches.filter((m) => m.email_idx).map((m) => [m.email_idx as string, m.code]));

    const inserts: NewCustomerRow[] = [];
    for (const r of records) {
      const current = byCode.get(r.code);
      if (!current) {
        const samePhone = r.values.phone_idx ? byPhone.get(r.values.phone_idx) : undefined;
        const sameEmail = r.values.email_idx ? byEmail.get(r.values.email_idx) : undefined;
        if (samePhone || sameEmail) {
          ctx.duplicate({
            row: r.row,
            code: r.code,
            existingCode: (samePhone ?? sameEmail) as string,
            by: samePhone ? 'phone' : 'email',
          });
          continue;
        }
        ctx.counts.new++;
        inserts.push({
          ...EMPTY_CUSTOMER_ROW,
          ...r.values,
          code: r.code,
          import_job_id: ctx.jobId,
          created_at: ctx.now,
          updated_at: ctx.now,
        });
        continue;
      }
      if (current.erased_at !== null) {
        // An erased person is not brought back by a re-import; the report flags the row instead.
        ctx.duplicate({ row: r.row, code: r.code, existingCode: r.code, by: 'erased' });
        continue;
      }
      const changes: CustomerUpdate = {};
      for (const key of COMPARED) {
        const next = r.values[key];
        if (next === undefined) continue;
        const before = current[key];
        if (String(before ?? '') !== String(next ?? '')) (changes as Record<string, unknown>)[key] = next;
      }
      // Encrypted values differ on every write; compare their blind indexes instead.
      if (r.values.phone_idx !== undefined && r.values.phone_idx !== current.phone_idx) {
        changes.phone_enc = r.values.phone_enc;
        changes.phone_idx = r.values.phone_idx;
      }
      if (r.values.email_idx !== undefined && r.values.email_idx !== current.email_idx) {
        changes.email_enc = r.values.email_enc;
        changes.email_idx = r.values.email_idx;
      }
      if (
        r.values.address_enc !== undefined &&
        (r.values.address_enc === null) !== (current.address_enc === null)
      ) {
        changes.address_enc = r.values.address_enc;
      } else if (r.values.address_enc && current.address_enc) {
        // An address this key cannot read is replaced by the imported one.
        const where = { customer: current.code, field: 'address' };
        if (ctx.cipher.readable(current.address_enc, where) !== ctx.cipher.decrypt(r.values.address_enc)) {
          changes.address_enc = r.values.address_enc;
        }
      }
      if (Object.keys(changes).length === 0) {
        ctx.counts.unchanged++;
        continue;
      }
      ctx.counts.updated++;
      await trx
        .updateTable('customers')
        .set({ ...changes, updated_at: ctx.now, version: current.version + 1 })
        .where('id', '=', current.id)
        .execute();
    }
    await insertObjects({ bulk: ctx.handle.bulkInsert, db: trx, table: 'customers', rows: inserts });
  }

  return {
    async add(row, cells) {
      const record = parseRecord({ row, cells, ctx });
      if (!record) return;
      if (seenCodes.has(record.code)) {
        ctx.duplicate({ row, code: record.code, existingCode: record.code, by: 'code' });
        return;
      }
      seenCodes.add(record.code);
      ctx.counts.records++;
      batch.push(record);
      if (batch.length >= BATCH) await flush();
    },
    finish: flush,
  };
}
