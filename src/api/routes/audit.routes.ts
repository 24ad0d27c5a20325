import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { queryAuditLog } from '../../services/auth/audit-log.service.ts';
import type { AppDeps } from '../app-deps.ts';
import { authorize } from '../authorize.ts';

const instantOrDate = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })])
  .describe('YYYY-MM-DD (a whole day in the workspace time zone) or an ISO date-time');

/** The append-only audit log, for admins. */
export async function registerAuditRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'Read the audit log, newest first / 审计日志',
        querystring: z.object({
          actor: z.string().min(1).max(100).optional(),
          action: z.string().min(1).max(64).optional(),
          entity: z.string().min(1).max(64).optional(),
          entityId: z.string().min(1).max(64).optional(),
          from: instantOrDate.optional(),
          to: instantOrDate.optional(),
          page: z.coerce.number().int().min(1).default(1),
          pageSize: z.coerce.number().int().min(1).max(500).default(50),
        }),
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: z.number(),
                at: z.string(),
                actor: z.string(),
                action: z.string(),
                entity: z.string().nullable(),
                entityId: z.string().nullable(),
                details: z.record(z.string(), z.unknown()).nullable(),
              }),
            ),
            total: z.number(),
            page: z.number(),
            pageSize: z.number(),
          }),
        },
      },
    },
    async (request) => {
      authorize(request, 'audit.read');
      const { page, pageSize, ...filter } = request.query;
      return queryAuditLog(deps.handle.db, { filter, page, pageSize, timeZone: deps.config.timeZone });
    },
  );
}
