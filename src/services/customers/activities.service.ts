import crypto from 'node:crypto';
import type { Updateable } from 'kysely';
import { KeleiError } from '../../core/errors.ts';
import { parseDate } from '../../core/import/clean.ts';
import {
  type ActivityOwner,
  deleteFeedback,
  deleteInteraction,
  deleteOrder,
  type FeedbackRow,
  findFeedback,
  findInteraction,
  findOrder,
  type InteractionRow,
  insertFeedback,
  insertInteraction,
  insertOrder,
  listFeedback,
  listInteractions,
  listOrders,
  orderExternalIdTaken,
  updateFeedback,
  updateInteraction,
  updateOrder,
} from '../../db/activities/activities.repository.ts';
import type { FeedbackTable, InteractionsTable, OrderRow, OrdersTable } from '../../db/schema.ts';
import { type TextView, textViewFor } from '../privacy/pii-scrub.ts';
import { type Access, inScope, visibleCustomer } from './customer-access.ts';
import { invalidField } from './customer-input.ts';
import type { CustomerServiceDeps } from './customers.service.ts';

/**
 * Orders, interactions and feedback of one customer (the tables in docs/architecture.md), under the
 * customer's record scope: an activity of a customer the caller cannot see is 404.
 * Metrics are a cache; they follow these changes at the next classification run.
 */

export type Paging = { page: number; pageSize: number };
export type ActivityPage<T> = { items: T[]; total: number; page: number; pageSize: number };

export type OrderStatus = 'completed' | 'cancelled' | 'pending';
export type InteractionChannel = 'phone' | 'email' | 'wechat' | 'visit' | 'chat' | 'other';
export type InteractionDirection = 'inbound' | 'outbound';
export type FeedbackKind = 'feedback' | 'complaint';
export type FeedbackStatus = 'open' | 'handled';

export type OrderView = {
  id: number;
  customerCode: string;
  source: string;
  externalId: string;
  orderedAt: string;
  orderDate: string;
  /** fen, net; negative for a return */
  amount: number;
  cost: number | null;
  quantity: number | null;
  product: string | null;
  category: string | null;
  channel: string | null;
  status: string;
  createdAt: string;
};

export type InteractionView = {
  id: number;
  customerCode: string;
  at: string;
  date: string;
  channel: string;
  direction: string | null;
  subject: string | null;
  request: string | null;
  solution: string | null;
  outcome: string | null;
  userId: number | null;
  createdAt: string;
};

export type FeedbackView = {
  id: number;
  customerCode: string;
  at: string;
  date: string;
  kind: string;
  satisfaction: number | null;
  nps: number | null;
  comment: string | null;
  suggestion: string | null;
  status: string;
  resolution: string | null;
  handledBy: number | null;
  createdAt: string;
};

export type OrderInput = {
  orderedAt?: string;
  amount?: number;
  cost?: number | null;
  quantity?: number | null;
  product?: string | null;
  category?: string | null;
  channel?: string | null;
  status?: OrderStatus;
};

export type InteractionInput = {
  at?: string;
  channel?: InteractionChannel;
  direction?: InteractionDirection | null;
  subject?: string | null;
  request?: string | null;
  solution?: string | null;
  outcome?: string | null;
};

export type FeedbackInput = {
  at?: string;
  kind?: FeedbackKind;
  satisfaction?: number | null;
  nps?: number | null;
  comment?: string | null;
  suggestion?: string | null;
  status?: FeedbackStatus;
  resolution?: string | null;
};

const API_SOURCE = 'api';

const num = (v: number | null): number | null => (v === null ? null : Number(v));

export function toOrderView(r: OrderRow, customerCode: string): OrderView {
  return {
    id: Number(r.id),
    customerCode,
    source: r.source,
    externalId: r.external_id,
    orderedAt: r.ordered_at,
    orderDate: r.order_date,
    amount: Number(r.amount),
    cost: num(r.cost),
    quantity: num(r.quantity),
    product: r.product,
    category: r.category,
    channel: r.channel,
    status: r.status,
    createdAt: r.created_at,
  };
}

export function toInteractionView(
  r: InteractionRow,
  options: { code: string; text: TextView },
): InteractionView {
  const { text } = options;
  return {
    id: Number(r.id),
    customerCode: options.code,
    at: r.at,
    date: r.interaction_date,
    channel: r.channel,
    direction: r.direction,
    subject: text(r.subject),
    request: text(r.request),
    solution: text(r.solution),
    outcome: text(r.outcome),
    userId: num(r.user_id),
    createdAt: r.created_at,
  };
}

