import { Worker } from 'node:worker_threads';
import { dayNumber, fromDayNumber } from '../../core/dates.ts';
import { NUMERIC_METRIC_KEYS, type NumericMetricKey } from '../../core/fields.ts';
import { computeMetrics, type SameKeys } from '../../core/metrics.ts';
import {
  emptyScoreColumns,
  INDICATORS,
  type Indicator,
  type PopulationSummary,
  type ScoreColumns,
  scoreColumns,
  setMetricScoreInputs,
  sortedPopulations,
  summarize,
} from '../../core/population-scores.ts';
import {
  countLiveCustomers,
  liveCustomerIdAt,
  loadAggregatePage,
} from '../../db/classification/metrics.repository.ts';
import { CUSTOMER_RULE_COLUMNS } from '../../db/customers/customers.repository.ts';
import type { Db } from '../../db/database.ts';
import type { StatementPreparer } from '../../db/dialects/sqlite/sqlite-prepared.ts';
import type { CustomerMetricsTable } from '../../db/schema.ts';

/**
 * Customers read per page: bounds memory and statement size whatever the population
 * (a page of 20,000 held about 100 MB more across the readers, and read no faster).
 */
export const PAGE_SIZE = 5_000;

/** The numeric metrics of the registry, one typed column each in a population. */
export const NUMERIC_METRICS = NUMERIC_METRIC_KEYS;

// The registry and the table name the same numeric metrics: adding one to either alone
// fails here (and `toMetricsRow` then asks for the column).
type TableNumericMetric = Exclude<
  keyof CustomerMetricsTable,
  'customer_id' | 'as_of' | 'first_order_date' | 'last_order_date' | 'computed_at'
>;
true satisfies SameKeys<TableNumericMetric, NumericMetricKey>;

/** Column order of customer_metrics rows written by `metricsValuesAt`. */
export const METRICS_COLUMNS = [
  'customer_id',
  'as_of',
  'first_order_date',
  'last_order_date',
  ...NUMERIC_METRICS,
  'computed_at',
] as const;

/**
 * Every customer's metrics and scores as of one date, column by column (NaN = null),
 * in ascending customer id. A million customers take about 250 MB this way, where one
 * object per customer took several GB.
 */
export type Population = {
  asOf: string;
  size: number;
  ids: Float64Array;
  numbers: Record<(typeof NUMERIC_METRICS)[number], Float64Array>;
  /** first and last purchase as day numbers ({@link dateOf} gives the text; NO_DAY = none) */
  firstOrderDate: Int32Array;
  lastOrderDate: Int32Array;
  /** customer attributes that population statistics of the schemes read, by column */
  attributes: Map<string, (string | number | null)[]>;
  /** sorted values of every scored indicator, for summaries kept with the run */
  sorted: Record<Indicator, Float64Array>;
  /** the buffer the columns are views of, when they were read into one ({@link releasePopulation}) */
  shared?: SharedColumns;
};

/**
 * The metrics of the live customers in one id range, before scoring: what a reader
 * (in this thread or a worker) hands back. Plain data, so it crosses threads.
 */
export type PopulationPart = {
  size: number;
  ids: Float64Array;
  numbers: Record<(typeof NUMERIC_METRICS)[number], Float64Array>;
  firstOrderDate: Int32Array;
  lastOrderDate: Int32Array;
  attributes: Record<string, (string | number | null)[]>;
  scoreInputs: ScoreColumns;
};

export type PopulationPartRequest = {
  asOf: string;
  attributeColumns: readonly string[];
  /** customers with afterId < id ≤ untilId (no upper bound when absent) */
  afterId: number;
  untilId?: number;
  /** about how many customers the range holds (sizes the columns up front) */
  expected?: number;
  /**
   * Columns shared with the thread that asked, to write slots [offset, offset + capacity)
   * of directly: nothing is copied back. A range holding more customers than `capacity`
   * (customers added meanwhile) fails with PopulationRangeGrew.
   */
  shared?: { columns: SharedColumns; offset: number; capacity: number };
};

