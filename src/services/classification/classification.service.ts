import os from 'node:os';
import { type CompiledScheme, type Explanation, explainClass } from '../../core/classify.ts';
import { KeleiError } from '../../core/errors.ts';
import { findField } from '../../core/fields.ts';
import { computeMetrics } from '../../core/metrics.ts';
import { computeStatsOf, type StatValues, walkRule } from '../../core/rules/index.ts';
import { BUILTIN_SCHEMES } from '../../core/schemes/builtin.schemes.ts';
import { schemeNotFound } from '../../core/schemes/scheme.errors.ts';
import type { SchemeDefinition } from '../../core/schemes/scheme.ts';
import { compileCheckedScheme } from '../../core/schemes/scheme.validation.ts';
import { restoreIndex, suspendIndex } from '../../db/bulk.ts';
import {
  CHANGE_COLUMNS,
  CLASS_COLUMNS,
  CLASS_INDEX,
  type ClassHistoryEntry,
  countStoredClasses,
  deleteClassesOfErased,
  findLatestRun,
  findLatestRunsOfActiveSchemes,
  finishRun,
  insertRun,
  loadClassHistory,
  loadClassScoresPage,
  recordFirstClassChanges,
  SCORE_COLUMNS,
} from '../../db/classification/classification.repository.ts';
import {
  deleteMetricsOfErased,
  findMetricsAsOf,
  loadAggregates,
  savePopulationSummary,
  toMetricsRow,
} from '../../db/classification/metrics.repository.ts';
import {
  findCustomerByCode,
  findErasedCustomerIds,
  loadCustomerTags,
} from '../../db/customers/customers.repository.ts';
import type { Db, DbHandle } from '../../db/database.ts';
import type { MetricsRow } from '../../db/schema.ts';
import {
  findSchemeByKey,
  listSchemes,
  publishSchemeVersion,
  type StoredScheme,
} from '../../db/schemes/schemes.repository.ts';
import { populationScope, type Viewer } from '../auth/policy.ts';
import { customerNotFound } from '../customers/customer-access.ts';
import {
  computePopulation,
  METRICS_COLUMNS,
  PAGE_SIZE,
  type Population,
  releasePopulation,
  summarizePopulation,
} from './population.ts';
import { forEachPopulationPage, populationClassifier } from './population-classes.ts';
import { metricsValuesAt, ruleRowOf, statValues } from './population-rows.ts';
import { compiledSchemeVersion } from './scheme-versions.ts';

export { ruleRowOf } from './population-rows.ts';
export { reclassifyCustomer } from './reclassify-one.ts';

/** The phases of a full run, reported with their durations through `onPhase`. */
export type RunPhase = 'metrics' | 'statistics' | 'classify' | 'prepare' | 'write' | 'finish';

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

function countClasses(scheme: CompiledScheme, classKeys: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const c of scheme.classes) counts[c.def.key] = 0;
  for (const k of classKeys) counts[k] = (counts[k] ?? 0) + 1;
  return counts;
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

function classNamesOf(definition: SchemeDefinition): Record<string, { zh: string; en: string }> {
  return Object.fromEntries(definition.classes.map((c) => [c.key, c.name]));
}

/** The customer columns the rules and population statistics of these schemes read. */
function ruleAttributeColumns(schemes: readonly CompiledScheme[]): string[] {
  const keys = new Set<string>();
  for (const scheme of schemes) {
    for (const ref of scheme.statRefs) keys.add(ref.field);
    for (const c of scheme.classes) {
      walkRule(c.ast, (e) => {
        if (e.kind === 'field') keys.add(e.key);
        else if (e.kind === 'stat') keys.add(e.stat.field);
      });
    }
  }
  const out = new Set<string>();
  for (const key of keys) {
    const f = findField(key);
    if (f?.source === 'customer') out.add(f.column ?? f.key);
  }
  return [...out];
}

