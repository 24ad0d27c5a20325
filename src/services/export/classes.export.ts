import { findField, METRIC_KEYS } from '../../core/fields.ts';
import { schemeNotFound } from '../../core/schemes/scheme.errors.ts';
import type { Db } from '../../db/database.ts';
import type { MetricsRow } from '../../db/schema.ts';
import type { ColumnKind } from './cell-value.format.ts';
import { keysetBatches } from './keyset.reader.ts';
import { loadSchemeByKey } from './scheme-definition.reader.ts';
import { type ColumnSpec, type ExportFormat, type WriteTableResult, writeTable } from './table.writer.ts';

export type ExportClassesOptions = {
  db: Db;
  schemeKey: string;
  format: ExportFormat;
  out: string;
  batchSize?: number;
};

/** The metric columns, in table order (the registry's); `customer_id` is replaced by the customer code. */
const METRIC_COLUMNS = ['as_of', ...METRIC_KEYS, 'computed_at'] as const satisfies ReadonlyArray<
  keyof MetricsRow
>;

type MetricColumn = (typeof METRIC_COLUMNS)[number];

const FIXED_HEADERS = ['customer_code', 'class_key', 'class_name'];

/**
 * The customers classified under one scheme, for analysis: `customer_code, class_key,
 * class_name`, then every key of the stored scores (nested objects flattened to
 * `a.b`, in order of first appearance), then the metrics with snake_case headers.
 * Two passes over customer_classes: the first only collects score keys, so the
 * header is known before the first row is written.
 */
export async function exportClasses(options: ExportClassesOptions): Promise<WriteTableResult> {
  const { db, batchSize } = options;
  const scheme = await loadSchemeByKey(db, options.schemeKey);
  if (!scheme) {
    throw schemeNotFound(options.schemeKey);
  }
  const schemeId = scheme.id;

  // A class row keeps its scores only when the metrics cache has moved to another date
  // since the scheme's run (a full run of other schemes); otherwise the scores are the
  // cached metrics' score columns.
  const scoreKeys = new Set<string>(scheme.scores);
  const latestRun = await db
    .selectFrom('classification_runs')
    .select('as_of')
    .where('scheme_id', '=', schemeId)
    .where('status', '=', 'succeeded')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const latestAsOf = latestRun?.as_of;
  const scorePages = keysetBatches({
    batchSize,
    fetch: (afterId, limit) => {
      let q = db
        .selectFrom('customer_classes')
        .select(['customer_id', 'scores'])
        .where('scheme_id', '=', schemeId)
        .orderBy('customer_id')
        .limit(limit);
      if (afterId !== null) q = q.where('customer_id', '>', afterId);
      return q.execute();
    },
    idOf: (r) => Number(r.customer_id),
  });
  for await (const page of scorePages) {
    for (const r of page) for (const key of Object.keys(flattenScores(r.scores))) scoreKeys.add(key);
  }

  const taken = new Set<string>([...FIXED_HEADERS, ...METRIC_COLUMNS]);
  const scoreColumns: ColumnSpec[] = [...scoreKeys].map((key, i) => ({
    // A score named like a metric keeps its own column, told apart by a prefix.
    header: taken.has(key) ? `scores.${key}` : key,
    key: `score:${i}`,
  }));
  const scoreIndex = new Map([...scoreKeys].map((key, i) => [key, `score:${i}`]));
  const columns: ColumnSpec[] = [
    { header: 'customer_code', key: 'customer_code' },
    { header: 'class_key', key: 'class_key' },
    { header: 'class_name', key: 'class_name' },
    ...scoreColumns,
    ...METRIC_COLUMNS.map((m) => ({ header: m, key: `metric:${m}`, kind: metricKind(m) })),
  ];

  async function* rows(): AsyncGenerator<Record<string, unknown>> {
    const batches = keysetBatches({
      batchSize,
      fetch: (afterId, limit) => {
        let q = db
          .selectFrom('customers as c')
          .innerJoin('customer_classes as cc', (join) =>
            join.onRef('cc.customer_id', '=', 'c.id').on('cc.scheme_id', '=', schemeId),
          )
          .leftJoin('customer_metrics as m', 'm.customer_id', 'c.id')
          .select([
            'c.id',
            'c.code',
            'cc.class_key',
            'cc.scores',
            ...METRIC_COLUMNS.map((m) => `m.${m}` as const),
          ])
          .orderBy('c.id')
          .limit(limit);
        if (afterId !== null) q = q.where('c.id', '>', afterId);
        return q.execute();
      },
      idOf: (r) => Number(r.id),
    });
    for await (const batch of batches) {
      for (const r of batch) {
        const record: Record<string, unknown> = {
          customer_code: r.code,
          class_key: r.class_key,
          class_name: scheme?.className(r.class_key) ?? r.class_key,
        };
        // While the metrics are of the scheme's latest run, they hold its scores; kept scores
        // fill in the rest (and everything once the metrics have moved to another date).
        const fromMetrics = new Set<string>();
        if (latestAsOf !== undefined && r.as_of === latestAsOf) {
          for (const key of scheme?.scores ?? []) {
            const column = scoreIndex.get(key);
            if (column && (METRIC_COLUMNS as readonly string[]).includes(key)) {
              record[column] = r[key as MetricColumn];
              fromMetrics.add(key);
            }
          }
        }
        for (const [key, value] of Object.entries(flattenScores(r.scores))) {
          const column = scoreIndex.get(key);
          if (column && !fromMetrics.has(key)) record[column] = value;
        }
        for (const m of METRIC_COLUMNS) record[`metric:${m}`] = r[m];
        yield record;
      }
    }
  }

  return writeTable({
    format: options.format,
    out: options.out,
    sheets: [{ name: scheme.nameZh, columns, rows: rows() }],
  });
}

/**
 * Scores JSON as flat key → value: `{"r":5,"value":{"pct":80}}` → `{ r: 5, 'value.pct': 80 }`.
 * Arrays stay whole (as JSON text); unreadable JSON gives no scores.
 */
export function flattenScores(scores: unknown): Record<string, unknown> {
  let parsed: unknown = scores;
  if (typeof scores === 'string') {
    try {
      parsed = JSON.parse(scores);
    } catch {
      return {};
    }
  }
  const flat: Record<string, unknown> = {};
  const walk = (value: unknown, prefix: string) => {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) walk(v, prefix ? `${prefix}.${k}` : k);
    } else if (prefix) {
      flat[prefix] = Array.isArray(value) ? JSON.stringify(value) : value;
    }
  };
  walk(parsed, '');
  return flat;
}

function metricKind(column: MetricColumn): ColumnKind {
  if (column === 'as_of') return 'date';
  if (column === 'computed_at') return 'text';
  switch (findField(column)?.type) {
    case 'money':
      return 'money';
    case 'date':
      return 'date';
    case 'number':
      return 'number';
    default:
      return 'text';
  }
}