/**
 * A population's columns in one buffer shared between threads: `slots` entries of every
 * float column (ids, metrics, score inputs that are not a metric), then of both day
 * columns. One allocation this large is mapped from the system and handed back whole
 * when it is collected; thirty column-sized ones end up in the allocator's heap, where
 * a next run cannot reuse them all and the process keeps growing.
 */
export type SharedColumns = { buffer: SharedArrayBuffer; slots: number };

function sharedColumns(slots: number): SharedColumns {
  if (spare && spare.slots >= slots && spare.slots <= 2 * slots + SPARE_SLACK) {
    const taken = spare;
    forgetSpare();
    return taken;
  }
  const floats = 1 + NUMERIC_METRICS.length + OWN_SCORE_INPUT_KEYS.length;
  const capacity = Math.max(1, slots);
  return { buffer: new SharedArrayBuffer(capacity * (floats * 8 + 2 * 4)), slots: capacity };
}

/**
 * The columns of the last population released, for the next one to reuse: a large
 * buffer nobody holds any more is still only collected at the garbage collector's
 * convenience, often after the next run has allocated its own, so two would be held
 * at once. Kept for a minute, then left to the collector.
 */
let spare: SharedColumns | undefined;
let spareTimer: NodeJS.Timeout | undefined;
const SPARE_SLACK = 1024;
const SPARE_KEPT_MS = 60_000;

function forgetSpare(): void {
  spare = undefined;
  clearTimeout(spareTimer);
  spareTimer = undefined;
}

/**
 * Hands a population's columns back once nothing reads it any more, for the next
 * population to reuse. The population must not be used afterwards.
 */
export function releasePopulation(population: Population): void {
  const { shared } = population;
  if (!shared) return;
  population.shared = undefined;
  forgetSpare();
  spare = shared;
  spareTimer = setTimeout(forgetSpare, SPARE_KEPT_MS);
  spareTimer.unref();
}

/** Views of shared columns for slots [offset, offset + length). */
function viewsOf(
  columns: SharedColumns,
  range: { offset: number; length: number },
): Omit<PopulationPart, 'size' | 'attributes'> {
  const { buffer, slots } = columns;
  const { offset, length } = range;
  let column = 0;
  const f = () => new Float64Array(buffer, (column++ * slots + offset) * 8, length);
  const ids = f();
  const numbers = Object.fromEntries(NUMERIC_METRICS.map((k) => [k, f()])) as Population['numbers'];
  const inputs = emptyScoreColumns(0);
  for (const key of SCORE_INPUT_KEYS) {
    const metric = METRIC_SCORE_INPUTS[key as keyof typeof METRIC_SCORE_INPUTS];
    inputs[key] = metric ? numbers[metric] : f();
  }
  inputs.size = length;
  const days = column * slots * 8;
  return {
    ids,
    numbers,
    firstOrderDate: new Int32Array(buffer, days + offset * 4, length),
    lastOrderDate: new Int32Array(buffer, days + (slots + offset) * 4, length),
    scoreInputs: inputs,
  };
}

/** Moves slots [from, from + length) of every shared column down to `to`. */
function moveSlots(columns: SharedColumns, move: { from: number; to: number; length: number }): void {
  const { from, to, length } = move;
  const { ids, numbers, scoreInputs, firstOrderDate, lastOrderDate } = viewsOf(columns, {
    offset: 0,
    length: columns.slots,
  });
  // every region of the buffer once (a score input that is a metric's view moves with it)
  const floats = [ids, ...Object.values(numbers), ...OWN_SCORE_INPUT_KEYS.map((k) => scoreInputs[k])];
  for (const a of [...floats, firstOrderDate, lastOrderDate]) a.copyWithin(to, from, from + length);
}

/** The customer columns of `attributeColumns` that rules may read (anything else is dropped). */
export function ruleColumnsOnly(columns: readonly string[] | undefined): string[] {
  return (columns ?? []).filter((c) => (CUSTOMER_RULE_COLUMNS as readonly string[]).includes(c));
}

