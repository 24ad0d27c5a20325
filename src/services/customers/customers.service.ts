import crypto from 'node:crypto';
import { KeleiError } from '../../core/errors.ts';
import { CONTACT_FIELDS, type ContactField } from '../../core/masking.ts';
import {
  type CustomerMatch,
  countActivities,
  customerCodeExists,
  findByBlindIndex,
  findLiveCustomer,
  findMetrics,
  findUserRef,
  insertCustomer,
  loadClassedSchemeKeys,
  loadTagsOf,
  updateCustomerAtVersion,
} from '../../db/customers/customer-records.repository.ts';
import { EMPTY_CUSTOMER_ROW } from '../../db/customers/customers.repository.ts';
import type { DbHandle } from '../../db/database.ts';
import type { CustomerRow, CustomerUpdate } from '../../db/schema.ts';
import { audit } from '../audit/audit.service.ts';
import { explainCustomer } from '../classification/classification.service.ts';
import { schemesFor } from '../dashboard/class-distribution.ts';
import { openContact } from '../privacy/contact-seal.ts';
import type { PiiCipher } from '../privacy/pii-cipher.ts';
import { type TextView, textViewFor } from '../privacy/pii-scrub.ts';
import {
  type CustomerMetricsView,
  type CustomerProfile,
  toMetricsView,
  toProfile,
} from './customer.views.ts';
import { type Access, customerNotFound, inScope, piiForbidden, visibleCustomer } from './customer-access.ts';
import { type CustomerInput, customerColumns, invalidField, normaliseCode } from './customer-input.ts';
import { type ConditionView, conditionsOf } from './explanation-conditions.ts';

export type CustomerServiceDeps = {
  handle: DbHandle;
  cipher: PiiCipher;
  clock: () => Date;
  /** workspace time zone for business dates */
  timeZone: string;
};

// ---------------------------------------------------------------------------------------
// Detail

export type ClassStepView = {
  classKey: string;
  name: { zh: string; en: string };
  rule: string;
  result: boolean | null;
  lines: { zh: string[]; en: string[] };
  /** the same trace as structured conditions with actual values, for display */
  conditions: ConditionView[];
};

export type CustomerClassView = {
  schemeKey: string;
  schemeName: { zh: string; en: string };
  classKey: string;
  className: { zh: string; en: string };
  since: string;
  asOf: string;
  runId: number;
  /** the class the rules give from the run's metrics; normally equal to classKey */
  ruleClassKey: string;
  /** false when today's metrics would put the customer elsewhere (the next run will move them) */
  consistent: boolean;
  /** why, in words: the conditions of the class the customer is in, with actual values */
  why: { zh: string[]; en: string[] };
  steps: ClassStepView[];
  history: { runId: number; from: string | null; to: string; at: string }[];
};

export type CustomerDetail = {
  customer: CustomerProfile;
  metrics: CustomerMetricsView | null;
  classes: CustomerClassView[];
  tags: string[];
  counts: { orders: number; interactions: number; feedback: number };
  /** whether the caller may reveal the masked phone, e-mail and address */
  canReveal: boolean;
  /** other live customers the caller can see with the same phone or e-mail, to merge or correct */
  possibleDuplicates: { code: string; by: 'phone' | 'email' }[];
};

async function profileOf(
  deps: CustomerServiceDeps,
  options: { row: CustomerRow; text: TextView },
): Promise<CustomerProfile> {
  const owner =
    options.row.owner_user_id === null
      ? undefined
      : await findUserRef(deps.handle.db, Number(options.row.owner_user_id));
  return toProfile(options.row, { pii: { cipher: deps.cipher, mode: 'masked' }, text: options.text, owner });
}

/** The customer's class under one scheme with the why, or null when not classified under it. */
async function classViewOf(
  deps: CustomerServiceDeps,
  options: { row: CustomerRow; text: TextView; schemeKey: string },
): Promise<CustomerClassView | null> {
  const { row, text, schemeKey } = options;
  let explained: Awaited<ReturnType<typeof explainCustomer>>;
  try {
    explained = await explainCustomer(deps.handle, { code: row.code, schemeKey });
  } catch (e) {
    if (e instanceof KeleiError && (e.code === 'NotClassified' || e.code === 'SchemeNotFound')) return null;
    throw e;
  }
  const { explanation, storedClass } = explained;
  const steps = explanation.steps.map(
    (s): ClassStepView => ({
      classKey: s.classKey,
      name: s.name,
      rule: text(s.rule) ?? '',
      result: s.result,
      lines: { zh: s.lines.zh.map((l) => text(l) ?? ''), en: s.lines.en.map((l) => text(l) ?? '') },
      conditions: conditionsOf(s.trace, text),
    }),
  );
  const stored = steps.find((s) => s.classKey === storedClass);
  const matched = steps.find((s) => s.classKey === explanation.classKey);
  return {
    schemeKey: explained.schemeKey,
    schemeName: explained.schemeName,
    classKey: storedClass,
    className:
      stored?.name ??
      (storedClass === explanation.classKey ? explanation.name : { zh: storedClass, en: storedClass }),
    since: explained.since,
    asOf: explained.asOf,
    runId: explained.runId,
    ruleClassKey: explanation.classKey,
    consistent: storedClass === explanation.classKey,
    why: matched?.lines ?? { zh: [], en: [] },
    steps,
    history: explained.history,
  };
}

