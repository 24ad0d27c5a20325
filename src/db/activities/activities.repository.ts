import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Db } from '../database.ts';
import type { FeedbackTable, InteractionsTable, OrderRow, OrdersTable } from '../schema.ts';

export type InteractionRow = Selectable<InteractionsTable>;
export type FeedbackRow = Selectable<FeedbackTable>;

/** The customer an activity belongs to: what record scope and erasure checks need. */
export type ActivityOwner = { customer_code: string; owner_user_id: number | null; erased_at: string | null };

export type Page = { limit: number; offset: number };

const ownerColumns = [
  'c.code as customer_code',
  'c.owner_user_id as owner_user_id',
  'c.erased_at as erased_at',
] as const;

function owner<T extends ActivityOwner>(row: T): T {
  return { ...row, owner_user_id: row.owner_user_id === null ? null : Number(row.owner_user_id) };
}

// Orders ---------------------------------------------------------------------------------

/** A customer's orders, newest first. */
export async function listOrders(
  db: Db,
  options: { customerId: number } & Page,
): Promise<{ rows: OrderRow[]; total: number }> {
  const base = db.selectFrom('orders').where('customer_id', '=', options.customerId);
  const { n } = await base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  const rows = await base
    .selectAll()
    .orderBy('ordered_at', 'desc')
    .orderBy('id', 'desc')
    .limit(options.limit)
    .offset(options.offset)
    .execute();
  return { rows, total: Number(n) };
}

export async function allOrdersOf(db: Db, customerId: number): Promise<OrderRow[]> {
  return db
    .selectFrom('orders')
    .selectAll()
    .where('customer_id', '=', customerId)
    .orderBy('ordered_at')
    .orderBy('id')
    .execute();
}

export async function findOrder(db: Db, id: number): Promise<(OrderRow & ActivityOwner) | undefined> {
  const row = await db
    .selectFrom('orders as o')
    .innerJoin('customers as c', 'c.id', 'o.customer_id')
    .selectAll('o')
    .select(ownerColumns)
    .where('o.id', '=', id)
    .executeTakeFirst();
  return row ? owner(row) : undefined;
}

export async function insertOrder(db: Db, row: Insertable<OrdersTable>): Promise<number> {
  const r = await db.insertInto('orders').values(row).returning('id').executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function updateOrder(db: Db, id: number, changes: Updateable<OrdersTable>): Promise<void> {
  await db.updateTable('orders').set(changes).where('id', '=', id).execute();
}

export async function deleteOrder(db: Db, id: number): Promise<void> {
  await db.deleteFrom('orders').where('id', '=', id).execute();
}

export async function orderExternalIdTaken(db: Db, options: { source: string; externalId: string }) {
  const row = await db
    .selectFrom('orders')
    .select('id')
    .where('source', '=', options.source)
    .where('external_id', '=', options.externalId)
    .executeTakeFirst();
  return row !== undefined;
}

// Interactions ---------------------------------------------------------------------------

export async function listInteractions(
  db: Db,
  options: { customerId: number } & Page,
): Promise<{ rows: InteractionRow[]; total: number }> {
  const base = db.selectFrom('interactions').where('customer_id', '=', options.customerId);
  const { n } = await base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  const rows = await base
    .selectAll()
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(options.limit)
    .offset(options.offset)
    .execute();
  return { rows, total: Number(n) };
}

export async function allInteractionsOf(db: Db, customerId: number): Promise<InteractionRow[]> {
  return db
    .selectFrom('interactions')
    .selectAll()
    .where('customer_id', '=', customerId)
    .orderBy('at')
    .orderBy('id')
    .execute();
}

export async function findInteraction(
  db: Db,
  id: number,
): Promise<(InteractionRow & ActivityOwner) | undefined> {
  const row = await db
    .selectFrom('interactions as i')
    .innerJoin('customers as c', 'c.id', 'i.customer_id')
    .selectAll('i')
    .select(ownerColumns)
    .where('i.id', '=', id)
    .executeTakeFirst();
  return row ? owner(row) : undefined;
}

export async function insertInteraction(db: Db, row: Insertable<InteractionsTable>): Promise<number> {
  const r = await db.insertInto('interactions').values(row).returning('id').executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function updateInteraction(
  db: Db,
  id: number,
  changes: Updateable<InteractionsTable>,
): Promise<void> {
  await db.updateTable('interactions').set(changes).where('id', '=', id).execute();
}

export async function deleteInteraction(db: Db, id: number): Promise<void> {
  await db.deleteFrom('interactions').where('id', '=', id).execute();
}

// Feedback -------------------------------------------------------------------------------

export async function listFeedback(
  db: Db,
  options: { customerId: number } & Page,
): Promise<{ rows: FeedbackRow[]; total: number }> {
  const base = db.selectFrom('feedback').where('customer_id', '=', options.customerId);
  const { n } = await base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  const rows = await base
    .selectAll()
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(options.limit)
    .offset(options.offset)
    .execute();
  return { rows, total: Number(n) };
}

export async function allFeedbackOf(db: Db, customerId: number): Promise<FeedbackRow[]> {
  return db
    .selectFrom('feedback')
    .selectAll()
    .where('customer_id', '=', customerId)
    .orderBy('at')
    .orderBy('id')
    .execute();
}

export async function findFeedback(db: Db, id: number): Promise<(FeedbackRow & ActivityOwner) | undefined> {
  const row = await db
    .selectFrom('feedback as f')
    .innerJoin('customers as c', 'c.id', 'f.customer_id')
    .selectAll('f')
    .select(ownerColumns)
    .where('f.id', '=', id)
    .executeTakeFirst();
  return row ? owner(row) : undefined;
}

export async function insertFeedback(db: Db, row: Insertable<FeedbackTable>): Promise<number> {
  const r = await db.insertInto('feedback').values(row).returning('id').executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function updateFeedback(db: Db, id: number, changes: Updateable<FeedbackTable>): Promise<void> {
  await db.updateTable('feedback').set(changes).where('id', '=', id).execute();
}

export async function deleteFeedback(db: Db, id: number): Promise<void> {
  await db.deleteFrom('feedback').where('id', '=', id).execute();
}