export function toFeedbackView(r: FeedbackRow, options: { code: string; text: TextView }): FeedbackView {
  const { text } = options;
  return {
    id: Number(r.id),
    customerCode: options.code,
    at: r.at,
    date: r.feedback_date,
    kind: r.kind,
    satisfaction: num(r.satisfaction),
    nps: num(r.nps),
    comment: text(r.comment),
    suggestion: text(r.suggestion),
    status: r.status,
    resolution: text(r.resolution),
    handledBy: num(r.handled_by),
    createdAt: r.created_at,
  };
}

function notFound(entity: 'order' | 'interaction' | 'feedback', id: number): KeleiError {
  const zh = { order: '订单', interaction: '互动记录', feedback: '服务反馈' }[entity];
  return new KeleiError('NotFound', { en: `no ${entity} with id ${id}`, zh: `找不到 id 为 ${id} 的${zh}` });
}

/** An activity row the caller may see; others' and erased customers' rows are 404. */
function visible<T extends ActivityOwner>(
  access: Access,
  options: { row: T | undefined; entity: 'order' | 'interaction' | 'feedback'; id: number },
): T {
  const { row } = options;
  if (!row || row.erased_at !== null || !inScope(access, row.owner_user_id)) {
    throw notFound(options.entity, options.id);
  }
  return row;
}

/** A wall time in the workspace zone, from any date form the importer reads; now when absent. */
function wallTime(
  deps: CustomerServiceDeps,
  options: { field: string; value: string | undefined },
): { time: string; date: string } {
  const value = options.value ?? deps.clock().toISOString();
  const r = parseDate(value, { timeZone: deps.timeZone });
  if (!r.ok || r.value === null) {
    throw invalidField(options.field, {
      en: 'not a valid date or time, e.g. 2024-01-05 13:45',
      zh: '日期时间无效，应如 2024-01-05 13:45',
    });
  }
  return { time: r.value.time, date: r.value.date };
}

function text(v: string | null | undefined): string | null | undefined {
  if (v === undefined || v === null) return v;
  const t = v.trim();
  return t === '' ? null : t;
}

const offsetOf = (p: Paging) => (p.page - 1) * p.pageSize;

// Orders ---------------------------------------------------------------------------------

export async function listCustomerOrders(
  deps: CustomerServiceDeps,
  options: { access: Access; code: string; paging: Paging },
): Promise<ActivityPage<OrderView>> {
  const { db } = deps.handle;
  const customer = await visibleCustomer(db, options);
  const { rows, total } = await listOrders(db, {
    customerId: Number(customer.id),
    limit: options.paging.pageSize,
    offset: offsetOf(options.paging),
  });
  return { items: rows.map((r) => toOrderView(r, customer.code)), total, ...options.paging };
}

function orderColumns(deps: CustomerServiceDeps, input: OrderInput): Updateable<OrdersTable> {
  const out: Updateable<OrdersTable> = {};
  if (input.orderedAt !== undefined) {
    const { time, date } = wallTime(deps, { field: 'orderedAt', value: input.orderedAt });
    out.ordered_at = time;
    out.order_date = date;
  }
  if (input.amount !== undefined) out.amount = input.amount;
  if (input.cost !== undefined) out.cost = input.cost;
  if (input.quantity !== undefined) out.quantity = input.quantity;
  if (input.product !== undefined) out.product = text(input.product);
  if (input.category !== undefined) out.category = text(input.category);
  if (input.channel !== undefined) out.channel = text(input.channel);
  if (input.status !== undefined) out.status = input.status;
  return out;
}

export async function createOrder(
  deps: CustomerServiceDeps,
  options: {
    access: Access;
    code: string;
    input: OrderInput & { orderedAt: string; amount: number; externalId?: string };
  },
): Promise<OrderView> {
  const { db } = deps.handle;
  const customer = await visibleCustomer(db, options);
  const { input } = options;
  const externalId = text(input.externalId) ?? `api-${crypto.randomUUID()}`;
  if (await orderExternalIdTaken(db, { source: API_SOURCE, externalId })) {
    throw new KeleiError(
      'Conflict',
      {
        en: `an order with external id "${externalId}" already exists`,
        zh: `外部订单号“${externalId}”已存在`,
      },
      { field: 'externalId' },
    );
  }
  const { time, date } = wallTime(deps, { field: 'orderedAt', value: input.orderedAt });
  const id = await insertOrder(db, {
    customer_id: Number(customer.id),
    source: API_SOURCE,
    external_id: externalId,
    ordered_at: time,
    order_date: date,
    amount: input.amount,
    cost: input.cost ?? null,
    quantity: input.quantity ?? null,
    product: text(input.product) ?? null,
    category: text(input.category) ?? null,
    channel: text(input.channel) ?? null,
    status: input.status ?? 'completed',
    import_job_id: null,
    created_at: deps.clock().toISOString(),
  });
  const row = visible(options.access, { row: await findOrder(db, id), entity: 'order', id });
  return toOrderView(row, customer.code);
}

