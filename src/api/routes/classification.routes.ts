import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { todayIn } from '../../core/dates.ts';
import { audit } from '../../services/audit/audit.service.ts';
import { runClassification } from '../../services/classification/classification.service.ts';
import {
  getRunReport,
  listRunReports,
  type RunReport,
} from '../../services/classification/run-reports.service.ts';
import { accessOf } from '../../services/customers/customer-access.ts';
import { getCustomerClasses } from '../../services/customers/customers.service.ts';
import { classDistribution } from '../../services/dashboard/class-distribution.ts';
import type { AppDeps } from '../app-deps.ts';
import { authorize } from '../authorize.ts';
import {
  customerClassesDto,
  customerClassesParams,
  distributionListDto,
  distributionQuery,
  type RunRecord,
  runBody,
  runDto,
  runIdParams,
  runListDto,
  runListQuery,
  runResultDto,
} from '../contract/classification.contract.ts';
import { customerServiceDeps } from './customers.routes.ts';

/**
 * Classification runs and results (docs/classification.md): run now, runs with counts and
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
        body: runBody,
        response: { 200: runResultDto },
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
        querystring: runListQuery,
        response: { 200: runListDto },
      },
    },
    async (request) => {
      const who = authorize(request, 'classification.read');
      const { scheme: schemeKey, limit, before } = request.query;
      const runs = await listRunReports(deps.handle, { viewer: who, schemeKey, limit, before });
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
        params: runIdParams,
        response: { 200: runDto },
      },
    },
    async (request) => {
      const who = authorize(request, 'classification.read');
      return runDtoOf(await getRunReport(deps.handle, { viewer: who, id: request.params.id }));
    },
  );

  r.get(
    '/api/v1/classification/distribution',
    {
      schema: {
        tags: ['classification'],
        summary: 'Customers per class of every active scheme (or one), with names and colours',
        querystring: distributionQuery,
        response: { 200: distributionListDto },
      },
    },
    async (request) => {
      const who = authorize(request, 'classification.read');
      const schemes = await classDistribution(deps.handle, {
        schemeKey: request.query.scheme,
        viewer: who,
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
        params: customerClassesParams,
        response: { 200: customerClassesDto },
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

function runDtoOf(run: RunReport): RunRecord {
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
