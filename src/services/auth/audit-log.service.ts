import { addDays, isIsoDate } from '../../core/dates.ts';
import { KeleiError } from '../../core/errors.ts';
import { findAuditPage } from '../../db/auth/audit-log.repository.ts';
import type { Db } from '../../db/database.ts';

export type AuditLogFilter = {
  actor?: string;
  action?: string;
  entity?: string;
  entityId?: string;
  /** from this instant on; a bare 'YYYY-MM-DD' means that day's start in the workspace zone */
  from?: string;
  /** up to this instant; a bare 'YYYY-MM-DD' includes that whole day */
  to?: string;
};

export type AuditLogEntry = {
  id: number;
  at: string;
  actor: string;
  action: string;
  entity: string | null;
  entityId: string | null;
  details: Record<string, unknown> | null;
};

export type AuditLogPage = { items: AuditLogEntry[]; total: number; page: number; pageSize: number };

/** One page of the audit log, newest first, with the count of every matching row. */
export async function queryAuditLog(
  db: Db,
  options: { filter: AuditLogFilter; page: number; pageSize: number; timeZone: string },
): Promise<AuditLogPage> {
  const { filter, page, pageSize, timeZone } = options;
  const from = filter.from === undefined ? undefined : bound(filter.from, { timeZone, end: false });
  const to = filter.to === undefined ? undefined : bound(filter.to, { timeZone, end: true });
  const { rows, total } = await findAuditPage(db, {
    filter: { ...filter, from, to },
    limit: pageSize,
    offset: (page - 1) * pageSize,
  });
  return {
    items: rows.map((r) => ({
      id: Number(r.id),
      at: r.at,
      actor: r.actor,
      action: r.action,
      entity: r.entity,
      entityId: r.entity_id,
      details: parseDetails(r.details),
    })),
    total,
    page,
    pageSize,
  };
}

function parseDetails(text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      return Object.fromEntries(Object.entries(value));
    }
    return { value };
  } catch {
    return { text };
  }
}

/** An ISO-UTC bound from an instant or a calendar day of the workspace zone. */
function bound(
  value: string,
  options: { timeZone: string; end: boolean },
): { at: string; inclusive: boolean } {
  if (isIsoDate(value)) {
    const day = options.end ? addDays(value, 1) : value;
    return { at: startOfDayIn(day, options.timeZone).toISOString(), inclusive: !options.end };
  }
  const at = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(at.getTime())) {
    throw new KeleiError('InvalidDate', {
      en: `"${value}" is neither a date YYYY-MM-DD nor an ISO date-time`,
      zh: `“${value}”既不是 YYYY-MM-DD 日期，也不是 ISO 日期时间`,
    });
  }
  return { at: at.toISOString(), inclusive: true };
}

/** The instant a calendar day begins in an IANA zone (DST-safe for whole-hour shifts). */
function startOfDayIn(date: string, timeZone: string): Date {
  const utcMidnight = Date.parse(`${date}T00:00:00Z`);
  let at = utcMidnight - zoneOffsetMs(utcMidnight, timeZone);
  at = utcMidnight - zoneOffsetMs(at, timeZone);
  return new Date(at);
}

function zoneOffsetMs(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(at));
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(
    part('year'),
    part('month') - 1,
    part('day'),
    part('hour'),
    part('minute'),
    part('second'),
  );
  return wall - (at - (at % 1000));
}
