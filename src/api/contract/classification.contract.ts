/** Classification runs and results: run now, past runs, customers per class, one customer's classes. */

import { z } from 'zod';
import { isIsoDate } from '../../core/dates.ts';
import { bilingualDto, explanationLinesDto } from './common.contract.ts';
import { classHistoryEntryDto } from './customers.contract.ts';

const matrix = z
  .record(z.string(), z.record(z.string(), z.number()))
  .describe('from class → to class → customers; "(none)" = no class before');

export const asOfSchema = z
  .string()
  .refine(isIsoDate, 'a date written YYYY-MM-DD')
  .describe('as-of date YYYY-MM-DD; default today in the workspace zone');

/** A run's (or a preview's) outcome: customers per class and moves from the classes before. */
export const runSummaryDto = z.object({
  schemeKey: z.string(),
  schemeName: bilingualDto,
  runId: z.number().nullable(),
  asOf: z.string(),
  population: z.number(),
  counts: z.record(z.string(), z.number()),
  classNames: z.record(z.string(), bilingualDto),
  transitions: matrix,
  changed: z.number(),
});

export const classLabelDto = z.object({ key: z.string(), name: bilingualDto, color: z.string().nullable() });

export const distributionDto = z.object({
  schemeKey: z.string(),
  schemeName: bilingualDto,
  version: z.number(),
  total: z.number(),
  lastRun: z.object({ id: z.number(), asOf: z.string(), finishedAt: z.string().nullable() }).nullable(),
  classes: z.array(classLabelDto.extend({ customers: z.number(), share: z.number() })),
});

export const runDto = z.object({
  id: z.number(),
  schemeKey: z.string(),
  schemeVersion: z.number(),
  previousRunId: z.number().nullable(),
  asOf: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  status: z.string(),
  population: z.number(),
  counts: z.record(z.string(), z.number()),
  transitions: matrix,
  changed: z.number(),
});

export const runBody = z
  .object({
    schemeKeys: z.array(z.string().min(1).max(64)).max(50).optional(),
    asOf: asOfSchema.optional(),
  })
  .nullish();

export const runResultDto = z.object({ runs: z.array(runSummaryDto) });

export const runListQuery = z.object({
  scheme: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.coerce.number().int().positive().optional().describe('page: runs with a smaller id'),
});

export const runListDto = z.object({ runs: z.array(runDto), nextBefore: z.number().nullable() });

export const runIdParams = z.object({ id: z.coerce.number().int().positive() });

export const distributionQuery = z.object({ scheme: z.string().min(1).max(64).optional() });

export const distributionListDto = z.object({ schemes: z.array(distributionDto) });

export const customerClassDto = z.object({
  schemeKey: z.string(),
  schemeName: bilingualDto,
  /** null when the customer has not been classified under the scheme yet */
  classKey: z.string().nullable(),
  className: bilingualDto.nullable(),
  color: z.string().nullable(),
  since: z.string().nullable(),
  runId: z.number().nullable(),
  asOf: z.string().nullable(),
  explanation: z
    .object({
      /** the class the rules give today from the run's metrics; normally equal to classKey */
      classKey: z.string(),
      /** why: the matching class's conditions with actual values */
      lines: explanationLinesDto,
      /** every class tried in order, up to the one that matched */
      steps: z.array(
        z.object({
          classKey: z.string(),
          name: bilingualDto,
          rule: z.string(),
          result: z.boolean().nullable(),
          lines: explanationLinesDto,
        }),
      ),
    })
    .nullable(),
  history: z.array(classHistoryEntryDto),
});

export const customerClassesParams = z.object({ code: z.string().min(1).max(128) });

export const customerClassesDto = z.object({
  customerCode: z.string(),
  customerName: z.string().nullable(),
  schemes: z.array(customerClassDto),
});

export type RunSummary = z.output<typeof runSummaryDto>;
export type RunRecord = z.output<typeof runDto>;
export type Distribution = z.output<typeof distributionDto>;
export type ClassLabel = z.output<typeof classLabelDto>;
export type CustomerClass = z.output<typeof customerClassDto>;
export type Transitions = RunSummary['transitions'];
