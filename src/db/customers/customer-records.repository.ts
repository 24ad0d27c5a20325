import type { Db } from '../database.ts';
import type { CustomerRow, CustomerUpdate, MetricsRow, NewCustomerRow } from '../schema.ts';

/** One customer by code, unless erased: `await findLiveCustomer(db, 'C001')`. */
export async function findLiveCustomer(db: Db, code: string): Promise<CustomerRow | undefined> {
  return db
    .selectFrom('customers')
    .selectAll()
    .where('code', '=', code)
    .where('erased_at', 'is', null)
    .executeTakeFirst();
}

/** One customer by code, erased or not (privacy requests reach erased records too). */
export async function findAnyCustomer(db: Db, code: string): Promise<CustomerRow | undefined> {
  return db.selectFrom('customers').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function customerCodeExists(db: Db, code: string): Promise<boolean> {
  const row = await db.selectFrom('customers').select('id').where('code', '=', code).executeTakeFirst();
  return row !== undefined;
}

export async function insertCustomer(db: Db, row: NewCustomerRow): Promise<number> {
  const inserted = await db.insertInto('customers').values(row).returning('id').executeTakeFirstOrThrow();
  return Number(inserted.id);
}

/**
 * Applies `changes` only when the stored version is still `version`, and bumps it;
 * false when another write got there first (or the customer is gone).
 */
export async function updateCustomerAtVersion(
  db: Db,
  options: { id: number; version: number; changes: CustomerUpdate; now: string },
): Promise<boolean> {
  const result = await db
    .updateTable('customers')
    .set((eb) => ({ ...options.changes, updated_at: options.now, version: eb('version', '+', 1) }))
    .where('id', '=', options.id)
    .where('version', '=', options.version)
    .where('erased_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export type CustomerMatch = { code: string; owner_user_id: number | null; by: 'phone' | 'email' };

/** Live customers, other than `excludeId`, holding the same phone or e-mail (by blind index). */
export async function findByBlindIndex(
  db: Db,
  options: { phoneIdx?: string | null; emailIdx?: string | null; excludeId?: number },
): Promise<CustomerMatch[]> {
  const { phoneIdx, emailIdx, excludeId } = options;
  if (!phoneIdx && !emailIdx) return [];
  const rows = await db
    .selectFrom('customers')
    .select(['id', 'code', 'owner_user_id', 'phone_idx', 'email_idx'])
    .where('erased_at', 'is', null)
    .where((eb) =>
      eb.or([
        ...(phoneIdx ? [eb('phone_idx', '=', phoneIdx)] : []),
        ...(emailIdx ? [eb('email_idx', '=', emailIdx)] : []),
      ]),
    )
    .orderBy('id')
    .execute();
  return rows
    .filter((r) => excludeId === undefined || Number(r.id) !== excludeId)
    .map((r) => ({
      code: r.code,
      owner_user_id: r.owner_user_id === null ? null : Number(r.owner_user_id),
      by: phoneIdx && r.phone_idx === phoneIdx ? 'phone' : 'email',
    }));
}

export async function findMetrics(db: Db, customerId: number): Promise<MetricsRow | undefined> {
  return db
    .selectFrom('customer_metrics')
    .selectAll()
    .where('customer_id', '=', customerId)
    .executeTakeFirst();
}

export type ActivityCounts = { orders: number; interactions: number; feedback: number };

export async function countActivities(db: Db, customerId: number): Promise<ActivityCounts> {
  const [orders, interactions, feedback] = await Promise.all([
    db
      .selectFrom('orders')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('customer_id', '=', customerId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('interactions')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('customer_id', '=', customerId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('feedback')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('customer_id', '=', customerId)
      .executeTakeFirstOrThrow(),
  ]);
  return { orders: Number(orders.n), interactions: Number(interactions.n), feedback: Number(feedback.n) };
}

export type CustomerTag = { name: string; source: string; assignedAt: string };

export async function loadTagsOf(db: Db, customerId: number): Promise<CustomerTag[]> {
  const rows = await db
    .selectFrom('customer_tags as ct')
    .innerJoin('tags as t', 't.id', 'ct.tag_id')
    .select(['t.name as name', 'ct.source as source', 'ct.assigned_at as assigned_at'])
    .where('ct.customer_id', '=', customerId)
    .orderBy('t.name')
    .execute();
  return rows.map((r) => ({ name: r.name, source: r.source, assignedAt: r.assigned_at }));
}

/** Keys of the schemes a customer currently has a class under. */
export async function loadClassedSchemeKeys(db: Db, customerId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('customer_classes as cc')
    .innerJoin('schemes as s', 's.id', 'cc.scheme_id')
    .select(['s.key as key'])
    .where('cc.customer_id', '=', customerId)
    .orderBy('s.id')
    .execute();
  return rows.map((r) => r.key);
}

export type CurrentClassRow = { schemeKey: string; classKey: string; since: string; runId: number };

export async function loadCurrentClassesOf(db: Db, customerId: number): Promise<CurrentClassRow[]> {
  const rows = await db
    .selectFrom('customer_classes as cc')
    .innerJoin('schemes as s', 's.id', 'cc.scheme_id')
    .select(['s.key as scheme_key', 'cc.class_key as class_key', 'cc.since as since', 'cc.run_id as run_id'])
    .where('cc.customer_id', '=', customerId)
    .orderBy('s.id')
    .execute();
  return rows.map((r) => ({
    schemeKey: r.scheme_key,
    classKey: r.class_key,
    since: r.since,
    runId: Number(r.run_id),
  }));
}

export type ClassChangeRow = {
  schemeKey: string;
  runId: number;
  from: string | null;
  to: string;
  at: string;
};

/** Every class change of a customer under every scheme, oldest first. */
export async function loadAllClassChanges(db: Db, customerId: number): Promise<ClassChangeRow[]> {
  const rows = await db
    .selectFrom('class_changes as ch')
    .innerJoin('schemes as s', 's.id', 'ch.scheme_id')
    .select([
      's.key as scheme_key',
      'ch.run_id as run_id',
      'ch.from_class as from_class',
      'ch.to_class as to_class',
      'ch.at as at',
    ])
    .where('ch.customer_id', '=', customerId)
    .orderBy('ch.id')
    .execute();
  return rows.map((r) => ({
    schemeKey: r.scheme_key,
    runId: Number(r.run_id),
    from: r.from_class,
    to: r.to_class,
    at: r.at,
  }));
}

export type UserRef = { id: number; username: string; displayName: string | null };

export async function findUserRef(db: Db, id: number): Promise<UserRef | undefined> {
  const row = await db
    .selectFrom('users')
    .select(['id', 'username', 'display_name'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? { id: Number(row.id), username: row.username, displayName: row.display_name } : undefined;
}

export type TaskRecord = {
  id: number;
  type: string;
  dueDate: string;
  status: string;
  assigneeUserId: number | null;
  note: string | null;
  createdAt: string;
};

export async function loadTasksOf(db: Db, customerId: number): Promise<TaskRecord[]> {
  const rows = await db
    .selectFrom('tasks')
    .selectAll()
    .where('customer_id', '=', customerId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    type: r.type,
    dueDate: r.due_date,
    status: r.status,
    assigneeUserId: r.assignee_user_id === null ? null : Number(r.assignee_user_id),
    note: r.note,
    createdAt: r.created_at,
  }));
}

/**
 * Removes a customer's personal data and keeps what statistics need (orders, metrics,
 * classes, dates and scores of activities); call inside a transaction.
 */
export async function anonymiseCustomer(
  db: Db,
  options: { id: number; placeholderName: string; now: string },
): Promise<void> {
  const { id, now } = options;
  await db
    .updateTable('customers')
    .set((eb) => ({
      name: options.placeholderName,
      // Everything that describes the person goes; kind, code, owner, opening balances and dates stay for statistics.
      gender: null,
      age: null,
      birth_date: null,
      region: null,
      province: null,
      city: null,
      source: null,
      industry: null,
      company_size: null,
      ownership_type: null,
      price_sensitivity: null,
      payment_habit: null,
      procurement_mode: null,
      preference: null,
      phone_enc: null,
      phone_idx: null,
      email_enc: null,
      email_idx: null,
      address_enc: null,
      attributes: null,
      consent_marketing: 0,
      erased_at: now,
      updated_at: now,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', id)
    .execute();
  // Free text written about the person may name or quote them.
  await db
    .updateTable('interactions')
    .set({ subject: null, request: null, solution: null, outcome: null })
    .where('customer_id', '=', id)
    .execute();
  await db
    .updateTable('feedback')
    .set({ comment: null, suggestion: null, resolution: null })
    .where('customer_id', '=', id)
    .execute();
  await db.updateTable('tasks').set({ note: null }).where('customer_id', '=', id).execute();
  await db.deleteFrom('customer_tags').where('customer_id', '=', id).execute();
}