/** Reads and computes the metrics of one id range of the population, page by page. */
export async function computePopulationPart(
  db: Db,
  request: PopulationPartRequest,
  /** statements prepared on `db`'s connection, where the engine has them (faster reads) */
  prepare?: StatementPreparer,
): Promise<PopulationPart> {
  const { asOf } = request;
  const attributeColumns = ruleColumnsOnly(request.attributeColumns);
  const { shared } = request;
  // Sized for the customers expected, so the columns rarely grow (growing holds two copies).
  let capacity = shared ? shared.capacity : Math.max(PAGE_SIZE, request.expected ?? 0);
  const start = shared
    ? viewsOf(shared.columns, { offset: shared.offset, length: shared.capacity })
    : undefined;
  let ids: Float64Array = start?.ids ?? new Float64Array(capacity);
  let numbers =
    start?.numbers ??
    (Object.fromEntries(
      NUMERIC_METRICS.map((k) => [k, new Float64Array(capacity)]),
    ) as Population['numbers']);
  let scoreInputs = start?.scoreInputs ?? emptyScoreColumns(capacity);
  let firstOrderDate = start?.firstOrderDate ?? new Int32Array(capacity);
  let lastOrderDate = start?.lastOrderDate ?? new Int32Array(capacity);
  const attributes: Record<string, (string | number | null)[]> = Object.fromEntries(
    attributeColumns.map((c) => [c, [] as (string | number | null)[]]),
  );
  let size = 0;

  const grow = () => {
    if (shared) throw new Error(RANGE_GREW);
    capacity *= 2;
    const bigger = (a: Float64Array) => {
      const b = new Float64Array(capacity);
      b.set(a);
      return b;
    };
    ids = bigger(ids);
    const biggerDays = (a: Int32Array) => {
      const b = new Int32Array(capacity);
      b.set(a);
      return b;
    };
    firstOrderDate = biggerDays(firstOrderDate);
    lastOrderDate = biggerDays(lastOrderDate);
    numbers = Object.fromEntries(
      NUMERIC_METRICS.map((k) => [k, bigger(numbers[k])]),
    ) as Population['numbers'];
    const inputs = emptyScoreColumns(capacity);
    for (const key of SCORE_INPUT_KEYS) inputs[key].set(scoreInputs[key]);
    scoreInputs = inputs;
  };

  let afterId = request.afterId;
  for (;;) {
    const page = await loadAggregatePage(db, {
      asOf,
      afterId,
      untilId: request.untilId,
      limit: PAGE_SIZE,
      columns: [...new Set(['company_size', ...attributeColumns])],
      prepare,
    });
    if (page.length === 0) break;
    for (const { aggregates, customer } of page) {
      if (size === capacity) grow();
      const m = computeMetrics(aggregates, asOf);
      const i = size++;
      ids[i] = m.customerId;
      numbers.order_count[i] = m.orderCount;
      numbers.total_amount[i] = m.totalAmount;
      numbers.avg_order_amount[i] = nan(m.avgOrderAmount);
      numbers.recency_days[i] = nan(m.recencyDays);
      numbers.tenure_days[i] = nan(m.tenureDays);
      numbers.order_count_365d[i] = m.orderCount365d;
      numbers.total_amount_365d[i] = m.totalAmount365d;
      numbers.gross_profit_365d[i] = nan(m.grossProfit365d);
      numbers.amount_180d[i] = m.amount180d;
      numbers.amount_prev_180d[i] = m.amountPrev180d;
      numbers.distinct_categories[i] = m.distinctCategories;
      numbers.avg_interpurchase_days[i] = nan(m.avgInterpurchaseDays);
      numbers.satisfaction_avg[i] = nan(m.satisfactionAvg);
      numbers.nps_avg[i] = nan(m.npsAvg);
      numbers.complaint_count_365d[i] = m.complaintCount365d;
      numbers.interactions_90d[i] = m.interactions90d;
      numbers.days_since_contact[i] = nan(m.daysSinceContact);
      firstOrderDate[i] = dayOf(m.firstOrderDate);
      lastOrderDate[i] = dayOf(m.lastOrderDate);
      const companySize = customer.company_size;
      setMetricScoreInputs(scoreInputs, {
        i,
        metrics: m,
        companySize: companySize === null || companySize === undefined ? null : String(companySize),
      });
      for (const column of attributeColumns) {
        const v = customer[column];
        attributes[column].push(v === undefined || v === null ? null : typeof v === 'number' ? v : String(v));
      }
    }
    afterId = page[page.length - 1].aggregates.customerId;
  }

  // Views, not copies: the unused tail is a little memory, a copy would be the whole column twice.
  const trim = (a: Float64Array) => (a.length === size ? a : a.subarray(0, size));
  const inputs = emptyScoreColumns(0);
  for (const key of SCORE_INPUT_KEYS) inputs[key] = trim(scoreInputs[key]);
  inputs.size = size;
  return {
    size,
    ids: trim(ids),
    numbers: Object.fromEntries(NUMERIC_METRICS.map((k) => [k, trim(numbers[k])])) as Population['numbers'],
    firstOrderDate: firstOrderDate.subarray(0, size),
    lastOrderDate: lastOrderDate.subarray(0, size),
    attributes,
    scoreInputs: inputs,
  };
}