async function classViews(
  deps: CustomerServiceDeps,
  options: { row: CustomerRow; text: TextView },
): Promise<CustomerClassView[]> {
  const out: CustomerClassView[] = [];
  for (const schemeKey of await loadClassedSchemeKeys(deps.handle.db, Number(options.row.id))) {
    const view = await classViewOf(deps, { ...options, schemeKey });
    if (view) out.push(view);
  }
  return out;
}

/** One active scheme and the customer's class under it (null when not classified yet). */
export type SchemeClassView = {
  schemeKey: string;
  schemeName: { zh: string; en: string };
  /** the class's colour in the scheme's current definition */
  color: string | null;
  view: CustomerClassView | null;
};

export type CustomerClasses = { code: string; name: string | null; schemes: SchemeClassView[] };

/**
 * The customer's class under every active scheme, with the same views (and the same
 * scrubbing of free text for callers without `pii.view`) as the customer detail.
 */
export async function getCustomerClasses(
  deps: CustomerServiceDeps,
  options: { access: Access; code: string },
): Promise<CustomerClasses> {
  const row = await visibleCustomer(deps.handle.db, options);
  const text = textViewFor(options.access.piiView);
  const schemes: SchemeClassView[] = [];
  for (const scheme of await schemesFor(deps.handle, { now: deps.clock() })) {
    const view = await classViewOf(deps, { row, text, schemeKey: scheme.key });
    const color = view
      ? (scheme.definition.classes.find((c) => c.key === view.classKey)?.color ?? null)
      : null;
    schemes.push({
      schemeKey: scheme.key,
      schemeName: view?.schemeName ?? scheme.definition.name,
      color,
      view,
    });
  }
  return { code: row.code, name: text(row.name), schemes };
}

/** Profile, metrics, classes with their explanation and history, tags and activity counts. */
export async function getCustomerDetail(
  deps: CustomerServiceDeps,
  options: { access: Access; code: string },
): Promise<CustomerDetail> {
  const { db } = deps.handle;
  const row = await visibleCustomer(db, options);
  const text = textViewFor(options.access.piiView);
  const id = Number(row.id);
  const [customer, metrics, classes, tags, counts, sharing] = await Promise.all([
    profileOf(deps, { row, text }),
    findMetrics(db, id),
    classViews(deps, { row, text }),
    loadTagsOf(db, id),
    countActivities(db, id),
    findByBlindIndex(db, { phoneIdx: row.phone_idx, emailIdx: row.email_idx, excludeId: id }),
  ]);
  return {
    customer,
    metrics: metrics ? toMetricsView(metrics) : null,
    classes,
    tags: tags.map((t) => t.name),
    counts,
    canReveal: options.access.piiView,
    possibleDuplicates: sharing
      .filter((m) => inScope(options.access, m.owner_user_id))
      .map((m) => ({ code: m.code, by: m.by })),
  };
}

// ---------------------------------------------------------------------------------------
// Create and update

async function ownerFor(
  deps: CustomerServiceDeps,
  options: { access: Access; requested: number | null | undefined },
): Promise<number | null | undefined> {
  const { access, requested } = options;
  if (access.ownerId !== undefined) {
    // Own-scope callers cannot give a customer away, or leave it without an owner.
    if (requested !== undefined && requested !== access.ownerId) {
      throw new KeleiError('Forbidden', {
        en: 'you may only assign customers to yourself',
        zh: '只能把客户分配给自己',
      });
    }
    return access.ownerId;
  }
  if (requested === undefined || requested === null) return requested;
  if (!(await findUserRef(deps.handle.db, requested))) {
    throw invalidField('ownerUserId', {
      en: `no user with id ${requested}`,
      zh: `不存在 id 为 ${requested} 的用户`,
    });
  }
  return requested;
}

