import {
  type CompiledScheme,
  classifyPopulation,
  compileScheme,
  type Explanation,
  explainClass,
} from '../../core/classify.ts';
import { KeleiError } from '../../core/errors.ts';
import { FIELDS } from '../../core/fields.ts';
import { computeMetrics } from '../../core/metrics.ts';
import { scorePopulation } from '../../core/population-scores.ts';
import type { RuleRow, StatValues } from '../../core/rules/index.ts';
import { BUILTIN_SCHEMES } from '../../core/schemes/builtin.schemes.ts';
import type { SchemeDefinition } from '../../core/schemes/scheme.ts';
import {
  type ClassHistoryEntry,
  findLatestRun,
  insertRun,
  loadClassHistory,
  loadCurrentClasses,
  writeClasses,
} from '../../db/classification.repository.ts';
import type { DbHandle } from '../../db/connect.ts';
import {
  findCustomerByCode,
  loadCustomerAttributes,
  loadCustomerTags,
} from '../../db/customers.repository.ts';
import {
  loadAggregates,
  replaceMetrics,
  type ScoredMetrics,
  toMetricsRow,
} from '../../db/metrics.repository.ts';
import type { ClassChangesTable, CustomerClassesTable, MetricsRow } from '../../db/schema.ts';
import {
  findSchemeByKey,
  listSchemes,
  publishSchemeVersion,
  type StoredScheme,
} from '../../db/schemes.repository.ts';

/** Key used in transition matrices for customers who had no class before. */
export const NO_PREVIOUS_CLASS = '(none)';

export type Transitions = Record<string, Record<string, number>>;

export type RunSummary = {
  schemeKey: string;
  schemeName: { zh: string; en: string };
  runId: number | null;
  asOf: string;
  population: number;
  /** class key → customers, in the scheme's class order */
  counts: Record<string, number>;
  classNames: Record<string, { zh: string; en: string }>;
  transitions: Transitions;
  changed: number;
};

/** Creates the four built-in schemes (version 1) when they are missing. */
export async function ensureBuiltinSchemes(handle: DbHandle, now: string): Promise<void> {
  for (const definition of BUILTIN_SCHEMES) {
    if (await findSchemeByKey(handle.db, definition.key)) continue;
    await publishSchemeVersion(handle.db, { definition, builtin: true, by: 'system', now });
  }
}

type Population = {
  metrics: ScoredMetrics[];
  rows: RuleRow[];
  tags: Map<number, Set<string>>;
};

/** Metrics, population scores and rule rows of every customer as of `asOf`, in memory. */
async function computePopulation(handle: DbHandle, asOf: string): Promise<Population> {
  const [aggregates, attributes, tags] = await Promise.all([
    loadAggregates(handle.db, { asOf }),
    loadCustomerAttributes(handle.db),
    loadCustomerTags(handle.db),
  ]);
  const base = aggregates.map((a) => computeMetrics(a, asOf));
  const scores = scorePopulation(
    base.map((m) => ({
      ...m,
      companySize: (attributes.get(m.customerId)?.company_size as string | null) ?? null,
    })),
  );
  const metrics: ScoredMetrics[] = base.map((m, i) => ({ ...m, ...scores[i] }));
  const rows = metrics.map((m) => ruleRowOf(attributes.get(m.customerId) ?? {}, toMetricsRow(m, '')));
  return { metrics, rows, tags };
}

/** The rule row of one customer: customer attributes and metric columns by field key. */
export function ruleRowOf(
  attributes: Record<string, unknown>,
  metrics: Partial<MetricsRow> | undefined,
): RuleRow {
  const row: Record<string, string | number | null> = {};
  for (const f of FIELDS) {
    const column = f.column ?? f.key;
    const source: Record<string, unknown> | undefined = f.source === 'customer' ? attributes : metrics;
    const v = source?.[column];
    row[f.key] = v === undefined || v === null ? null : typeof v === 'number' ? v : String(v);
  }
  return row;
}

function compileOrThrow(definition: SchemeDefinition): CompiledScheme {
  const compiled = compileScheme(definition);
  if (!compiled.ok) {
    const first = compiled.errors[0];
    throw new KeleiError(
      'InvalidScheme',
      {
        en: `scheme ${definition.key}, class ${first.classKey}: ${first.error.message.en}`,
        zh: `分类方案 ${definition.key} 的类别 ${first.classKey}：${first.error.message.zh}`,
      },
      compiled.errors,
    );
  }
  return compiled.scheme;
}

function countClasses(scheme: CompiledScheme, classKeys: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const c of scheme.classes) counts[c.def.key] = 0;
  for (const k of classKeys) counts[k] = (counts[k] ?? 0) + 1;
  return counts;
}

