import { classifyOne } from '../../core/classify.ts';
import { KeleiError } from '../../core/errors.ts';
import { computeMetrics } from '../../core/metrics.ts';
import {
  type Indicator,
  type PopulationSummary,
  scoreAgainstSummaries,
} from '../../core/population-scores.ts';
import {
  findLatestRunsOfActiveSchemes,
  upsertClass,
} from '../../db/classification/classification.repository.ts';
import {
  findPopulationSummary,
  fromMetricsRow,
  loadCustomerAggregates,
  loadPopulationSummary,
  toMetricsRow,
} from '../../db/classification/metrics.repository.ts';
import { CUSTOMER_RULE_COLUMNS } from '../../db/customers/customers.repository.ts';
import type { DbHandle } from '../../db/database.ts';
import { attributesOf, ruleRowOf } from './population-rows.ts';
import { compiledSchemeVersion } from './scheme-versions.ts';

type Summaries = Record<Indicator, PopulationSummary>;

/** The score populations of the latest full run, read once per database and kept while current. */
const summaryCache = new WeakMap<DbHandle, { id: number; asOf: string; summaries: Summaries }>();

export type CustomerReclassification = {
  customerId: number;
  asOf: string;
  classes: { schemeKey: string; from: string | null; to: string; changed: boolean }[];
};

/**
 * Reclassifies one customer after their orders, interactions or feedback changed
 * (a new order, say): their metrics are recomputed, scored against the populations and
 * statistics the latest full run kept, and every scheme's class is re-evaluated; a
 * changed class is written with its history. Costs a few queries, not a population
 * scan, so it can follow every new order; the next full run re-centres the populations.
 *
 * `await reclassifyCustomer(handle, { customerId: 42, now: () => new Date() })`
 */
export async function reclassifyCustomer(
  handle: DbHandle,
  options: { customerId: number; asOf?: string; now: () => Date },
): Promise<CustomerReclassification> {
  const populations = await currentSummaries(handle);
  if (!populations) {
    throw new KeleiError('NotClassified', {
      en: 'no full classification run yet; run "kelei classify" first',
      zh: '尚未运行过完整分类，请先运行 kelei classify',
    });
  }
  const asOf = options.asOf ?? populations.asOf;
  const now = options.now().toISOString();
  return handle.db.transaction().execute(async (trx) => {
    const customer = await trx
      .selectFrom('customers')
      .select([
        'id',
        'erased_at',
        'opening_order_count',
        'opening_amount',
        'opening_first_date',
        'opening_last_date',
        ...CUSTOMER_RULE_COLUMNS,
      ])
      .where('id', '=', options.customerId)
      .executeTakeFirst();
    if (!customer || customer.erased_at !== null) {
      throw new KeleiError('CustomerNotFound', {
        en: `no customer with id ${options.customerId}`,
        zh: `找不到编号为 ${options.customerId} 的客户`,
      });
    }
    const attributes = attributesOf(customer);
    const companySize = attributes.company_size === null ? null : String(attributes.company_size);
    const metrics = computeMetrics(await loadCustomerAggregates(trx, { asOf, customer }), asOf);
    const stored = await trx
      .selectFrom('customer_metrics')
      .selectAll()
      .where('customer_id', '=', options.customerId)
      .executeTakeFirst();
    // The customer's values in the kept populations are those of the run that kept them.
    const previous = stored && stored.as_of === populations.asOf ? fromMetricsRow(stored) : null;
    const scores = scoreAgainstSummaries(
      { ...metrics, companySize },
      { previous: previous ? { ...previous, companySize } : null, summaries: populations.summaries },
    );
    const metricsRow = toMetricsRow({ ...metrics, ...scores }, now);
    if (stored) {
      const { customer_id: _, ...values } = metricsRow;
      await trx
        .updateTable('customer_metrics')
        .set(values)
        .where('customer_id', '=', options.customerId)
        .execute();
    } else {
      await trx.insertInto('customer_metrics').values(metricsRow).execute();
    }

    const row = ruleRowOf(attributes, metricsRow);
    const tags = await trx
      .selectFrom('customer_tags as ct')
      .innerJoin('tags as t', 't.id', 'ct.tag_id')
      .select(['t.name as name'])
      .where('ct.customer_id', '=', options.customerId)
      .execute();
    const tagSet = new Set(tags.map((t) => t.name));
    const current = await trx
      .selectFrom('customer_classes')
      .select(['scheme_id', 'class_key', 'since', 'run_id', 'scores'])
      .where('customer_id', '=', options.customerId)
      .execute();
    const currentByScheme = new Map(current.map((c) => [Number(c.scheme_id), c]));

    const classes: CustomerReclassification['classes'] = [];
    for (const run of await findLatestRunsOfActiveSchemes(trx)) {
      const compiled = await compiledSchemeVersion(handle, { db: trx, versionId: run.schemeVersionId });
      const to = classifyOne(compiled, { row, stats: run.stats, tags: tagSet });
      const before = currentByScheme.get(run.schemeId);
      const from = before?.class_key ?? null;
      const changed = from !== to;
      // As in a full run, the class row's scores are the metrics row just written.
      if (!before || changed || before.scores !== null) {
        await upsertClass(trx, {
          customer_id: options.customerId,
          scheme_id: run.schemeId,
          class_key: to,
          run_id: before && !changed ? Number(before.run_id) : run.runId,
          since: before && !changed ? before.since : asOf,
          scores: null,
        });
      }
      if (changed) {
        await trx
          .insertInto('class_changes')
          .values({
            customer_id: options.customerId,
            scheme_id: run.schemeId,
            run_id: run.runId,
            from_class: from,
            to_class: to,
            at: asOf,
          })
          .execute();
      }
      classes.push({ schemeKey: run.schemeKey, from, to, changed });
    }
    return { customerId: options.customerId, asOf, classes };
  });
}

async function currentSummaries(
  handle: DbHandle,
): Promise<{ asOf: string; summaries: Summaries } | undefined> {
  const latest = await findPopulationSummary(handle.db);
  if (!latest) return undefined;
  const cached = summaryCache.get(handle);
  if (cached && cached.id === latest.id) return cached;
  const summaries = (await loadPopulationSummary(handle.db, latest.id)) as Summaries | undefined;
  if (!summaries) return undefined;
  const entry = { id: latest.id, asOf: latest.asOf, summaries };
  summaryCache.set(handle, entry);
  return entry;
}
