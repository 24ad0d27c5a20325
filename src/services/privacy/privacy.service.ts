import { allFeedbackOf, allInteractionsOf, allOrdersOf } from '../../db/activities/activities.repository.ts';
import {
  anonymiseCustomer,
  type ClassChangeRow,
  type CurrentClassRow,
  type CustomerTag,
  countActivities,
  findAnyCustomer,
  findMetrics,
  findUserRef,
  loadAllClassChanges,
  loadCurrentClassesOf,
  loadTagsOf,
  loadTasksOf,
  type TaskRecord,
} from '../../db/customers/customer-records.repository.ts';
import { audit } from '../audit/audit.service.ts';
import type { Principal } from '../auth/policy.ts';
import {
  type FeedbackView,
  type InteractionView,
  type OrderView,
  toFeedbackView,
  toInteractionView,
  toOrderView,
} from '../customers/activities.service.ts';
import {
  type CustomerMetricsView,
  type CustomerProfile,
  toMetricsView,
  toProfile,
} from '../customers/customer.views.ts';
import { customerNotFound } from '../customers/customer-access.ts';
import type { CustomerServiceDeps } from '../customers/customers.service.ts';

/** The name an erased customer keeps, so lists and reports still read sensibly. */
export const ERASED_NAME = '已删除客户';

/** Everything held on one customer (PIPL Art. 45, GDPR Art. 15/20), PII decrypted. */
export type CustomerDataExport = {
  exportedAt: string;
  customer: CustomerProfile;
  metrics: CustomerMetricsView | null;
  classes: CurrentClassRow[];
  classHistory: ClassChangeRow[];
  tags: CustomerTag[];
  orders: OrderView[];
  interactions: InteractionView[];
  feedback: FeedbackView[];
  tasks: TaskRecord[];
};

const plainText = (text: string | null) => text;

/**
 * One customer's data as JSON for a data subject access request; written to the audit
 * log (who, which customer) before it is returned. Erased customers export what is left.
 */
export async function exportCustomerData(
  deps: CustomerServiceDeps,
  options: { principal: Principal; code: string },
): Promise<CustomerDataExport> {
  const { db } = deps.handle;
  const row = await findAnyCustomer(db, options.code);
  if (!row) throw customerNotFound(options.code);
  const id = Number(row.id);
  const owner = row.owner_user_id === null ? undefined : await findUserRef(db, Number(row.owner_user_id));
  const [metrics, classes, classHistory, tags, orders, interactions, feedback, tasks] = await Promise.all([
    findMetrics(db, id),
    loadCurrentClassesOf(db, id),
    loadAllClassChanges(db, id),
    loadTagsOf(db, id),
    allOrdersOf(db, id),
    allInteractionsOf(db, id),
    allFeedbackOf(db, id),
    loadTasksOf(db, id),
  ]);
  const now = deps.clock();
  await audit(db, {
    actor: options.principal.username,
    action: 'privacy.export',
    entity: 'customer',
    entityId: row.code,
    details: { orders: orders.length, interactions: interactions.length, feedback: feedback.length },
    at: now,
  });
  const view = { code: row.code, text: plainText };
  return {
    exportedAt: now.toISOString(),
    customer: toProfile(row, { pii: { cipher: deps.cipher, mode: 'plain' }, text: plainText, owner }),
    metrics: metrics ? toMetricsView(metrics) : null,
    classes,
    classHistory,
    tags,
    orders: orders.map((o) => toOrderView(o, row.code)),
    interactions: interactions.map((i) => toInteractionView(i, view)),
    feedback: feedback.map((f) => toFeedbackView(f, view)),
    tasks,
  };
}

export type EraseResult = {
  code: string;
  erasedAt: string;
  /** true when the customer had been erased before: nothing was changed */
  alreadyErased: boolean;
  /** what was kept, anonymised, for statistics */
  kept: { orders: number; interactions: number; feedback: number };
  /**
   * Whether the erased bytes are gone from the database files: 'pending' while another
   * connection's open read holds the engine back; Kelei then keeps trying in the
   * background until it is done.
   */
  purge: 'complete' | 'pending';
};

/** The tables an erase rewrites, whose freed space is purged afterwards. */
const ERASED_TABLES = ['customers', 'interactions', 'feedback', 'tasks', 'customer_tags'] as const;
const PURGE_RETRY_MS = 2_000;
const PURGE_GIVE_UP_MS = 30 * 60_000;

/**
 * Purges the freed pages of an erase, finishing in the background when a reader holds
 * it up: `await purgeErased(handle)` → 'complete' | 'pending'.
 */
async function purgeErased(handle: CustomerServiceDeps['handle']): Promise<'complete' | 'pending'> {
  const purge = () => handle.caps.purgeFreedPages(handle.db, { tables: ERASED_TABLES });
  const first = await purge();
  if (first === 'pending') {
    const giveUp = Date.now() + PURGE_GIVE_UP_MS;
    const retry = () => {
      const timer = setTimeout(async () => {
        // A purge that fails (the database was closed) ends the retries; only a busy one waits again.
        const done = await purge().catch(() => 'failed' as const);
        if (done === 'pending' && Date.now() < giveUp) retry();
      }, PURGE_RETRY_MS);
      timer.unref();
    };
    retry();
  }
  return first;
}

/**
 * Erases a customer's personal data (PIPL Art. 47, GDPR Art. 17) in one transaction:
 * phone, e-mail, address (ciphertext and blind index), birth date, age, gender, place,
 * every descriptive field (industry, source, habits, preference…), custom attributes,
 * free text of interactions, feedback and tasks, and tags go; the name becomes
 * ERASED_NAME; orders, metrics and classes stay for statistics. Audited.
 */
export async function eraseCustomer(
  deps: CustomerServiceDeps,
  options: { principal: Principal; code: string },
): Promise<EraseResult> {
  const { db } = deps.handle;
  const row = await findAnyCustomer(db, options.code);
  if (!row) throw customerNotFound(options.code);
  const id = Number(row.id);
  const kept = () => countActivities(db, id);
  if (row.erased_at !== null) {
    return {
      code: row.code,
      erasedAt: row.erased_at,
      alreadyErased: true,
      kept: await kept(),
      purge: await purgeErased(deps.handle),
    };
  }
  const now = deps.clock();
  const erasedAt = now.toISOString();
  await db.transaction().execute(async (trx) => {
    await anonymiseCustomer(trx, { id, placeholderName: ERASED_NAME, now: erasedAt });
    await audit(trx, {
      actor: options.principal.username,
      action: 'customer.erase',
      entity: 'customer',
      entityId: row.code,
      at: now,
    });
  });
  const purge = await purgeErased(deps.handle);
  const after = await findAnyCustomer(db, options.code);
  return {
    code: row.code,
    erasedAt: after?.erased_at ?? erasedAt,
    alreadyErased: false,
    kept: await kept(),
    purge,
  };
}