const SCORE_INPUT_KEYS = Object.keys(emptyScoreColumns(0)).filter((k) => k !== 'size') as Exclude<
  keyof ScoreColumns,
  'size'
>[];

/**
 * Score inputs that are a metric as it is (same value, NaN for null): in shared columns
 * they are views of the metric's column instead of columns of their own.
 */
const METRIC_SCORE_INPUTS = {
  orderCount: 'order_count',
  orderCount365d: 'order_count_365d',
  recencyDays: 'recency_days',
  totalAmount365d: 'total_amount_365d',
  grossProfit365d: 'gross_profit_365d',
  distinctCategories: 'distinct_categories',
  npsAvg: 'nps_avg',
} as const satisfies Partial<Record<(typeof SCORE_INPUT_KEYS)[number], (typeof NUMERIC_METRICS)[number]>>;

/** Score inputs computed from several metrics, which need columns of their own. */
const OWN_SCORE_INPUT_KEYS = SCORE_INPUT_KEYS.filter((k) => !(k in METRIC_SCORE_INPUTS));

const RANGE_GREW = 'PopulationRangeGrew';

/** Scores every customer of a population read in full against the whole. */
export function scorePart(asOf: string, part: PopulationPart): Population {
  const { size, ids, numbers, scoreInputs: inputs } = part;
  const sorted = sortedPopulations(inputs);
  scoreColumns(inputs, {
    sorted,
    out: {
      rScore: numbers.r_score,
      fScore: numbers.f_score,
      mScore: numbers.m_score,
      valueScore: numbers.value_score,
      potentialScore: numbers.potential_score,
    },
  });
  return {
    asOf,
    size,
    ids,
    numbers,
    firstOrderDate: part.firstOrderDate,
    lastOrderDate: part.lastOrderDate,
    attributes: new Map(Object.entries(part.attributes)),
    sorted,
  };
}

/** Day number meaning "no date" in the population's date columns. */
export const NO_DAY = -2_147_483_648;

function dayOf(date: string | null): number {
  return date === null ? NO_DAY : dayNumber(date);
}

const dateTexts = new Map<number, string>();

/** The 'YYYY-MM-DD' text of a population day number (null for NO_DAY); texts are shared. */
export function dateOf(day: number): string | null {
  if (day === NO_DAY) return null;
  let text = dateTexts.get(day);
  if (text === undefined) {
    text = fromDayNumber(day);
    if (dateTexts.size < 100_000) dateTexts.set(day, text);
  }
  return text;
}

/**
 * Metrics and population scores of every live customer as of `asOf`, read page by
 * page. `attributeColumns` are the customer columns to keep (those the rules read).
 * With `readers`, id ranges are read by that many worker threads at once, each on its
 * own connection to the SQLite file (`readers.file`): aggregating ten million orders is
 * most of a full run, and the reads spread over the machine's cores.
 */