/**
 * Worker threads that read a large population in parallel on SQLite; PostgreSQL
 * parallelises its aggregates inside the server.
 */
function populationReaders(handle: DbHandle) {
  if (!handle.readerFile) return undefined;
  return {
    file: handle.readerFile,
    count: Math.min(4, os.availableParallelism()),
    minCustomers: POPULATION_READERS_FROM,
  };
}

/** Below this many customers one thread reads the population faster than starting workers. */
const POPULATION_READERS_FROM = 100_000;

/** Population statistics of a scheme's rules, over the rows of the whole population. */
function statsOf(scheme: CompiledScheme, population: Population): StatValues {
  if (scheme.statRefs.length === 0) return {};
  return computeStatsOf(scheme.statRefs, (field) => statValues(population, field));
}

type SchemeTally = {
  counts: Record<string, number>;
  transitions: Transitions;
  changed: number;
};

function tally(t: SchemeTally, options: { from: string; to: string }): void {
  const { from, to } = options;
  t.counts[to] = (t.counts[to] ?? 0) + 1;
  t.transitions[from] ??= {};
  t.transitions[from][to] = (t.transitions[from][to] ?? 0) + 1;
  if (from !== to) t.changed++;
}

/**
 * Class rows carry no scores while the metrics cache holds their run's date: the
 * scores are the cached metrics. Before a run moves the cache to another date, the
 * classes of schemes it does not run get their scores copied in, so their
 * explanations stay exact (see `metricsAsOfRun`).
 */
async function freezeScoresOfOtherSchemes(
  handle: DbHandle,
  options: { db: Db; runSchemeIds: readonly number[]; asOf: string },
): Promise<void> {
  const { db } = options;
  const metricsAsOf = await findMetricsAsOf(db);
  if (metricsAsOf === undefined || metricsAsOf === options.asOf) return;
  for (const run of await findLatestRunsOfActiveSchemes(db)) {
    if (options.runSchemeIds.includes(run.schemeId) || run.asOf !== metricsAsOf) continue;
    const compiled = await compiledSchemeVersion(handle, { db, versionId: run.schemeVersionId });
    const scoreKeys = (compiled.definition.scores ?? []).filter((k) => k in SCORE_COLUMNS);
    if (scoreKeys.length === 0) continue;
    let after = 0;
    for (;;) {
      const page = await loadClassScoresPage(db, {
        schemeId: run.schemeId,
        afterCustomerId: after,
        limit: PAGE_SIZE,
      });
      if (page.length === 0) break;
      const rows = page.map((r) => [
        r.customerId,
        run.schemeId,
        r.classKey,
        r.runId,
        r.since,
        JSON.stringify(Object.fromEntries(scoreKeys.map((k) => [k, r.scores[k as keyof typeof r.scores]]))),
      ]);
      await handle.bulkInsert(db, {
        table: 'customer_classes',
        columns: CLASS_COLUMNS,
        rows,
        upsertOn: ['customer_id', 'scheme_id'],
      });
      after = page[page.length - 1].customerId;
    }
  }
}

/**
 * A classification run for each scheme (all active schemes when none are named):
 * metrics are recomputed as of `asOf`, every customer is classified, class changes are
 * recorded, all in one transaction, so a killed run leaves the database as it was.
 * Customers are read and written page by page and held as typed columns, so a million
 * customers fit in a few hundred MB.
 */