/**
 * Other live customers that share the phone or e-mail about to be written. One the
 * caller can see answers 409 with its code. One outside an own-scope caller's reach
 * does not stop the write: refusing would tell them that a customer they cannot see
 * has this phone (a membership oracle), so the write goes through and the caller gets
 * the matches back, to flag for a manager ({@link flagPossibleDuplicates}).
 */
async function unseenDuplicates(
  deps: CustomerServiceDeps,
  options: { access: Access; columns: CustomerUpdate; excludeId?: number },
): Promise<CustomerMatch[]> {
  const { columns, access } = options;
  const matches = await findByBlindIndex(deps.handle.db, {
    phoneIdx: columns.phone_idx,
    emailIdx: columns.email_idx,
    excludeId: options.excludeId,
  });
  const seen = matches.find((m) => inScope(access, m.owner_user_id));
  if (seen) {
    const what =
      seen.by === 'phone' ? { en: 'phone number', zh: '电话' } : { en: 'e-mail address', zh: '邮箱' };
    throw new KeleiError(
      'Conflict',
      {
        en: `another customer (${seen.code}) already has this ${what.en}`,
        zh: `已有其他客户（${seen.code}）使用此${what.zh}`,
      },
      { field: seen.by, existingCode: seen.code },
    );
  }
  return matches;
}

/**
 * Records that `code` now shares a phone or e-mail with customers its writer cannot
 * see: one audit row naming both sides (never the value), and the customer detail of a
 * role that sees both lists them (`possibleDuplicates`), for a manager to resolve.
 */
async function flagPossibleDuplicates(
  deps: CustomerServiceDeps,
  options: { access: Access; code: string; matches: readonly CustomerMatch[] },
): Promise<void> {
  if (options.matches.length === 0) return;
  await audit(deps.handle.db, {
    actor: options.access.principal.username,
    action: 'customer.possible-duplicate',
    entity: 'customer',
    entityId: options.code,
    details: { matches: options.matches.map((m) => ({ code: m.code, by: m.by })) },
    at: deps.clock(),
  });
}

/** Customer codes an own-scope caller may not choose: a taken code outside their reach would answer 409 and leak. */
function codeAssignedByServer(access: Access, requested: string | undefined): void {
  if (access.ownerId === undefined || requested === undefined) return;
  throw new KeleiError(
    'Forbidden',
    {
      en: 'your role does not choose customer codes: leave code out and one is assigned',
      zh: '您的角色不能指定客户编号：请不填编号，系统会自动分配',
    },
    { field: 'code' },
  );
}

function codeTaken(code: string): KeleiError {
  return new KeleiError(
    'Conflict',
    { en: `customer code "${code}" is already in use`, zh: `客户编号“${code}”已被使用` },
    { field: 'code' },
  );
}

async function newCode(deps: CustomerServiceDeps): Promise<string> {
  const day = deps.clock().toISOString().slice(0, 10).replace(/-/g, '');
  for (let i = 0; i < 10; i++) {
    const code = `C${day}${crypto.randomInt(0, 1_000_000).toString().padStart(6, '0')}`;
    if (!(await customerCodeExists(deps.handle.db, code))) return code;
  }
  throw new KeleiError('Conflict', {
    en: 'could not pick a free customer code; give one explicitly',
    zh: '无法生成未使用的客户编号，请手动指定',
  });
}

/** Which inputs were given, by name (for the audit log: never values). */
function givenFields(input: object): string[] {
  return Object.entries(input)
    .filter(([, v]) => v !== undefined)
    .map(([k]) => k)
    .sort();
}

/**
 * Creates a customer: PII encrypted with its blind index, the owner and the code
 * decided for own-scope roles, duplicates by code, or by a phone or e-mail the caller
 * can see, refused (409); one the caller cannot see is flagged, not refused.
 */
