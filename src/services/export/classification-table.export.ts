import type { Db } from '../../db/database.ts';
import { keysetBatches } from './keyset.reader.ts';
import { loadActiveSchemes } from './scheme-definition.reader.ts';
import type { ColumnSpec, SheetSpec } from './table.writer.ts';

export type ClassificationSheetOptions = { db: Db; batchSize?: number };

export const CLASSIFICATION_SHEET_NAME = '客户分类表';

/**
 * 客户分类表: one row per customer, one column per active scheme holding the
 * customer's class in Chinese, and 分类日期 = the as-of date of the newest run of
 * the customer's schemes. Customers not classified yet have empty class cells.
 */
export async function classificationSheet(options: ClassificationSheetOptions): Promise<SheetSpec> {
  const { db } = options;
  const schemes = await loadActiveSchemes(db);
  const schemeIds = schemes.map((s) => s.id);
  const columnOf = (schemeId: number) => `scheme_${schemeId}`;
  // A class row records the run that set it; the class holds as of the scheme's latest run.
  const latestAsOf = new Map<number, string>();
  if (schemeIds.length > 0) {
    const runs = await db
      .selectFrom('classification_runs')
      .select(['scheme_id', 'as_of'])
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('classification_runs')
          .select((e) => e.fn.max('id').as('id'))
          .where('status', '=', 'succeeded')
          .groupBy('scheme_id'),
      )
      .execute();
    for (const run of runs) latestAsOf.set(Number(run.scheme_id), run.as_of);
  }

  async function* rows(): AsyncGenerator<Record<string, unknown>> {
    const batches = keysetBatches({
      batchSize: options.batchSize,
      fetch: (afterId, limit) => {
        let q = db.selectFrom('customers').select(['id', 'code', 'name']).orderBy('id').limit(limit);
        if (afterId !== null) q = q.where('id', '>', afterId);
        return q.execute();
      },
      idOf: (r) => Number(r.id),
    });
    for await (const batch of batches) {
      const classes =
        schemeIds.length === 0
          ? []
          : await db
              .selectFrom('customer_classes')
              .select(['customer_id', 'scheme_id', 'class_key'])
              // A range on the primary key's first column, not an IN list of thousands of ids.
              .where('customer_id', '>=', Number(batch[0].id))
              .where('customer_id', '<=', Number(batch[batch.length - 1].id))
              .where('scheme_id', 'in', schemeIds)
              .execute();
      const byCustomer = new Map<number, typeof classes>();
      for (const c of classes) {
        const id = Number(c.customer_id);
        const list = byCustomer.get(id);
        if (list) list.push(c);
        else byCustomer.set(id, [c]);
      }
      for (const customer of batch) {
        const record: Record<string, unknown> = { code: customer.code, name: customer.name };
        let latest: string | null = null;
        for (const c of byCustomer.get(Number(customer.id)) ?? []) {
          const scheme = schemes.find((s) => s.id === Number(c.scheme_id));
          if (scheme) record[columnOf(scheme.id)] = scheme.className(c.class_key);
          const asOf = latestAsOf.get(Number(c.scheme_id)) ?? null;
          if (asOf !== null && (latest === null || asOf > latest)) latest = asOf;
        }
        record.classified_on = latest;
        yield record;
      }
    }
  }

  const columns: ColumnSpec[] = [
    { header: '客户编号', key: 'code' },
    { header: '客户名称', key: 'name', width: 24 },
    ...schemes.map((s) => ({ header: s.nameZh, key: columnOf(s.id), width: 16 })),
    { header: '分类日期', key: 'classified_on', kind: 'date' as const, width: 14 },
  ];
  return { name: CLASSIFICATION_SHEET_NAME, columns, rows: rows() };
}