export async function runClassification(
  handle: DbHandle,
  options: {
    asOf: string;
    schemeKeys?: readonly string[];
    now: () => Date;
    /** called as each phase ends, with its duration (for progress and benchmarks) */
    onPhase?: (phase: RunPhase, seconds: number) => void;
  },
): Promise<RunSummary[]> {
  let phaseStart = performance.now();
  const phase = (name: RunPhase) => {
    const now = performance.now();
    options.onPhase?.(name, (now - phaseStart) / 1000);
    phaseStart = now;
  };
  const startedAt = options.now().toISOString();
  await ensureBuiltinSchemes(handle, startedAt);
  const schemes = await resolveSchemes(handle, options.schemeKeys);
  const compiled = schemes.map((s) => compileCheckedScheme(s.definition));
  const population = await computePopulation(handle.db, {
    readers: populationReaders(handle),
    prepare: handle.caps.prepare?.(handle.db),
    asOf: options.asOf,
    attributeColumns: ruleAttributeColumns(compiled),
  });
  phase('metrics');
  const stats = compiled.map((scheme) => statsOf(scheme, population));
  const tags = await loadCustomerTags(handle.db);
  phase('statistics');
  const classifier = populationClassifier(compiled, { population, stats, tags });
  phase('classify');

  try {
    // Every id the run writes comes from the population, its schemes or its own runs.
    return await handle.bulkTransaction(async (trx) => {
      const runs: { runId: number; tally: SchemeTally }[] = [];
      for (const [index, stored] of schemes.entries()) {
        const previousRun = await findLatestRun(trx, stored.id);
        const counts = countClasses(compiled[index], []);
        const runId = await insertRun(trx, {
          schemeId: stored.id,
          schemeVersionId: stored.versionId,
          previousRunId: previousRun?.id ?? null,
          asOf: options.asOf,
          startedAt,
          finishedAt: null,
          status: 'succeeded',
          population: population.size,
          stats: stats[index],
          counts,
          transitions: {},
          changed: 0,
        });
        runs.push({ runId, tally: { counts, transitions: {}, changed: 0 } });
      }
      const schemeIds = schemes.map((s) => s.id);
      await freezeScoresOfOtherSchemes(handle, { db: trx, runSchemeIds: schemeIds, asOf: options.asOf });
      await deleteClassesOfErased(trx, schemeIds);
      await deleteMetricsOfErased(trx);
      // A run that will write most classes (the first, say) builds the (scheme, class) index
      // once at the end instead of inserting into the middle of it a million times. With no
      // class stored before, every class written is a change from none: the history is
      // copied from the classes at the end. One count, only as far as the decisions need.
      const half = (population.size * schemeIds.length) / 2;
      const bulk = handle.caps.rebuildIndexesAfterBulkWrites;
      const stored = await countStoredClasses(trx, { schemeIds, limit: bulk ? Math.ceil(half) : 1 });
      const rebuildIndex = bulk && stored < half;
      const firstRun = stored === 0;
      if (rebuildIndex) await suspendIndex(trx, CLASS_INDEX);
      phase('prepare');

      // Metrics are rewritten in place; a class row is written only when the class changes,
      // so a run that moves few customers writes little beyond the metrics.
      const erased = await findErasedCustomerIds(trx);
      await forEachPopulationPage(handle, { population, schemeIds }, async ({ start, end, previous }) => {
        const metrics: unknown[][] = [];
        const classes: unknown[][] = [];
        const changes: unknown[][] = [];
        for (let i = start; i < end; i++) {
          const id = population.ids[i];
          if (erased.has(id)) continue; // erased after the metrics were read
          metrics.push(metricsValuesAt(population, i, startedAt));
          for (const [index, stored] of schemes.entries()) {
            const { runId, tally: t } = runs[index];
            const to = classifier.classOf(index, i);
            const from = previous[index][i - start] ?? null;
            tally(t, { from: from ?? NO_PREVIOUS_CLASS, to });
            if (from === to) continue;
            classes.push([id, stored.id, to, runId, options.asOf, null]);
            if (!firstRun) changes.push([id, stored.id, runId, from, to, options.asOf]);
          }
        }
        await handle.bulkInsert(trx, {
          table: 'customer_metrics',
          columns: METRICS_COLUMNS,
          rows: metrics,
          upsertOn: ['customer_id'],
        });
        await handle.bulkInsert(trx, {
          table: 'customer_classes',
          columns: CLASS_COLUMNS,
          rows: classes,
          upsertOn: ['customer_id', 'scheme_id'],
        });
        await handle.bulkInsert(trx, { table: 'class_changes', columns: CHANGE_COLUMNS, rows: changes });
      });

      if (firstRun) await recordFirstClassChanges(trx, schemeIds);
      if (rebuildIndex) await restoreIndex(trx, handle.caps, CLASS_INDEX);
      phase('write');
      await savePopulationSummary(trx, {
        asOf: options.asOf,
        computedAt: startedAt,
        summary: summarizePopulation(population),
      });
      const summaries: RunSummary[] = [];
      for (const [index, stored] of schemes.entries()) {
        const scheme = compiled[index];
        const { runId, tally: t } = runs[index];
        await finishRun(trx, runId, {
          finishedAt: options.now().toISOString(),
          counts: t.counts,
          transitions: t.transitions,
          changed: t.changed,
        });
        summaries.push({
          schemeKey: stored.key,
          schemeName: scheme.definition.name,
          runId,
          asOf: options.asOf,
          population: population.size,
          counts: t.counts,
          classNames: classNamesOf(scheme.definition),
          transitions: t.transitions,
          changed: t.changed,
        });
      }
      phase('finish');
      return summaries;
    });
  } finally {
    releasePopulation(population);
  }
}

