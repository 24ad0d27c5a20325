import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isIsoDate, todayIn } from '../../core/dates.ts';
import { audit } from '../../services/audit/audit.service.ts';
import { type Principal, scopeOf } from '../../services/auth/policy.ts';
import {
  NO_PREVIOUS_CLASS,
  runClassification,
} from '../../services/classification/classification.service.ts';
import {
  getRunReport,
  listRunReports,
  type RunReport,
} from '../../services/classification/run-reports.service.ts';
import { accessOf } from '../../services/customers/customer-access.ts';
import { getCustomerClasses } from '../../services/customers/customers.service.ts';
import { classDistribution } from '../../services/dashboard/class-distribution.ts';
import { type AppDeps, authorize } from '../app.ts';
import { customerServiceDeps } from './customers.routes.ts';

const bilingual = z.object({ zh: z.string(), en: z.string() });
const matrix = z
  .record(z.string(), z.record(z.string(), z.number()))
  .describe(`from class → to class → customers; "${NO_PREVIOUS_CLASS}" = no class before`);

/** A run's (or a preview's) outcome: customers per class and moves from the classes before. */
export const runSummaryDto = z.object({
  schemeKey: z.string(),
  schemeName: bilingual,
  runId: z.number().nullable(),
  asOf: z.string(),
  population: z.number(),
  counts: z.record(z.string(), z.number()),
  classNames: z.record(z.string(), bilingual),
  transitions: matrix,
  changed: z.number(),
});

const classLabelDto = z.object({ key: z.string(), name: bilingual, color: z.string().nullable() });

export const distributionDto = z.object({
  schemeKey: z.string(),
  schemeName: bilingual,
  version: z.number(),
  total: z.number(),
  lastRun: z.object({ id: z.number(), asOf: z.string(), finishedAt: z.string().nullable() }).nullable(),
  classes: z.array(classLabelDto.extend({ customers: z.number(), share: z.number() })),
});

