import crypto from 'node:crypto';
import { insertInBatches } from '../../db/batch.ts';
import { type FieldCleaner, fieldCleaner } from './cells.ts';
import type { RowSink, SinkContext } from './import.sink.ts';

const BATCH = 2000;

type ActivityRecord = {
  row: number;
  customerCode: string;
  /** header of the customer code column, for the error report */
  codeColumn: string;
  /** the file's id prefixed with the entity, or a hash of the row's content */
  externalId: string;
  at: string;
  date: string;
  values: Record<string, string | number | null>;
};

function parseInteraction(clean: FieldCleaner): Record<string, string | number | null> | null {
  const channel = clean('channel', 'channel');
  const fields = ['direction', 'subject', 'request', 'solution', 'outcome'] as const;
  const values: Record<string, string | number | null> = {};
  let ok = channel !== false;
  for (const f of fields) {
    const v = clean(f, 'text');
    if (v === false) ok = false;
    else values[f] = v ?? null;
  }
  if (!ok) return null;
  values.channel = channel || 'other';
  return values;
}

function parseFeedback(clean: FieldCleaner): Record<string, string | number | null> | null {
  const satisfaction = clean('satisfaction', 'satisfaction');
  const nps = clean('nps', 'nps');
  const kindText = clean('kind', 'text');
  const statusText = clean('status', 'text');
  const comment = clean('comment', 'text');
  const suggestion = clean('suggestion', 'text');
  const resolution = clean('resolution', 'text');
  if ([satisfaction, nps, kindText, statusText, comment, suggestion, resolution].includes(false)) return null;
  const kind = typeof kindText === 'string' && /投诉|complaint/i.test(kindText) ? 'complaint' : 'feedback';
  const status =
    typeof statusText === 'string' && /已处理|处理完|handled|closed|resolved/i.test(statusText)
      ? 'handled'
      : 'open';
  return {
    satisfaction: typeof satisfaction === 'number' ? satisfaction : null,
    nps: typeof nps === 'number' ? nps : null,
    kind,
    status,
    comment: (comment as string | null | undefined) ?? null,
    suggestion: (suggestion as string | null | undefined) ?? null,
    resolution: (resolution as string | null | undefined) ?? null,
  };
}

/**
 * Interactions and feedback: one row, one record, attached to an existing customer
 * (an unknown code is a row error). Without an id column a record is identified by a
 * hash of its content, so re-importing the file changes nothing.
 */
export function createActivitySink(ctx: SinkContext, entity: 'interactions' | 'feedback'): RowSink {
  let batch: ActivityRecord[] = [];
  const occurrences = new Map<string, number>();
  let occurrenceCustomer = '';

  async function flush(): Promise<void> {
    if (batch.length === 0) return;
    const records = batch;
    batch = [];
    const { trx } = ctx;
    const customers = await trx
      .selectFrom('customers')
      .select(['id', 'code'])
      .where('code', 'in', [...new Set(records.map((r) => r.customerCode))])
      .where('erased_at', 'is', null)
      .execute();
    const ids = new Map(customers.map((c) => [c.code, Number(c.id)]));
    const external = records.map((r) => r.externalId);
    const existing =
      entity === 'interactions'
        ? await trx
            .selectFrom('interactions')
            .select(['external_id'])
            .where('external_id', 'in', external)
            .execute()
        : await trx
            .selectFrom('feedback')
            .select(['external_id'])
            .where('external_id', 'in', external)
            .execute();
    const known = new Set(existing.map((e) => e.external_id));
    const interactionRows = [];
    const feedbackRows = [];
    for (const [i, r] of records.entries()) {
      const customerId = ids.get(r.customerCode);
      if (customerId === undefined) {
        ctx.error({
          row: r.row,
          column: r.codeColumn,
          value: r.customerCode,
          reason: {
            zh: '客户编号不存在，请先导入客户',
            en: 'unknown customer code; import the customer first',
          },
        });
        continue;
      }
      ctx.counts.records++;
      if (known.has(external[i])) {
        ctx.counts.unchanged++;
        continue;
      }
      known.add(external[i]);
      ctx.counts.new++;
      const base = {
        customer_id: customerId,
        external_id: external[i],
        at: r.at,
        import_job_id: ctx.jobId,
        created_at: ctx.now,
      };
      const v = r.values;
      if (entity === 'interactions') {
        interactionRows.push({
          ...base,
          interaction_date: r.date,
          channel: String(v.channel),
          direction: (v.direction as string | null) ?? null,
          subject: (v.subject as string | null) ?? null,
          request: (v.request as string | null) ?? null,
          solution: (v.solution as string | null) ?? null,
          outcome: (v.outcome as string | null) ?? null,
          user_id: null,
        });
      } else {
        feedbackRows.push({
          ...base,
          feedback_date: r.date,
          kind: String(v.kind),
          satisfaction: v.satisfaction as number | null,
          nps: v.nps as number | null,
          comment: v.comment as string | null,
          suggestion: v.suggestion as string | null,
          status: String(v.status),
          resolution: v.resolution as string | null,
          handled_by: null,
        });
      }
    }
    const { caps } = ctx.handle;
    await insertInBatches({ db: trx, caps, table: 'interactions', rows: interactionRows });
    await insertInBatches({ db: trx, caps, table: 'feedback', rows: feedbackRows });
  }

  return {
    async add(row, cells) {
      const clean = fieldCleaner({ cells, ctx, row });
      const customerCode = clean('customer_code', 'code', { required: true });
      const when = clean('date', 'datetime', { required: true });
      const externalId = clean('external_id', 'code');
      const values = entity === 'interactions' ? parseInteraction(clean) : parseFeedback(clean);
      if (!customerCode || !when || externalId === false || !values) return;
      let hashId = '';
      if (!externalId) {
        if (customerCode !== occurrenceCustomer) {
          occurrences.clear();
          occurrenceCustomer = customerCode;
        }
        const content = JSON.stringify([customerCode, when.time, values]);
        const n = (occurrences.get(content) ?? 0) + 1;
        occurrences.set(content, n);
        hashId = `${entity}:h:${crypto.createHash('sha1').update(content).digest('base64url').slice(0, 20)}:${n}`;
      }
      batch.push({
        row,
        customerCode,
        codeColumn: cells.header('customer_code') ?? 'customer_code',
        externalId: externalId ? `${entity}:${externalId}` : hashId,
        at: when.time,
        date: when.date,
        values,
      });
      if (batch.length >= BATCH) await flush();
    },
    finish: flush,
  };
}
