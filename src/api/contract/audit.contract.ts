/** The append-only audit log, for administrators. */

import { z } from 'zod';
import { pagingQueryOf } from './common.contract.ts';

const instantOrDate = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })])
  .describe('YYYY-MM-DD (a whole day in the workspace time zone) or an ISO date-time');

export const auditQuery = z
  .object({
    actor: z.string().min(1).max(100).optional(),
    action: z.string().min(1).max(64).optional(),
    entity: z.string().min(1).max(64).optional(),
    entityId: z.string().min(1).max(64).optional(),
    from: instantOrDate.optional(),
    to: instantOrDate.optional(),
  })
  .extend(pagingQueryOf({ max: 500, defaultSize: 50 }).shape);

export const auditEntryDto = z.object({
  id: z.number(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  entity: z.string().nullable(),
  entityId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
});

export const auditPageDto = z.object({
  items: z.array(auditEntryDto),
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
});

export type AuditQuery = z.input<typeof auditQuery>;
export type AuditEntry = z.output<typeof auditEntryDto>;
export type AuditPage = z.output<typeof auditPageDto>;
