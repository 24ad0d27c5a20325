/**
 * The customer list: a page of customers matching quick filters and a rule, in the order asked for
 * (docs/web.md, docs/api.md).
 */

import type { Expression, SqlBool } from 'kysely';
import { KeleiError } from '../../core/errors.ts';
import { fieldNames, findField } from '../../core/fields.ts';
import {
  collectStatRefs,
  compileRule,
  nearestName,
  printRule,
  type StatValues,
  type VectorRule,
  vectorRule,
  walkRule,
} from '../../core/rules/index.ts';
import { unknownSchemeArgument } from '../../core/schemes/scheme.errors.ts';
import {
  type CustomerListFilter,
  type CustomerListSort,
  customerListRows,
  listCustomerPage,
  loadClassKeys,
} from '../../db/customers/customer-list.repository.ts';
import type { DbHandle } from '../../db/database.ts';
import { ruleToSql } from '../../db/rule-sql.ts';
import { findSchemeByKey } from '../../db/schemes/schemes.repository.ts';
import { contactIndex } from '../privacy/contact-seal.ts';
import type { PiiCipher } from '../privacy/pii-cipher.ts';
import { scrubText, textViewFor } from '../privacy/pii-scrub.ts';
import { emailOut, type OwnerView, phoneOut } from './customer.views.ts';
import { type Access, piiForbidden } from './customer-access.ts';
import { invalidField, normaliseEmail, normalisePhone } from './customer-input.ts';
import { indexCanSort, pageFromIndex } from './customer-list.index.ts';
import type { CustomerServiceDeps } from './customers.service.ts';
import { filterStats } from './filter-stats.ts';

export type CustomerListQuery = {
  page: number;
  pageSize: number;
  sort?: string;
  dir?: 'asc' | 'desc';
  filter?: string;
  q?: string;
  phone?: string;
  email?: string;
  scheme?: string;
  classKey?: string;
  tag?: string;
  region?: string;
  owner?: number | 'me';
};

export type KeyMetrics = {
  orderCount: number;
  totalAmount: number;
  avgOrderAmount: number | null;
  lastOrderDate: string | null;
  recencyDays: number | null;
  totalAmount365d: number;
};

export type CustomerListItem = {
  code: string;
  name: string | null;
  kind: string;
  gender: string | null;
  region: string | null;
  city: string | null;
  owner: OwnerView | null;
  phone: string | null;
  email: string | null;
  /** null until the customer's first classification run */
  metrics: KeyMetrics | null;
  /** scheme key → current class key */
  classes: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  version: number;
};

export type CustomerPage = { items: CustomerListItem[]; total: number; page: number; pageSize: number };

const SORTABLE_EXTRA = ['created_at', 'updated_at'] as const;

function resolveSort(access: Access, sort: string | undefined, dir: 'asc' | 'desc' | undefined) {
  if (sort === undefined) return { source: 'c', column: 'created_at', dir: dir ?? 'desc' } as const;
  if ((SORTABLE_EXTRA as readonly string[]).includes(sort)) {
    return { source: 'c', column: sort, dir: dir ?? 'asc' } as const;
  }
  const field = findField(sort);
  if (!field) {
    const suggestion = nearestName(sort, [...fieldNames(), ...SORTABLE_EXTRA]);
    const shown = scrubText(sort);
    throw new KeleiError(
      'InvalidArgument',
      {
        en: `cannot sort by unknown field "${shown}"${suggestion ? `; did you mean "${suggestion}"?` : ''}`,
        zh: `无法按未知字段“${shown}”排序${suggestion ? `；是否想用“${suggestion}”？` : ''}`,
      },
      { field: 'sort', ...(suggestion ? { suggestion } : {}) },
    );
  }
  if (field.pii && !access.piiView) {
    throw piiForbidden({ en: `sorting by ${field.key}`, zh: `按${field.zh}排序` });
  }
  return {
    source: field.source === 'customer' ? 'c' : 'm',
    column: field.column ?? field.key,
    dir: dir ?? 'asc',
  } as const;
}

