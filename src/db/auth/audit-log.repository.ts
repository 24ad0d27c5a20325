import type { Insertable, Selectable } from 'kysely';
import type { Db } from '../database.ts';
import type { AuditLogTable } from '../schema.ts';

export type AuditLogRow = Selectable<AuditLogTable>;

/** Appends one row to the append-only audit log. */
export async function appendAuditRow(db: Db, row: Insertable<AuditLogTable>): Promise<void> {
  await db.insertInto('audit_log').values(row).execute();
}

/** Which audit rows to read: equal columns, and ISO-UTC bounds on the time. */
export type AuditRowFilter = {
  actor?: string;
  action?: string;
  entity?: string;
  entityId?: string;
  from?: { at: string; inclusive: boolean };
  to?: { at: string; inclusive: boolean };
};

/** One page of matching audit rows, newest first, with the count of all of them. */
export async function findAuditPage(
  db: Db,
  options: { filter: AuditRowFilter; limit: number; offset: number },
): Promise<{ rows: AuditLogRow[]; total: number }> {
  const { filter } = options;
  const { from, to } = filter;
  const base = db
    .selectFrom('audit_log')
    .$if(filter.actor !== undefined, (q) => q.where('actor', '=', filter.actor ?? ''))
    .$if(filter.action !== undefined, (q) => q.where('action', '=', filter.action ?? ''))
    .$if(filter.entity !== undefined, (q) => q.where('entity', '=', filter.entity ?? ''))
    .$if(filter.entityId !== undefined, (q) => q.where('entity_id', '=', filter.entityId ?? ''))
    .$if(from !== undefined, (q) => q.where('at', '>=', from?.at ?? ''))
    .$if(to !== undefined, (q) => q.where('at', to?.inclusive ? '<=' : '<', to?.at ?? ''));
  const [count, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    base
      .selectAll()
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(options.limit)
      .offset(options.offset)
      .execute(),
  ]);
  return { rows, total: Number(count.n) };
}
