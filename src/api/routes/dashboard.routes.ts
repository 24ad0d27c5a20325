import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { todayIn } from '../../core/dates.ts';
import { loadDashboard } from '../../services/dashboard/dashboard.service.ts';
import type { AppDeps } from '../app-deps.ts';
import { authorize } from '../authorize.ts';
import { dashboardDto, dashboardQuery } from '../contract/dashboard.contract.ts';

/** The 概览 page in one request (docs/web.md). */
export async function registerDashboardRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/dashboard',
    {
      schema: {
        tags: ['dashboard'],
        summary:
          'Totals, class distribution, RFM heat map, value-potential scatter, trends, retention, tasks',
        querystring: dashboardQuery,
        response: { 200: dashboardDto },
      },
    },
    async (request) => {
      const who = authorize(request, 'dashboard.read');
      return loadDashboard(deps.handle, {
        asOf: request.query.asOf ?? todayIn(deps.config.timeZone, deps.clock()),
        viewer: who,
        now: deps.clock(),
      });
    },
  );
}