export async function computePopulation(
  db: Db,
  options: {
    asOf: string;
    attributeColumns?: readonly string[];
    /** worker threads for populations of at least `minCustomers` (reading in this thread costs less below) */
    readers?: { file: string; count: number; minCustomers: number };
    /** statements prepared on `db`'s connection, for reading in this thread */
    prepare?: StatementPreparer;
  },
): Promise<Population> {
  const { asOf, readers } = options;
  const attributeColumns = ruleColumnsOnly(options.attributeColumns);
  const total = await countLiveCustomers(db);
  const workers = readers && readers.count >= 2 && total >= readers.minCustomers ? readers : undefined;
  // The readers write straight into columns shared with this thread, each its own slots;
  // read here, the columns have room for customers added since they were counted.
  const columns = sharedColumns(workers ? total : total + GROWTH_ROOM);
  const bounds = workers
    ? await splitCustomerIds(db, { total, count: workers.count })
    : [{ afterId: 0, untilId: undefined, offset: 0, count: columns.slots }];
  let parts: { size: number; attributes: PopulationPart['attributes'] }[];
  try {
    parts = await Promise.all(
      bounds.map((range) => {
        const request = {
          asOf,
          attributeColumns,
          afterId: range.afterId,
          untilId: range.untilId,
          shared: { columns, offset: range.offset, capacity: range.count },
        };
        return workers
          ? readPartInWorker(workers.file, request)
          : computePopulationPart(db, request, options.prepare);
      }),
    );
  } catch (e) {
    if (!(e instanceof Error && e.message.includes(RANGE_GREW))) throw e;
    // More customers than counted: read again here, into columns that grow.
    return scorePart(
      asOf,
      await computePopulationPart(
        db,
        { asOf, attributeColumns, afterId: 0, expected: total },
        options.prepare,
      ),
    );
  }
  // Customers erased meanwhile leave a range short: close the gaps.
  let size = 0;
  for (const [k, part] of parts.entries()) {
    if (bounds[k].offset !== size)
      moveSlots(columns, { from: bounds[k].offset, to: size, length: part.size });
    size += part.size;
  }
  const attributeNames = Object.keys(parts[0]?.attributes ?? {});
  const population = scorePart(asOf, {
    size,
    ...viewsOf(columns, { offset: 0, length: size }),
    attributes: Object.fromEntries(attributeNames.map((c) => [c, parts.flatMap((p) => p.attributes[c])])),
  });
  population.shared = columns;
  return population;
}

/** Room for customers added between counting a population and reading it in this thread. */
const GROWTH_ROOM = 1024;

/**
 * Id ranges (afterId, untilId] holding equal numbers of live customers: `count` of them
 * from slot `offset` on.
 */
async function splitCustomerIds(
  db: Db,
  options: { total: number; count: number },
): Promise<{ afterId: number; untilId?: number; offset: number; count: number }[]> {
  const { total, count } = options;
  const out: { afterId: number; untilId?: number; offset: number; count: number }[] = [];
  let after = 0;
  let offset = 0;
  for (let k = 1; k <= count; k++) {
    const end = k === count ? total : Math.floor((total * k) / count);
    if (end <= offset) continue;
    const id = k === count ? undefined : await liveCustomerIdAt(db, end - 1);
    out.push({ afterId: after, untilId: id, offset, count: end - offset });
    if (id === undefined) break;
    after = id;
    offset = end;
  }
  return out;
}

function readPartInWorker(
  file: string,
  request: PopulationPartRequest,
): Promise<{ size: number; attributes: PopulationPart['attributes'] }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./population.worker.cjs', import.meta.url), {
      workerData: { file, request },
      // a reader's garbage is small and short-lived: a small young generation holds it
      resourceLimits: { maxYoungGenerationSizeMb: 8 },
    });
    worker.once(
      'message',
      (message: { size?: number; attributes?: PopulationPart['attributes']; error?: string }) => {
        if (message.size !== undefined && message.attributes) {
          resolve({ size: message.size, attributes: message.attributes });
        } else reject(new Error(message.error ?? 'the population reader failed'));
      },
    );
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the population reader stopped with code ${code}`));
    });
  });
}

/** The summaries of a population's indicators, kept with a run for one-customer reclassification. */
export function summarizePopulation(population: Population): Record<Indicator, PopulationSummary> {
  const out = {} as Record<Indicator, PopulationSummary>;
  for (const indicator of INDICATORS) out[indicator] = summarize(population.sorted[indicator]);
  return out;
}

function nan(v: number | null): number {
  return v === null ? Number.NaN : v;
}
