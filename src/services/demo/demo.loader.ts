import type { Insertable } from 'kysely';
import { KeleiError } from '../../core/errors.ts';
import { parseEmail, parsePhone } from '../../core/import/clean.ts';
import { insertInBatches, rowChunks } from '../../db/batch.ts';
import type { DbHandle } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import { sealContacts } from '../privacy/contact-seal.ts';
import type { PiiCipher } from '../privacy/pii-cipher.ts';
import { type DemoDataSet, type GenerateDemoOptions, generateDemo } from './demo.generator.ts';
import { shanghaiWallToIso } from './demo-calendar.ts';

export type LoadDemoOptions = GenerateDemoOptions & { handle: DbHandle; cipher: PiiCipher };

export type LoadDemoResult = {
  customers: number;
  orders: number;
  interactions: number;
  feedback: number;
  asOf: string;
};

/** Orders of the demo carry this source, so they never collide with imported ones. */
export const DEMO_ORDER_SOURCE = 'demo';

/**
 * Generates the demo data set and inserts it in one transaction: all of it or none.
 * Refuses (KeleiError 'Conflict') when the demo is already in the database.
 *
 * @example await loadDemo({ handle, cipher, seed: 42, customers: 2000, asOf: '2024-06-30' })
 */
export async function loadDemo(options: LoadDemoOptions): Promise<LoadDemoResult> {
  const { handle, cipher, ...generate } = options;
  return insertDemo({ handle, cipher, data: generateDemo(generate) });
}

/**
 * Inserts a generated data set: phone and e-mail encrypted with blind indexes of the
 * same normalised form the importer uses, multi-row inserts sized to the engine's
 * parameter limit, everything in one transaction.
 */
export async function insertDemo(options: {
  handle: DbHandle;
  cipher: PiiCipher;
  data: DemoDataSet;
}): Promise<LoadDemoResult> {
  const { handle, cipher, data } = options;
  await handle.db.transaction().execute(async (trx) => {
    const loaded = await trx
      .selectFrom('orders')
      .select('id')
      .where('source', '=', DEMO_ORDER_SOURCE)
      .limit(1)
      .executeTakeFirst();
    const firstCode = data.customers[0]?.code;
    const clash = firstCode
      ? await trx.selectFrom('customers').select('id').where('code', '=', firstCode).executeTakeFirst()
      : undefined;
    if (loaded || clash) {
      throw new KeleiError('Conflict', {
        en: 'the database already holds the demo data set; load it into an empty database',
        zh: '数据库中已有演示数据，请在空数据库中加载',
      });
    }

    const customerRows: Array<Insertable<Database['customers']>> = data.customers.map((c) => {
      const phone = normalisePhone(c.phone);
      const email = c.email === null ? null : normaliseEmail(c.email);
      return {
        code: c.code,
        name: c.name,
        kind: c.kind,
        gender: c.gender,
        age: c.age,
        birth_date: c.birthDate,
        ...sealContacts(cipher, { phone, email, address: c.address }),
        region: c.region,
        province: c.province,
        city: c.city,
        source: c.source,
        owner_user_id: null,
        industry: c.industry,
        company_size: c.companySize,
        ownership_type: c.ownershipType,
        price_sensitivity: c.priceSensitivity,
        payment_habit: c.paymentHabit,
        procurement_mode: c.procurementMode,
        preference: c.preference,
        attributes: null,
        consent_marketing: c.consentMarketing ? 1 : 0,
        opening_order_count: 0,
        opening_amount: 0,
        opening_first_date: null,
        opening_last_date: null,
        import_job_id: null,
        created_at: c.createdAt,
        updated_at: c.createdAt,
        erased_at: null,
      };
    });
    const ids = new Map<string, number>();
    for (const batch of rowChunks(customerRows, handle.caps)) {
      const inserted = await trx.insertInto('customers').values(batch).returning(['id', 'code']).execute();
      for (const r of inserted) ids.set(r.code, Number(r.id));
    }
    const idOf = (code: string): number => {
      const id = ids.get(code);
      if (id === undefined) throw new Error(`demo record refers to unknown customer ${code}`);
      return id;
    };

    const orderRows: Array<Insertable<Database['orders']>> = data.orders.map((o) => ({
      customer_id: idOf(o.customerCode),
      source: DEMO_ORDER_SOURCE,
      external_id: o.externalId,
      ordered_at: o.orderedAt,
      order_date: o.orderDate,
      amount: o.amount,
      cost: o.cost,
      quantity: o.quantity,
      product: o.product,
      category: o.category,
      channel: o.channel,
      status: o.status,
      import_job_id: null,
      created_at: shanghaiWallToIso(o.orderedAt),
    }));
    await insertInBatches({ db: trx, caps: handle.caps, table: 'orders', rows: orderRows });
    const interactionRows: Array<Insertable<Database['interactions']>> = data.interactions.map((i) => ({
      customer_id: idOf(i.customerCode),
      external_id: i.externalId,
      at: i.at,
      interaction_date: i.date,
      channel: i.channel,
      direction: i.direction,
      subject: i.subject,
      request: i.request,
      solution: i.solution,
      outcome: i.outcome,
      user_id: null,
      import_job_id: null,
      created_at: shanghaiWallToIso(i.at),
    }));
    await insertInBatches({ db: trx, caps: handle.caps, table: 'interactions', rows: interactionRows });
    const feedbackRows: Array<Insertable<Database['feedback']>> = data.feedback.map((f) => ({
      customer_id: idOf(f.customerCode),
      external_id: f.externalId,
      at: f.at,
      feedback_date: f.date,
      kind: f.kind,
      satisfaction: f.satisfaction,
      nps: f.nps,
      comment: f.comment,
      suggestion: f.suggestion,
      status: f.status,
      resolution: f.resolution,
      handled_by: null,
      import_job_id: null,
      created_at: shanghaiWallToIso(f.at),
    }));
    await insertInBatches({ db: trx, caps: handle.caps, table: 'feedback', rows: feedbackRows });
  });
  return {
    customers: data.customers.length,
    orders: data.orders.length,
    interactions: data.interactions.length,
    feedback: data.feedback.length,
    asOf: data.asOf,
  };
}

/** The importer's normal form: 11 digits for a mainland mobile. */
export function normalisePhone(phone: string): string {
  const parsed = parsePhone(phone);
  if (!parsed.ok || parsed.value === null) throw new Error(`demo phone is not a phone number: ${phone}`);
  return parsed.value;
}

/** The importer's normal form: trimmed and lower-case. */
export function normaliseEmail(email: string): string {
  const parsed = parseEmail(email);
  if (!parsed.ok || parsed.value === null) throw new Error(`demo e-mail is not an address: ${email}`);
  return parsed.value;
}
