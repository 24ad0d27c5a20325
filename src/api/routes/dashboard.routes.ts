import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isIsoDate, todayIn } from '../../core/dates.ts';
import { loadDashboard } from '../../services/dashboard/dashboard.service.ts';
import type { AppDeps } from '../app-deps.ts';
import { authorize } from '../authorize.ts';
import { distributionDto, ownerFilter } from './classification.routes.ts';

const bilingual = z.object({ zh: z.string(), en: z.string() });
const classLabel = z.object({ key: z.string(), name: bilingual, color: z.string().nullable() });
const counts = z.record(z.string(), z.number());

const dashboardDto = z.object({
  asOf: z.string(),
  scope: z.enum(['all', 'own']).describe('own: figures cover only the caller’s customers'),
  totals: z.object({
    customers: z.number(),
    orders: z.number(),
    orders365d: z.number(),
    revenue365d: z.number().describe('fen, completed orders net of returns, asOf − 365 < date ≤ asOf'),
    activeCustomers365d: z.number(),
  }),
  distribution: z.array(distributionDto),
  rfmHeatmap: z.array(
    z.object({ r: z.number(), f: z.number(), customers: z.number(), avgM: z.number().nullable() }),
  ),
  valuePotential: z.object({
    schemeKey: z.string().nullable(),
    population: z.number().describe('customers with both scores; points are a sample of at most 2,000'),
    classes: z.array(classLabel),
    points: z.array(
      z.object({
        code: z.string(),
        value: z.number(),
        potential: z.number(),
        classKey: z.string().nullable(),
      }),
    ),
  }),
  classTrend: z.array(
    z.object({
      schemeKey: z.string(),
      classes: z.array(classLabel),
      runs: z.array(z.object({ runId: z.number(), asOf: z.string(), counts })),
    }),
  ),
  transitions: z.array(
    z.object({
      schemeKey: z.string(),
      fromRunId: z.number().nullable(),
      toRunId: z.number(),
      toAsOf: z.string(),
      matrix: z.record(z.string(), counts),
    }),
  ),
  retention: z.array(
    z.object({
      schemeKey: z.string(),
      classes: z.array(
        classLabel.extend({
          customers: z.number(),
          repurchasers: z.number(),
          repurchaseRate: z
            .number()
            .nullable()
            .describe('share of the class with ≥ 2 purchases in the last 365 days'),
          activePrevious: z.number(),
          retained: z.number(),
          retentionRate: z
            .number()
            .nullable()
            .describe('of those who bought in the 365 days before the last 365, the share who bought again'),
        }),
      ),
    }),
  ),
  satisfaction: z.array(
    z.object({
      month: z.string(),
      responses: z.number(),
      satisfactionAvg: z.number().nullable(),
      npsResponses: z.number(),
      npsScore: z.number().nullable(),
      complaints: z.number(),
    }),
  ),
  tasks: z.object({ due: z.number(), overdue: z.number(), next7Days: z.number() }),
  lastImport: z
    .object({
      id: z.number(),
      entity: z.string(),
      fileName: z.string(),
      status: z.string(),
      counts: counts.nullable(),
      startedAt: z.string(),
      finishedAt: z.string().nullable(),
    })
    .nullable(),
  lastRun: z
    .object({
      id: z.number(),
      schemeKey: z.string(),
      asOf: z.string(),
      status: z.string(),
      startedAt: z.string(),
      finishedAt: z.string().nullable(),
    })
    .nullable(),
});

/** The 概览 page in one request (DESIGN.md §8). */
export async function registerDashboardRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/dashboard',
    {
      schema: {
        tags: ['dashboard'],
        summary:
          'Totals, class distribution, RFM heat map, value-potential scatter, trends, retention, tasks',
        querystring: z.object({
          asOf: z
            .string()
            .refine(isIsoDate, 'a date written YYYY-MM-DD')
            .optional()
            .describe('date the sales windows end on; default today in the workspace zone'),
        }),
        response: { 200: dashboardDto },
      },
    },
    async (request) => {
      const who = authorize(request, 'dashboard.read');
      return loadDashboard(deps.handle, {
        asOf: request.query.asOf ?? todayIn(deps.config.timeZone, deps.clock()),
        ownerUserId: ownerFilter(who),
        now: deps.clock(),
      });
    },
  );
}