/** A list filter in the rule language, compiled to SQL with its population statistics. */
async function compileFilter(
  handle: DbHandle,
  options: { access: Access; text: string },
): Promise<{ sql: Expression<SqlBool>; vector: VectorRule | undefined; stats: StatValues; key: string }> {
  const compiled = compileRule(options.text);
  if (!compiled.ok) {
    // Messages may quote the rule's literals; callers without pii.view get them scrubbed.
    const text = textViewFor(options.access.piiView);
    const e = compiled.error;
    const message = { en: text(e.message.en) ?? '', zh: text(e.message.zh) ?? '' };
    const at =
      e.line > 0
        ? { en: `line ${e.line}, column ${e.column}: `, zh: `第 ${e.line} 行第 ${e.column} 列：` }
        : null;
    throw new KeleiError(
      'InvalidRule',
      { en: `filter ${at?.en ?? ''}${message.en}`, zh: `筛选条件${at?.zh ?? ''}${message.zh}` },
      { ...e, message },
    );
  }
  if (!options.access.piiView) {
    const piiFields = new Set<string>();
    walkRule(compiled.ast, (e) => {
      const key = e.kind === 'field' ? e.key : e.kind === 'stat' ? e.stat.field : undefined;
      if (key !== undefined && findField(key)?.pii) piiFields.add(key);
    });
    if (piiFields.size > 0) {
      const names = [...piiFields];
      throw piiForbidden({
        en: `filtering on ${names.join(', ')}`,
        zh: `按${names.map((k) => findField(k)?.zh ?? k).join('、')}筛选`,
      });
    }
  }
  const refs = collectStatRefs(compiled.ast);
  const stats = await filterStats(handle, { viewer: options.access.principal, refs });
  return {
    sql: ruleToSql(compiled.ast, { caps: handle.caps, stats }),
    vector: vectorRule(compiled.ast),
    stats,
    key: printRule(compiled.ast, { locale: 'key' }),
  };
}

/** The sort as the index names it: a field's key, or a customer column (created_at when none is given). */
function sortKeyOf(sort: string | undefined): string {
  if (sort === undefined) return 'created_at';
  return findField(sort)?.key ?? sort;
}

function blank(v: string | undefined): string | undefined {
  const t = v?.trim();
  return t ? t : undefined;
}

/**
 * One page of the customers the caller may see, filtered by rule, text, exact phone or
 * e-mail (through the blind index), class, tag, region and owner, sorted with ties by id.
 */
