/** The 概览 page in one answer: totals, distribution, heat map, scatter, trends, retention, tasks. */

import { z } from 'zod';
import { isIsoDate } from '../../core/dates.ts';
import { classLabelDto, distributionDto } from './classification.contract.ts';

const counts = z.record(z.string(), z.number());

export const dashboardQuery = z.object({
  asOf: z
    .string()
    .refine(isIsoDate, 'a date written YYYY-MM-DD')
    .optional()
    .describe('date the sales windows end on; default today in the workspace zone'),
});

export const dashboardDto = z.object({
  asOf: z.string(),
  scope: z
    .enum(['all', 'own'])
    .describe('own: figures cover only the caller’s customers (and lastImport is null)'),
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
    classes: z.array(classLabelDto),
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
      classes: z.array(classLabelDto),
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
        classLabelDto.extend({
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

export type Dashboard = z.output<typeof dashboardDto>;