function transitionsOf(
  customerIds: readonly number[],
  classKeys: readonly string[],
  previous: Map<number, { classKey: string }>,
): { transitions: Transitions; changed: number } {
  const transitions: Transitions = {};
  let changed = 0;
  customerIds.forEach((id, i) => {
    const from = previous.get(id)?.classKey ?? NO_PREVIOUS_CLASS;
    const to = classKeys[i];
    transitions[from] ??= {};
    transitions[from][to] = (transitions[from][to] ?? 0) + 1;
    if (from !== to) changed++;
  });
  return { transitions, changed };
}

async function resolveSchemes(
  handle: DbHandle,
  keys: readonly string[] | undefined,
): Promise<StoredScheme[]> {
  if (!keys || keys.length === 0) return listSchemes(handle.db, { activeOnly: true });
  const out: StoredScheme[] = [];
  for (const key of keys) {
    const s = await findSchemeByKey(handle.db, key);
    if (!s) throw schemeNotFound(key);
    out.push(s);
  }
  return out;
}

function schemeNotFound(key: string): KeleiError {
  return new KeleiError('SchemeNotFound', {
    en: `no classification scheme "${key}"`,
    zh: `没有名为“${key}”的分类方案`,
  });
}

function classNamesOf(definition: SchemeDefinition): Record<string, { zh: string; en: string }> {
  return Object.fromEntries(definition.classes.map((c) => [c.key, c.name]));
}

/**
 * A classification run for each scheme (all active schemes when none are named):
 * metrics are recomputed as of `asOf`, every customer is classified, class changes are
 * recorded, all in one transaction, so a killed run leaves the database as it was.
 */
export async function runClassification(
  handle: DbHandle,
  options: { asOf: string; schemeKeys?: readonly string[]; now: () => Date },
): Promise<RunSummary[]> {
  const startedAt = options.now().toISOString();
  await ensureBuiltinSchemes(handle, startedAt);
  const schemes = await resolveSchemes(handle, options.schemeKeys);
  const compiled = schemes.map((s) => compileOrThrow(s.definition));
  const population = await computePopulation(handle, options.asOf);
  const ids = population.metrics.map((m) => m.customerId);
  const tagsAt = (i: number) => population.tags.get(ids[i]);

  return handle.db.transaction().execute(async (trx) => {
    await replaceMetrics(
      trx,
      handle.caps,
      population.metrics.map((m) => toMetricsRow(m, startedAt)),
    );
    const summaries: RunSummary[] = [];
    for (const [index, stored] of schemes.entries()) {
      const scheme = compiled[index];
      const { classKeys, stats } = classifyPopulation(scheme, { rows: population.rows, tags: tagsAt });
      const previous = await loadCurrentClasses(trx, stored.id);
      const previousRun = await findLatestRun(trx, stored.id);
      const { transitions, changed } = transitionsOf(ids, classKeys, previous);
      const counts = countClasses(scheme, classKeys);
      const runId = await insertRun(trx, {
        schemeId: stored.id,
        schemeVersionId: stored.versionId,
        previousRunId: previousRun?.id ?? null,
        asOf: options.asOf,
        startedAt,
        finishedAt: options.now().toISOString(),
        status: 'succeeded',
        population: ids.length,
        stats,
        counts,
        transitions,
        changed,
      });
      const scoreKeys = scheme.definition.scores ?? [];
      const classes: CustomerClassesTable[] = [];
      const changes: Omit<ClassChangesTable, 'id'>[] = [];
      ids.forEach((customerId, i) => {
        const before = previous.get(customerId);
        const to = classKeys[i];
        const same = before?.classKey === to;
        const row = population.rows[i];
        classes.push({
          customer_id: customerId,
          scheme_id: stored.id,
          class_key: to,
          run_id: runId,
          since: same && before ? before.since : options.asOf,
          scores: scoreKeys.length
            ? JSON.stringify(Object.fromEntries(scoreKeys.map((k) => [k, row[k] ?? null])))
            : null,
        });
        if (!same) {
          changes.push({
            customer_id: customerId,
            scheme_id: stored.id,
            run_id: runId,
            from_class: before?.classKey ?? null,
            to_class: to,
            at: options.asOf,
          });
        }
      });
      await writeClasses(trx, { caps: handle.caps, schemeId: stored.id, classes, changes });
      summaries.push({
        schemeKey: stored.key,
        schemeName: scheme.definition.name,
        runId,
        asOf: options.asOf,
        population: ids.length,
        counts,
        classNames: classNamesOf(scheme.definition),
        transitions,
        changed,
      });
    }
    return summaries;
  });
}

/**
 * What a draft scheme would do, without writing anything: counts per class and the
 * transition matrix against the customers' current classes under the same scheme key.
 */