/**
 * Refuses a caller the policy keeps from previews (`schemePreview`), before any work:
 * a preview classifies every customer with the caller's own rules, so a one-class rule
 * such as `code = "C1" and total_amount >= 5000` would read a customer they cannot open.
 */
export function assertMayPreview(viewer: Viewer): void {
  populationScope(viewer, 'schemePreview');
}

/** {@link previewScheme} on behalf of a caller: Forbidden unless the policy opens previews to their role. */
export async function previewSchemeAs(
  handle: DbHandle,
  options: { viewer: Viewer; definition: SchemeDefinition; asOf: string },
): Promise<RunSummary> {
  assertMayPreview(options.viewer);
  return previewScheme(handle, { definition: options.definition, asOf: options.asOf });
}

/**
 * What a draft scheme would do, without writing anything: counts per class and the
 * transition matrix against the customers' current classes under the same scheme key.
 * Over every customer: callers on behalf of a user go through {@link previewSchemeAs}.
 */
export async function previewScheme(
  handle: DbHandle,
  options: { definition: SchemeDefinition; asOf: string },
): Promise<RunSummary> {
  const scheme = compileCheckedScheme(options.definition);
  const population = await computePopulation(handle.db, {
    readers: populationReaders(handle),
    prepare: handle.caps.prepare?.(handle.db),
    asOf: options.asOf,
    attributeColumns: ruleAttributeColumns([scheme]),
  });
  const stats = statsOf(scheme, population);
  const tags = await loadCustomerTags(handle.db);
  const existing = await findSchemeByKey(handle.db, options.definition.key);
  const t: SchemeTally = { counts: countClasses(scheme, []), transitions: {}, changed: 0 };
  const schemeIds = existing ? [existing.id] : [];
  try {
    const classifier = populationClassifier([scheme], { population, stats: [stats], tags });
    await forEachPopulationPage(handle, { population, schemeIds }, async ({ start, end, previous }) => {
      for (let i = start; i < end; i++) {
        const to = classifier.classOf(0, i);
        tally(t, { from: previous[0]?.[i - start] ?? NO_PREVIOUS_CLASS, to });
      }
    });
  } finally {
    releasePopulation(population);
  }
  return {
    schemeKey: options.definition.key,
    schemeName: options.definition.name,
    runId: null,
    asOf: options.asOf,
    population: population.size,
    counts: t.counts,
    classNames: classNamesOf(options.definition),
    transitions: t.transitions,
    changed: t.changed,
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
  if (!customer || customer.erased_at !== null) throw customerNotFound(options.code);
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
  const compiled = await compiledSchemeVersion(handle, { db, versionId: run.schemeVersionId });
  const definition = compiled.definition;
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