const runDto = z.object({
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

const explanationLines = z.object({ zh: z.array(z.string()), en: z.array(z.string()) });

const customerClassDto = z.object({
  schemeKey: z.string(),
  schemeName: bilingual,
  /** null when the customer has not been classified under the scheme yet */
  classKey: z.string().nullable(),
  className: bilingual.nullable(),
  color: z.string().nullable(),
  since: z.string().nullable(),
  runId: z.number().nullable(),
  asOf: z.string().nullable(),
  explanation: z
    .object({
      /** the class the rules give today from the run's metrics; normally equal to classKey */
      classKey: z.string(),
      /** why: the matching class's conditions with actual values */
      lines: explanationLines,
      /** every class tried in order, up to the one that matched */
      steps: z.array(
        z.object({
          classKey: z.string(),
          name: bilingual,
          rule: z.string(),
          result: z.boolean().nullable(),
          lines: explanationLines,
        }),
      ),
    })
    .nullable(),
  history: z.array(
    z.object({ runId: z.number(), from: z.string().nullable(), to: z.string(), at: z.string() }),
  ),
});

const asOfSchema = z
  .string()
  .refine(isIsoDate, 'a date written YYYY-MM-DD')
  .describe('as-of date YYYY-MM-DD; default today in the workspace zone');

/**
 * Classification runs and results (DESIGN.md §4, §8): run now, runs with counts and
 * transition matrices, distribution per scheme, and one customer's classes with the
 * why. Customer-level answers respect the record scope: a role limited to its own
 * customers sees only those (others are 404).
 */
export async function registerClassificationRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = deps.handle.db;
  const customers = customerServiceDeps(deps);

  r.post(
    '/api/v1/classification/runs',
    {
      schema: {
        tags: ['classification'],
        summary: 'Classify every customer now under the active schemes (or the ones named)',
        body: z
          .object({
            schemeKeys: z.array(z.string().min(1).max(64)).max(50).optional(),
            asOf: asOfSchema.optional(),
          })
          .nullish(),
        response: { 200: z.object({ runs: z.array(runSummaryDto) }) },
      },
    },
    async (request) => {
      const who = authorize(request, 'classification.run');
      const asOf = request.body?.asOf ?? todayIn(deps.config.timeZone, deps.clock());
      const runs = await runClassification(deps.handle, {
        asOf,
        schemeKeys: request.body?.schemeKeys,
        now: deps.clock,
      });
      await audit(db, {
        actor: who.username,
        action: 'classification.run',
        entity: 'classification_run',
        entityId: runs[0]?.runId ?? undefined,
        details: { asOf, schemes: runs.map((s) => s.schemeKey), runIds: runs.map((s) => s.runId) },
        at: deps.clock(),
      });
      return { runs };
    },
  );

  r.get(
    '/api/v1/classification/runs',
    {
      schema: {
        tags: ['classification'],
        summary: 'Runs, newest first, with counts per class and transition matrices',
        querystring: z.object({
          scheme: z.string().min(1).max(64).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          before: z.coerce.number().int().positive().optional().describe('page: runs with a smaller id'),
        }),
        response: { 200: z.object({ runs: z.array(runDto), nextBefore: z.number().nullable() }) },
      },
    },
    async (request) => {
      authorize(request, 'classification.read');
      const { scheme: schemeKey, limit, before } = request.query;
      const runs = await listRunReports(deps.handle, { schemeKey, limit, before });
      return {
        runs: runs.map(runDtoOf),
        nextBefore: runs.length === limit ? runs[runs.length - 1].id : null,
      };
    },
  );

  r.get(
    '/api/v1/classification/runs/:id',
    {
      schema: {
        tags: ['classification'],
        summary: 'One run',
        params: z.object({ id: z.coerce.number().int().positive() }),
        response: { 200: runDto },
      },
    },
    async (request) => {
      authorize(request, 'classification.read');
      return runDtoOf(await getRunReport(deps.handle, request.params.id));
    },
  );

  r.get(
    '/api/v1/classification/distribution',
    {
      schema: {
        tags: ['classification'],
        summary: 'Customers per class of every active scheme (or one), with names and colours',
        querystring: z.object({ scheme: z.string().min(1).max(64).optional() }),
        response: { 200: z.object({ schemes: z.array(distributionDto) }) },
      },
    },
    async (request) => {
      const who = authorize(request, 'classification.read');
      const schemes = await classDistribution(deps.handle, {
        schemeKey: request.query.scheme,
        ownerUserId: ownerFilter(who),
        now: deps.clock(),
      });
      return { schemes };
    },
  );

  r.get(
    '/api/v1/customers/:code/classes',
    {
      schema: {
        tags: ['classification'],
        summary: "A customer's class under each active scheme, why, and the class history",
        params: z.object({ code: z.string().min(1).max(128) }),
        response: {
          200: z.object({
            customerCode: z.string(),
            customerName: z.string().nullable(),
            schemes: z.array(customerClassDto),
          }),
        },
      },
    },
    async (request) => {
      const access = accessOf(authorize(request, 'classification.read'));
      const found = await getCustomerClasses(customers, { access, code: request.params.code });
      return {
        customerCode: found.code,
        customerName: found.name,
        schemes: found.schemes.map(({ schemeKey, schemeName, color, view }) => ({
          schemeKey,
          schemeName,
          classKey: view?.classKey ?? null,
          className: view?.className ?? null,
          color,
          since: view?.since ?? null,
          runId: view?.runId ?? null,
          asOf: view?.asOf ?? null,
          explanation: view
            ? {
                classKey: view.ruleClassKey,
                lines: view.why,
                steps: view.steps.map((s) => ({
                  classKey: s.classKey,
                  name: s.name,
                  rule: s.rule,
                  result: s.result,
                  lines: s.lines,
                })),
              }
            : null,
          history: view?.history ?? [],
        })),
      };
    },
  );
}

/** The owner customer-level answers are narrowed to, or undefined for roles that see every customer. */
export function ownerFilter(who: Principal): number | undefined {
  return scopeOf(who.role) === 'own' ? who.userId : undefined;
}

function runDtoOf(run: RunReport): z.infer<typeof runDto> {
  return {
    id: run.id,
    schemeKey: run.schemeKey,
    schemeVersion: run.schemeVersion,
    previousRunId: run.previousRunId,
    asOf: run.asOf,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    status: run.status,
    population: run.population,
    counts: run.counts,
    transitions: run.transitions,
    changed: run.changed,
  };
}