export async function previewScheme(
  handle: DbHandle,
  options: { definition: SchemeDefinition; asOf: string },
): Promise<RunSummary> {
  const scheme = compileOrThrow(options.definition);
  const population = await computePopulation(handle, options.asOf);
  const ids = population.metrics.map((m) => m.customerId);
  const { classKeys } = classifyPopulation(scheme, {
    rows: population.rows,
    tags: (i) => population.tags.get(ids[i]),
  });
  const existing = await findSchemeByKey(handle.db, options.definition.key);
  const previous = existing ? await loadCurrentClasses(handle.db, existing.id) : new Map();
  const { transitions, changed } = transitionsOf(ids, classKeys, previous);
  return {
    schemeKey: options.definition.key,
    schemeName: options.definition.name,
    runId: null,
    asOf: options.asOf,
    population: ids.length,
    counts: countClasses(scheme, classKeys),
    classNames: classNamesOf(options.definition),
    transitions,
    changed,
  };
}

export type CustomerExplanation = {
  customerCode: string;
  customerName: string | null;
  schemeKey: string;
  schemeName: { zh: string; en: string };
  asOf: string;
  runId: number;
  storedClass: string;
  since: string;
  explanation: Explanation;
  history: ClassHistoryEntry[];
  stats: StatValues;
};

/**
 * Why a customer is in their class under a scheme, reproduced from the metrics and
 * population statistics of the scheme's latest run.
 */
export async function explainCustomer(
  handle: DbHandle,
  options: { code: string; schemeKey: string },
): Promise<CustomerExplanation> {
  const { db } = handle;
  const scheme = await findSchemeByKey(db, options.schemeKey);
  if (!scheme) throw schemeNotFound(options.schemeKey);
  const customer = await findCustomerByCode(db, options.code);
  if (!customer || customer.erased_at !== null) {
    throw new KeleiError('CustomerNotFound', {
      en: `no customer with code "${options.code}"`,
      zh: `找不到客户编号为“${options.code}”的客户`,
    });
  }
  const run = await findLatestRun(db, scheme.id);
  const current = await db
    .selectFrom('customer_classes')
    .select(['class_key', 'since', 'run_id', 'scores'])
    .where('customer_id', '=', customer.id)
    .where('scheme_id', '=', scheme.id)
    .executeTakeFirst();
  if (!run || !current) {
    throw new KeleiError('NotClassified', {
      en: `customer ${options.code} has not been classified under ${options.schemeKey} yet; run "kelei classify" first`,
      zh: `客户 ${options.code} 尚未按“${scheme.nameZh}”分类，请先运行 kelei classify`,
    });
  }
  const version = await db
    .selectFrom('scheme_versions')
    .select(['definition'])
    .where('id', '=', run.schemeVersionId)
    .executeTakeFirstOrThrow();
  const definition = JSON.parse(version.definition) as SchemeDefinition;
  const compiled = compileOrThrow(definition);
  const metrics = await metricsAsOfRun(handle, {
    customerId: customer.id,
    asOf: run.asOf,
    scores: current.scores,
  });
  const tags = await db
    .selectFrom('customer_tags as ct')
    .innerJoin('tags as t', 't.id', 'ct.tag_id')
    .select(['t.name as name'])
    .where('ct.customer_id', '=', customer.id)
    .execute();
  const explanation = explainClass(compiled, {
    row: ruleRowOf(customer, metrics),
    stats: run.stats,
    tags: new Set(tags.map((t) => t.name)),
  });
  return {
    customerCode: customer.code,
    customerName: customer.name,
    schemeKey: scheme.key,
    schemeName: definition.name,
    asOf: run.asOf,
    runId: run.id,
    storedClass: current.class_key,
    since: current.since,
    explanation,
    history: await loadClassHistory(db, { customerId: customer.id, schemeId: scheme.id }),
    stats: run.stats,
  };
}

/**
 * A customer's metrics as of a run's date. The metrics cache holds the latest run of
 * any scheme; when that is another date, the customer's metrics are recomputed for
 * the run's date and the population scores come from what the run stored.
 */
async function metricsAsOfRun(
  handle: DbHandle,
  options: { customerId: number; asOf: string; scores: string | null },
): Promise<Partial<MetricsRow> | undefined> {
  const cached = await handle.db
    .selectFrom('customer_metrics')
    .selectAll()
    .where('customer_id', '=', options.customerId)
    .executeTakeFirst();
  if (cached && cached.as_of === options.asOf) return cached;
  const [aggregates] = await loadAggregates(handle.db, {
    asOf: options.asOf,
    customerId: options.customerId,
  });
  if (!aggregates) return cached;
  const stored = options.scores ? (JSON.parse(options.scores) as Record<string, number | null>) : {};
  const score = (key: string) => (typeof stored[key] === 'number' ? stored[key] : null);
  return toMetricsRow(
    {
      ...computeMetrics(aggregates, options.asOf),
      rScore: score('r_score'),
      fScore: score('f_score'),
      mScore: score('m_score'),
      valueScore: score('value_score'),
      potentialScore: score('potential_score'),
    },
    '',
  );
}
