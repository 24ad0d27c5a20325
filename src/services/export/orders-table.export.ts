import type { Db } from '../../db/database.ts';
import { orderStatusLabel } from './export-labels.ts';
import { keysetBatches } from './keyset.reader.ts';
import type { SheetSpec } from './table.writer.ts';

export type OrdersSheetOptions = { db: Db; batchSize?: number };

export const ORDERS_SHEET_NAME = '客户消费记录表';

/** 客户消费记录表: every order (returns as negative amounts), in id order. */
export async function ordersSheet(options: OrdersSheetOptions): Promise<SheetSpec> {
  const { db } = options;

  async function* rows(): AsyncGenerator<Record<string, unknown>> {
    const batches = keysetBatches({
      batchSize: options.batchSize,
      fetch: (afterId, limit) => {
        let q = db
          .selectFrom('orders as o')
          .innerJoin('customers as c', 'c.id', 'o.customer_id')
          .select([
            'o.id',
            'o.external_id',
            'c.code',
            'c.name',
            'o.ordered_at',
            'o.amount',
            'o.quantity',
            'o.product',
            'o.category',
            'o.channel',
            'o.status',
          ])
          .orderBy('o.id')
          .limit(limit);
        if (afterId !== null) q = q.where('o.id', '>', afterId);
        return q.execute();
      },
      idOf: (r) => Number(r.id),
    });
    for await (const batch of batches) {
      for (const r of batch) {
        yield {
          external_id: r.external_id,
          code: r.code,
          name: r.name,
          ordered_at: r.ordered_at,
          amount: r.amount,
          quantity: r.quantity,
          product: r.product,
          category: r.category,
          channel: r.channel,
          status: orderStatusLabel(r.status),
        };
      }
    }
  }

  return {
    name: ORDERS_SHEET_NAME,
    columns: [
      { header: '订单号', key: 'external_id', width: 16 },
      { header: '客户编号', key: 'code' },
      { header: '客户名称', key: 'name', width: 24 },
      { header: '消费时间', key: 'ordered_at', kind: 'date' },
      { header: '消费金额', key: 'amount', kind: 'money' },
      { header: '数量', key: 'quantity', kind: 'number', width: 8 },
      { header: '产品', key: 'product', width: 20 },
      { header: '类别', key: 'category' },
      { header: '渠道', key: 'channel' },
      { header: '状态', key: 'status', width: 10 },
    ],
    rows: rows(),
  };
}
