import crypto from 'node:crypto';
import { type CellReader, cleanField } from './cells.ts';
import type { RowSink, SinkContext } from './import.service.ts';

const BATCH = 2000;

type ActivityRecord = {
  row: number;
  customerCode: string;
  externalId: string | null;
  at: string;
  date: string;
  values: Record<string, string | number | null>;
};

const INTERACTION_CHANNELS: Record<string, string> = {
  电话: 'phone',
  phone: 'phone',
  call: 'phone',
  邮件: 'email',
  邮箱: 'email',
  email: 'email',
  微信: 'wechat',
  wechat: 'wechat',
  拜访: 'visit',
  上门: 'visit',
  visit: 'visit',
  在线: 'chat',
  在线客服: 'chat',
  chat: 'chat',
  其他: 'other',
  other: 'other',
};

function parseInteraction(
  row: number,
  cells: CellReader,
  ctx: SinkContext,
): Record<string, string | number | null> | null {
  const channelText = cleanField(cells, 'channel', 'text', ctx, row);
  const fields = ['direction', 'subject', 'request', 'solution', 'outcome'] as const;
  const values: Record<string, string | number | null> = {};
  let ok = channelText !== false;
  for (const f of fields) {
    const v = cleanField(cells, f, 'text', ctx, row);
    if (v === false) ok = false;
    else values[f] = v ?? null;
  }
  if (!ok) return null;
  const channel = channelText ? (INTERACTION_CHANNELS[channelText.toLowerCase()] ?? 'other') : 'other';
  values.channel = channel;
  return values;
}

function parseFeedback(
  row: number,
  cells: CellReader,
  ctx: SinkContext,
): Record<string, string | number | null> | null {
  const satisfaction = cleanField(cells, 'satisfaction', 'integer', ctx, row);
  const nps = cleanField(cells, 'nps', 'integer', ctx, row);
  const kindText = cleanField(cells, 'kind', 'text', ctx, row);
  const statusText = cleanField(cells, 'status', 'text', ctx, row);
  const comment = cleanField(cells, 'comment', 'text', ctx, row);
  const suggestion = cleanField(cells, 'suggestion', 'text', ctx, row);
  const resolution = cleanField(cells, 'resolution', 'text', ctx, row);
  if ([satisfaction, nps, kindText, statusText, comment, suggestion, resolution].includes(false)) return null;
  if (typeof satisfaction === 'number' && (satisfaction < 1 || satisfaction > 5)) {
    ctx.error({
      row,
      column: cells.header('satisfaction'),
      value: String(satisfaction),
      reason: { zh: '满意度须为 1–5', en: 'satisfaction must be 1–5' },
    });
    return null;
  }
  if (typeof nps === 'number' && (nps < 0 || nps > 10)) {
    ctx.error({
      row,
      column: cells.header('nps'),
      value: String(nps),
      reason: { zh: '推荐意愿须为 0–10', en: 'NPS must be 0–10' },
    });
    return null;
  }
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
    const external = records.map((r) => externalIdOf(r));
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
          column: 'customer_code',
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
    const per = Math.floor(ctx.handle.caps.maxParameters / 16);
    for (let i = 0; i < interactionRows.length; i += per) {
      await trx
        .insertInto('interactions')
        .values(interactionRows.slice(i, i + per))
        .execute();
    }
    for (let i = 0; i < feedbackRows.length; i += per) {
      await trx
        .insertInto('feedback')
        .values(feedbackRows.slice(i, i + per))
        .execute();
    }
  }

  function externalIdOf(r: ActivityRecord): string {
    if (r.externalId) return `${entity}:${r.externalId}`;
    return r.values.__hash as string;
  }

  return {
    async add(row, cells) {
      const customerCode = cleanField(cells, 'customer_code', 'code', ctx, row, { required: true });
      const when = cleanField(cells, 'date', 'datetime', ctx, row, { required: true });
      const externalId = cleanField(cells, 'external_id', 'code', ctx, row);
      const values =
        entity === 'interactions' ? parseInteraction(row, cells, ctx) : parseFeedback(row, cells, ctx);
      if (!customerCode || !when || externalId === false || !values) return;
      if (!externalId) {
        if (customerCode !== occurrenceCustomer) {
          occurrences.clear();
          occurrenceCustomer = customerCode;
        }
        const content = JSON.stringify([customerCode, when.time, values]);
        const n = (occurrences.get(content) ?? 0) + 1;
        occurrences.set(content, n);
        values.__hash = `${entity}:h:${crypto.createHash('sha1').update(content).digest('base64url').slice(0, 20)}:${n}`;
      }
      batch.push({
        row,
        customerCode,
        externalId: externalId ?? null,
        at: when.time,
        date: when.date,
        values,
      });
      if (batch.length >= BATCH) await flush();
    },
    finish: flush,
  };
}
