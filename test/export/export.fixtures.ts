import type { Db } from '../../src/db/database.ts';
import type { NewCustomerRow } from '../../src/db/schema.ts';
import type { PiiCipher } from '../../src/services/privacy/pii-cipher.ts';

export const NOW = '2024-07-01T00:00:00.000Z';

/** Names a spreadsheet would run as formulas, by customer code. */
export const HOSTILE_NAMES: Record<string, string> = {
  C003: '=1+1',
  C004: '+8613800000000',
  C005: '-2',
  C006: '@SUM(A1)',
  C007: '\tx',
  C008: '\rx',
};

const valueTierDefinition = {
  classes: [
    {
      key: 'high',
      name: { zh: '高价值客户', en: 'High value' },
      plan: { goal: '提升忠诚度', actions: ['专属顾问'], contact_every_days: 15, owner_role: 'manager' },
    },
    {
      key: 'medium',
      name: { zh: '中价值客户', en: 'Medium value' },
      plan: {
        goal: '促进复购',
        actions: ['会员日优惠券', '新品推荐'],
        contact_every_days: 45,
        owner_role: 'sales',
      },
    },
    { key: 'low', name: { zh: '低价值客户', en: 'Low value' } },
  ],
};

const lifecycleDefinition = {
  classes: [
    { key: 'new', name: { zh: '新客户', en: 'New' } },
    { key: 'stable', name: { zh: '长期稳定客户', en: 'Stable' }, plan: { goal: '维持关系' } },
  ],
};

function customer(code: string, overrides: Partial<NewCustomerRow> = {}): NewCustomerRow {
  // Every row names the same columns: SQLite has no DEFAULT inside a multi-row VALUES.
  return {
    code,
    name: `客户${code}`,
    kind: 'individual',
    consent_marketing: 0,
    opening_order_count: 0,
    opening_amount: 0,
    created_at: NOW,
    updated_at: NOW,
    ...overrides,
  };
}

export type ExportFixture = {
  ids: Record<string, number>;
  schemes: { valueTier: number; lifecycle: number; retired: number };
};

