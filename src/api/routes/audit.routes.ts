import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { queryAuditLog } from '../../services/auth/audit-log.service.ts';
import type { AppDeps } from '../app-deps.ts';
import { authorize } from '../authorize.ts';
import { auditPageDto, auditQuery } from '../contract/audit.contract.ts';

/** The append-only audit log, for admins. */
export async function registerAuditRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'Read the audit log, newest first / 审计日志',
        querystring: auditQuery,
        response: { 200: auditPageDto },
      },
    },
    async (request) => {
      authorize(request, 'audit.read');
      const { page, pageSize, ...filter } = request.query;
      return queryAuditLog(deps.handle.db, { filter, page, pageSize, timeZone: deps.config.timeZone });
    },
  );
}