export async function listCustomers(
  deps: CustomerServiceDeps,
  options: { access: Access; query: CustomerListQuery },
): Promise<CustomerPage> {
  const { handle, cipher } = deps;
  const { access, query } = options;
  const phone = blank(query.phone);
  const email = blank(query.email);
  if ((phone !== undefined || email !== undefined) && !access.piiView) {
    throw piiForbidden({ en: 'searching by phone or e-mail', zh: '按电话或邮箱搜索' });
  }
  const sort: CustomerListSort = resolveSort(access, blank(query.sort), query.dir);
  const filter: CustomerListFilter = { scopeOwnerId: access.ownerId };
  if (phone !== undefined) {
    const normalised = normalisePhone(phone);
    filter.phoneIdx = normalised === null ? '' : contactIndex(cipher, normalised);
  }
  if (email !== undefined) {
    const normalised = normaliseEmail(email);
    filter.emailIdx = normalised === null ? '' : contactIndex(cipher, normalised);
  }
  const text = blank(query.q);
  if (text !== undefined) {
    filter.text = text;
    // A phone or e-mail typed into the search box finds its owner, for callers who may search by PII.
    if (access.piiView) filter.textBlindIndexes = searchIndexes(cipher, text);
  }
  const schemeKey = blank(query.scheme);
  const classKey = blank(query.classKey);
  if (classKey !== undefined && schemeKey === undefined) {
    throw invalidField('classKey', {
      en: 'needs scheme (a class key is only meaningful within a scheme)',
      zh: '需要同时指定 scheme（类别只在某个分类方案内有意义）',
    });
  }
  if (schemeKey !== undefined) {
    const scheme = await findSchemeByKey(handle.db, schemeKey);
    if (!scheme) {
      throw unknownSchemeArgument({ key: schemeKey, field: 'scheme' });
    }
    filter.schemeId = scheme.id;
    filter.classKey = classKey;
  }
  filter.tag = blank(query.tag);
  filter.region = blank(query.region);
  if (query.owner !== undefined)
    filter.ownerUserId = query.owner === 'me' ? access.principal.userId : query.owner;
  const filterText = blank(query.filter);
  const rule =
    filterText === undefined ? undefined : await compileFilter(handle, { access, text: filterText });
  if (rule) filter.rule = rule.sql;

  const limit = query.pageSize;
  const offset = (query.page - 1) * query.pageSize;
  const sortKey = sortKeyOf(blank(query.sort));
  // Filters the in-memory index holds columns for are answered from it while it is
  // current; text, phone and e-mail searches, and rules it cannot evaluate exactly, go
  // to the database.
  const indexed =
    filter.text === undefined &&
    filter.phoneIdx === undefined &&
    filter.emailIdx === undefined &&
    (rule === undefined || rule.vector !== undefined) &&
    indexCanSort(sortKey)
      ? await pageFromIndex(handle, {
          ...(rule?.vector ? { rule: { vector: rule.vector, stats: rule.stats, key: rule.key } } : {}),
          scopeOwnerId: filter.scopeOwnerId,
          ownerUserId: filter.ownerUserId,
          region: filter.region,
          schemeId: filter.schemeId,
          classKey: filter.classKey,
          tag: filter.tag,
          sortKey,
          dir: sort.dir,
          limit,
          offset,
        })
      : undefined;
  const { rows, total } = indexed
    ? { rows: await customerListRows(handle.db, indexed.ids), total: indexed.total }
    : await listCustomerPage(handle.db, handle.caps, { filter, sort, limit, offset });
  const classes = await loadClassKeys(
    handle.db,
    rows.map((r) => r.id),
  );
  const view = textViewFor(access.piiView);
  const pii = { cipher, mode: 'masked' } as const;
  const items = rows.map(
    (r): CustomerListItem => ({
      code: r.code,
      name: view(r.name),
      kind: r.kind,
      gender: r.gender,
      region: r.region,
      city: r.city,
      owner:
        r.owner_user_id === null
          ? null
          : { id: r.owner_user_id, username: r.owner_username, displayName: r.owner_display_name },
      phone: phoneOut(pii, r.phone_enc, r.code),
      email: emailOut(pii, r.email_enc, r.code),
      metrics:
        r.order_count === null
          ? null
          : {
              orderCount: Number(r.order_count),
              totalAmount: Number(r.total_amount),
              avgOrderAmount: r.avg_order_amount === null ? null : Number(r.avg_order_amount),
              lastOrderDate: r.last_order_date,
              recencyDays: r.recency_days === null ? null : Number(r.recency_days),
              totalAmount365d: Number(r.total_amount_365d),
            },
      classes: classes.get(r.id) ?? {},
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      version: r.version,
    }),
  );
  return { items, total, page: query.page, pageSize: query.pageSize };
}

function searchIndexes(cipher: PiiCipher, text: string): string[] {
  const out: string[] = [];
  if (/^[\d\s+()-]{7,}$/.test(text)) {
    try {
      const phone = normalisePhone(text);
      if (phone) out.push(contactIndex(cipher, phone));
    } catch {
      // Not a phone number after all: the text search alone applies.
    }
  }
  if (text.includes('@')) {
    try {
      const email = normaliseEmail(text);
      if (email) out.push(contactIndex(cipher, email));
    } catch {
      // Not an e-mail address.
    }
  }
  return out;
}