/** A handful of customers, orders, schemes and classes covering every export column. */
export async function seedExportFixture(db: Db, cipher: PiiCipher): Promise<ExportFixture> {
  const rows: NewCustomerRow[] = [
    customer('C001', {
      name: '张伟',
      gender: 'male',
      age: 35,
      phone_enc: cipher.encrypt('13800001234'),
      phone_idx: cipher.blindIndex('13800001234'),
      email_enc: cipher.encrypt('zhang.wei@example.com'),
      email_idx: cipher.blindIndex('zhang.wei@example.com'),
      region: '华东',
      province: '上海市',
      city: '上海市',
      source: '天猫',
    }),
    customer('C002', {
      name: '李"四",商贸',
      kind: 'company',
      industry: '信息技术',
      company_size: '中型',
      birth_date: null,
      opening_order_count: 3,
      opening_amount: 100001,
      opening_first_date: '2022-03-01',
      opening_last_date: '2022-12-31',
    }),
    ...Object.entries(HOSTILE_NAMES).map(([code, name]) => customer(code, { name })),
    customer('C009', { name: '王芳', gender: 'female', birth_date: '1990-08-15' }),
  ];
  const inserted = await db.insertInto('customers').values(rows).returning(['id', 'code']).execute();
  const ids = Object.fromEntries(inserted.map((r) => [r.code, Number(r.id)]));

  await db
    .insertInto('customer_metrics')
    .values({
      customer_id: ids.C001,
      as_of: '2024-06-30',
      order_count: 3,
      total_amount: 1234567,
      avg_order_amount: 411522,
      first_order_date: '2023-01-05',
      last_order_date: '2024-06-18',
      recency_days: 12,
      tenure_days: 542,
      order_count_365d: 2,
      total_amount_365d: 1000000,
      gross_profit_365d: 300000,
      amount_180d: 500000,
      amount_prev_180d: 500000,
      distinct_categories: 2,
      avg_interpurchase_days: 270.5,
      satisfaction_avg: 4.5,
      nps_avg: 9,
      complaint_count_365d: 0,
      interactions_90d: 1,
      days_since_contact: 20,
      r_score: 5,
      f_score: 3,
      m_score: 5,
      value_score: 88.5,
      potential_score: 40,
      computed_at: NOW,
    })
    .execute();

  await db
    .insertInto('orders')
    .values([
      order(ids.C001, { external_id: 'O-1', amount: 12345, quantity: 2, product: 'T恤', category: '服装' }),
      order(ids.C001, { external_id: 'O-2', amount: -5, quantity: 1, product: 'T恤', category: '服装' }),
      order(ids.C003, {
        external_id: 'O-3',
        amount: 100,
        product: '=HYPERLINK("http://x")',
        status: 'cancelled',
      }),
    ])
    .execute();

  const [valueTier, lifecycle, retired] = await Promise.all(
    [
      { key: 'value_tier', name_zh: '价值分层', active: 1 },
      { key: 'lifecycle', name_zh: '生命周期', active: 1 },
      { key: 'retired', name_zh: '停用方案', active: 0 },
    ].map(async (s) => {
      const row = await db
        .insertInto('schemes')
        .values({ ...s, name_en: s.key, builtin: 1, created_at: NOW })
        .returning('id')
        .executeTakeFirstOrThrow();
      return Number(row.id);
    }),
  );
  const version = async (schemeId: number, definition: unknown) => {
    const v = await db
      .insertInto('scheme_versions')
      .values({ scheme_id: schemeId, version: 1, definition: JSON.stringify(definition), created_at: NOW })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.updateTable('schemes').set({ current_version_id: v.id }).where('id', '=', schemeId).execute();
    return Number(v.id);
  };
  const vValue = await version(valueTier, valueTierDefinition);
  const vLife = await version(lifecycle, lifecycleDefinition);
  const vRetired = await version(retired, { classes: [{ key: 'x', name: '旧类' }] });
  const run = async (schemeId: number, versionId: number, asOf: string) => {
    const r = await db
      .insertInto('classification_runs')
      .values({
        scheme_id: schemeId,
        scheme_version_id: versionId,
        as_of: asOf,
        started_at: NOW,
        finished_at: NOW,
        status: 'succeeded',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(r.id);
  };
  const runValue = await run(valueTier, vValue, '2024-06-30');
  const runLife = await run(lifecycle, vLife, '2024-07-01');
  const runRetired = await run(retired, vRetired, '2024-07-02');

  await db
    .insertInto('customer_classes')
    .values([
      {
        customer_id: ids.C001,
        scheme_id: valueTier,
        class_key: 'high',
        run_id: runValue,
        since: '2024-06-30',
        scores: JSON.stringify({ r: 5, f: 3, detail: { pct: 80.5 }, total_amount: 1234567 }),
      },
      {
        customer_id: ids.C001,
        scheme_id: lifecycle,
        class_key: 'stable',
        run_id: runLife,
        since: '2024-07-01',
      },
      {
        customer_id: ids.C002,
        scheme_id: valueTier,
        class_key: 'mystery',
        run_id: runValue,
        since: '2024-06-30',
        scores: JSON.stringify({ r: 1, extra: 'x' }),
      },
      {
        customer_id: ids.C003,
        scheme_id: valueTier,
        class_key: 'low',
        run_id: runValue,
        since: '2024-06-30',
      },
      { customer_id: ids.C003, scheme_id: retired, class_key: 'x', run_id: runRetired, since: '2024-07-02' },
    ])
    .execute();

  await db
    .insertInto('plans')
    .values({
      scheme_id: valueTier,
      class_key: 'high',
      goal: '保持高价值',
      actions: JSON.stringify(['一对一回访', '生日礼遇']),
      contact_every_days: 30,
      owner_role: 'sales',
    })
    .execute();

  return { ids, schemes: { valueTier, lifecycle, retired } };
}

function order(
  customerId: number,
  fields: {
    external_id: string;
    amount: number;
    quantity?: number;
    product: string;
    category?: string;
    status?: string;
  },
) {
  return {
    customer_id: customerId,
    source: 'test',
    ordered_at: '2024-06-18 20:15:00',
    order_date: '2024-06-18',
    channel: '天猫',
    status: 'completed',
    created_at: NOW,
    ...fields,
  };
}