export async function patchOrder(
  deps: CustomerServiceDeps,
  options: { access: Access; id: number; input: OrderInput },
): Promise<OrderView> {
  const { db } = deps.handle;
  const { access, id } = options;
  visible(access, { row: await findOrder(db, id), entity: 'order', id });
  const columns = orderColumns(deps, options.input);
  if (Object.keys(columns).length > 0) await updateOrder(db, id, columns);
  const row = visible(access, { row: await findOrder(db, id), entity: 'order', id });
  return toOrderView(row, row.customer_code);
}

export async function removeOrder(
  deps: CustomerServiceDeps,
  options: { access: Access; id: number },
): Promise<void> {
  const { db } = deps.handle;
  visible(options.access, { row: await findOrder(db, options.id), entity: 'order', id: options.id });
  await deleteOrder(db, options.id);
}

// Interactions ---------------------------------------------------------------------------

export async function listCustomerInteractions(
  deps: CustomerServiceDeps,
  options: { access: Access; code: string; paging: Paging },
): Promise<ActivityPage<InteractionView>> {
  const { db } = deps.handle;
  const customer = await visibleCustomer(db, options);
  const { rows, total } = await listInteractions(db, {
    customerId: Number(customer.id),
    limit: options.paging.pageSize,
    offset: offsetOf(options.paging),
  });
  const view = { code: customer.code, text: textViewFor(options.access.piiView) };
  return { items: rows.map((r) => toInteractionView(r, view)), total, ...options.paging };
}

function interactionColumns(
  deps: CustomerServiceDeps,
  input: InteractionInput,
): Updateable<InteractionsTable> {
  const out: Updateable<InteractionsTable> = {};
  if (input.at !== undefined) {
    const { time, date } = wallTime(deps, { field: 'at', value: input.at });
    out.at = time;
    out.interaction_date = date;
  }
  if (input.channel !== undefined) out.channel = input.channel;
  if (input.direction !== undefined) out.direction = input.direction;
  if (input.subject !== undefined) out.subject = text(input.subject);
  if (input.request !== undefined) out.request = text(input.request);
  if (input.solution !== undefined) out.solution = text(input.solution);
  if (input.outcome !== undefined) out.outcome = text(input.outcome);
  return out;
}

export async function createInteraction(
  deps: CustomerServiceDeps,
  options: { access: Access; code: string; input: InteractionInput },
): Promise<InteractionView> {
  const { db } = deps.handle;
  const customer = await visibleCustomer(db, options);
  const { input, access } = options;
  const { time, date } = wallTime(deps, { field: 'at', value: input.at });
  const id = await insertInteraction(db, {
    customer_id: Number(customer.id),
    external_id: `interactions:api-${crypto.randomUUID()}`,
    at: time,
    interaction_date: date,
    channel: input.channel ?? 'other',
    direction: input.direction ?? null,
    subject: text(input.subject) ?? null,
    request: text(input.request) ?? null,
    solution: text(input.solution) ?? null,
    outcome: text(input.outcome) ?? null,
    user_id: access.principal.userId,
    import_job_id: null,
    created_at: deps.clock().toISOString(),
  });
  const row = visible(access, { row: await findInteraction(db, id), entity: 'interaction', id });
  return toInteractionView(row, { code: customer.code, text: textViewFor(access.piiView) });
}

export async function patchInteraction(
  deps: CustomerServiceDeps,
  options: { access: Access; id: number; input: InteractionInput },
): Promise<InteractionView> {
  const { db } = deps.handle;
  const { access, id } = options;
  visible(access, { row: await findInteraction(db, id), entity: 'interaction', id });
  const columns = interactionColumns(deps, options.input);
  if (Object.keys(columns).length > 0) await updateInteraction(db, id, columns);
  const row = visible(access, { row: await findInteraction(db, id), entity: 'interaction', id });
  return toInteractionView(row, { code: row.customer_code, text: textViewFor(access.piiView) });
}