export async function createCustomer(
  deps: CustomerServiceDeps,
  options: { access: Access; input: CustomerInput & { code?: string } },
): Promise<CustomerProfile> {
  const { access, input } = options;
  const { db } = deps.handle;
  const { code: requestedCode, ownerUserId, ...fields } = input;
  const columns = customerColumns(fields, { cipher: deps.cipher, timeZone: deps.timeZone });
  const owner = await ownerFor(deps, { access, requested: ownerUserId });
  codeAssignedByServer(access, requestedCode);
  const code = requestedCode === undefined ? await newCode(deps) : normaliseCode(requestedCode);
  if (await customerCodeExists(db, code)) throw codeTaken(code);
  const unseen = await unseenDuplicates(deps, { access, columns });
  const now = deps.clock().toISOString();
  try {
    await insertCustomer(db, {
      ...EMPTY_CUSTOMER_ROW,
      ...columns,
      owner_user_id: owner ?? null,
      code,
      created_at: now,
      updated_at: now,
    });
  } catch (e) {
    // Two creates of one code at once: the unique index refuses the second.
    if (await customerCodeExists(db, code)) throw codeTaken(code);
    throw e;
  }
  await audit(db, {
    actor: access.principal.username,
    action: 'customer.create',
    entity: 'customer',
    entityId: code,
    details: { fields: givenFields(input) },
    at: deps.clock(),
  });
  await flagPossibleDuplicates(deps, { access, code, matches: unseen });
  const row = await findLiveCustomer(db, code);
  if (!row) throw customerNotFound(code);
  return profileOf(deps, { row, text: textViewFor(access.piiView) });
}

function staleVersion(current: CustomerProfile): KeleiError {
  return new KeleiError(
    'Conflict',
    {
      en: `customer ${current.code} was changed by someone else (now version ${current.version}); reload and apply your change again`,
      zh: `客户 ${current.code} 已被他人修改（当前版本 ${current.version}），请刷新后重新修改`,
    },
    { currentVersion: current.version, current },
  );
}

/**
 * Changes a customer when `version` is still current (optimistic locking): 409 with
 * the current record otherwise, so the caller can show what changed.
 */
export async function updateCustomer(
  deps: CustomerServiceDeps,
  options: { access: Access; code: string; version: number; input: CustomerInput },
): Promise<CustomerProfile> {
  const { access, code, version, input } = options;
  const { db } = deps.handle;
  const text = textViewFor(access.piiView);
  const row = await visibleCustomer(db, { access, code });
  if (Number(row.version) !== version) throw staleVersion(await profileOf(deps, { row, text }));
  const { ownerUserId, ...fields } = input;
  const columns = customerColumns(fields, { cipher: deps.cipher, timeZone: deps.timeZone });
  if (ownerUserId !== undefined) {
    const owner = await ownerFor(deps, { access, requested: ownerUserId });
    columns.owner_user_id = owner ?? null;
  }
  const unseen = await unseenDuplicates(deps, { access, columns, excludeId: Number(row.id) });
  const updated = await updateCustomerAtVersion(db, {
    id: Number(row.id),
    version,
    changes: columns,
    now: deps.clock().toISOString(),
  });
  if (!updated) {
    const current = await findLiveCustomer(db, code);
    if (!current || !inScope(access, current.owner_user_id)) throw customerNotFound(code);
    throw staleVersion(await profileOf(deps, { row: current, text }));
  }
  await audit(db, {
    actor: access.principal.username,
    action: 'customer.update',
    entity: 'customer',
    entityId: code,
    details: { fields: givenFields(input), version: version + 1 },
    at: deps.clock(),
  });
  await flagPossibleDuplicates(deps, { access, code, matches: unseen });
  const after = await findLiveCustomer(db, code);
  if (!after) throw customerNotFound(code);
  return profileOf(deps, { row: after, text });
}

// ---------------------------------------------------------------------------------------
// Reveal

export type PiiField = ContactField;
export const PII_FIELDS: readonly PiiField[] = CONTACT_FIELDS;

export type RevealedPii = {
  code: string;
  phone?: string | null;
  email?: string | null;
  address?: string | null;
};

/** The unmasked phone, e-mail and address of one customer; every reveal is one audit row. */
export async function revealPii(
  deps: CustomerServiceDeps,
  options: { access: Access; code: string; fields?: readonly PiiField[] },
): Promise<RevealedPii> {
  const { access, code } = options;
  if (!access.piiView) throw piiForbidden({ en: 'revealing personal data', zh: '查看完整个人信息' });
  const row = await visibleCustomer(deps.handle.db, { access, code });
  const fields = [...new Set(options.fields?.length ? options.fields : PII_FIELDS)];
  await audit(deps.handle.db, {
    actor: access.principal.username,
    action: 'pii.reveal',
    entity: 'customer',
    entityId: row.code,
    details: { fields },
    at: deps.clock(),
  });
  const stored = { phone: row.phone_enc, email: row.email_enc, address: row.address_enc };
  const out: RevealedPii = { code: row.code };
  for (const f of fields) {
    out[f] = openContact(deps.cipher, { field: f, stored: stored[f], mode: 'plain', customer: row.code });
  }
  return out;
}