export async function removeInteraction(
  deps: CustomerServiceDeps,
  options: { access: Access; id: number },
): Promise<void> {
  const { db } = deps.handle;
  visible(options.access, {
    row: await findInteraction(db, options.id),
    entity: 'interaction',
    id: options.id,
  });
  await deleteInteraction(db, options.id);
}

// Feedback -------------------------------------------------------------------------------

export async function listCustomerFeedback(
  deps: CustomerServiceDeps,
  options: { access: Access; code: string; paging: Paging },
): Promise<ActivityPage<FeedbackView>> {
  const { db } = deps.handle;
  const customer = await visibleCustomer(db, options);
  const { rows, total } = await listFeedback(db, {
    customerId: Number(customer.id),
    limit: options.paging.pageSize,
    offset: offsetOf(options.paging),
  });
  const view = { code: customer.code, text: textViewFor(options.access.piiView) };
  return { items: rows.map((r) => toFeedbackView(r, view)), total, ...options.paging };
}

function feedbackColumns(
  deps: CustomerServiceDeps,
  options: { access: Access; input: FeedbackInput },
): Updateable<FeedbackTable> {
  const { input } = options;
  const out: Updateable<FeedbackTable> = {};
  if (input.at !== undefined) {
    const { time, date } = wallTime(deps, { field: 'at', value: input.at });
    out.at = time;
    out.feedback_date = date;
  }
  if (input.kind !== undefined) out.kind = input.kind;
  if (input.satisfaction !== undefined) out.satisfaction = input.satisfaction;
  if (input.nps !== undefined) out.nps = input.nps;
  if (input.comment !== undefined) out.comment = text(input.comment);
  if (input.suggestion !== undefined) out.suggestion = text(input.suggestion);
  if (input.resolution !== undefined) out.resolution = text(input.resolution);
  if (input.status !== undefined) {
    out.status = input.status;
    out.handled_by = input.status === 'handled' ? options.access.principal.userId : null;
  }
  return out;
}

export async function createFeedback(
  deps: CustomerServiceDeps,
  options: { access: Access; code: string; input: FeedbackInput },
): Promise<FeedbackView> {
  const { db } = deps.handle;
  const customer = await visibleCustomer(db, options);
  const { input, access } = options;
  const { time, date } = wallTime(deps, { field: 'at', value: input.at });
  const status = input.status ?? 'open';
  const id = await insertFeedback(db, {
    customer_id: Number(customer.id),
    external_id: `feedback:api-${crypto.randomUUID()}`,
    at: time,
    feedback_date: date,
    kind: input.kind ?? 'feedback',
    satisfaction: input.satisfaction ?? null,
    nps: input.nps ?? null,
    comment: text(input.comment) ?? null,
    suggestion: text(input.suggestion) ?? null,
    status,
    resolution: text(input.resolution) ?? null,
    handled_by: status === 'handled' ? access.principal.userId : null,
    import_job_id: null,
    created_at: deps.clock().toISOString(),
  });
  const row = visible(access, { row: await findFeedback(db, id), entity: 'feedback', id });
  return toFeedbackView(row, { code: customer.code, text: textViewFor(access.piiView) });
}

export async function patchFeedback(
  deps: CustomerServiceDeps,
  options: { access: Access; id: number; input: FeedbackInput },
): Promise<FeedbackView> {
  const { db } = deps.handle;
  const { access, id } = options;
  const before = visible(access, { row: await findFeedback(db, id), entity: 'feedback', id });
  const columns = feedbackColumns(deps, { access, input: options.input });
  // Re-saving a handled item keeps who handled it.
  if (options.input.status === 'handled' && before.status === 'handled') delete columns.handled_by;
  if (Object.keys(columns).length > 0) await updateFeedback(db, id, columns);
  const row = visible(access, { row: await findFeedback(db, id), entity: 'feedback', id });
  return toFeedbackView(row, { code: row.customer_code, text: textViewFor(access.piiView) });
}

export async function removeFeedback(
  deps: CustomerServiceDeps,
  options: { access: Access; id: number },
): Promise<void> {
  const { db } = deps.handle;
  visible(options.access, { row: await findFeedback(db, options.id), entity: 'feedback', id: options.id });
  await deleteFeedback(db, options.id);
}
