import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { todayIn } from '../../core/dates.ts';
import { isKeleiError, KeleiError } from '../../core/errors.ts';
import {
  findCustomerOwner,
  findRunReport,
  listRuns,
  type RunReport,
} from '../../db/classification/classification-reports.repository.ts';
import { findSchemeByKey } from '../../db/schemes/schemes.repository.ts';
import { audit } from '../../services/audit/audit.service.ts';
import { type Principal, scopeOf } from '../../services/auth/policy.ts';
import {
  type CustomerExplanation,
  explainCustomer,
  runClassification,
} from '../../services/classification/classification.service.ts';
import { runReportsFor } from '../../services/classification/run-reports.ts';
import { classDistribution, classLabels, schemesFor } from '../../services/dashboard/class-distribution.ts';
import type { AppDeps } from '../app-deps.ts';
import { authorize } from '../authorize.ts';
import {
  type CustomerClass,
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

/**
 * Classification runs and results (docs/classification.md): run now, runs with counts and
 * transition matrices, distribution per scheme, and one customer's classes with the
 * why. Customer-level answers respect the record scope: a role limited to its own
 * customers sees only those (others are 404).
 */
export async function registerClassificationRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = deps.handle.db;

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
      const { scheme: key, limit, before } = request.query;
      let schemeId: number | undefined;
      if (key !== undefined) {
        const scheme = await findSchemeByKey(db, key);
        if (!scheme) throw schemeNotFound(key);
        schemeId = scheme.id;
      }
      const stored = await listRuns(db, { schemeId, limit, beforeId: before });
      const runs = await runReportsFor(db, { viewer: who, runs: stored });
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
      const run = await findRunReport(db, request.params.id);
      if (!run) {
        throw new KeleiError('NotFound', {
          en: `no classification run ${request.params.id}`,
          zh: `分类运行 ${request.params.id} 不存在`,
        });
      }
      const [seen] = await runReportsFor(db, { viewer: who, runs: [run] });
      return runDtoOf(seen);
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
      const who = authorize(request, 'classification.read');
      const { code } = request.params;
      const customer = await findCustomerOwner(db, code);
      const owner = ownerFilter(who);
      if (!customer || (owner !== undefined && customer.ownerUserId !== owner)) {
        throw new KeleiError('CustomerNotFound', {
          en: `no customer with code "${code}"`,
          zh: `找不到客户编号为“${code}”的客户`,
        });
      }
      const schemes = await schemesFor(deps.handle, { now: deps.clock() });
      let customerName: string | null = null;
      const entries: CustomerClass[] = [];
      for (const scheme of schemes) {
        let explained: CustomerExplanation | null = null;
        try {
          explained = await explainCustomer(deps.handle, { code, schemeKey: scheme.key });
        } catch (e) {
          if (!(isKeleiError(e) && e.code === 'NotClassified')) throw e;
        }
        if (!explained) {
          entries.push({
            schemeKey: scheme.key,
            schemeName: scheme.definition.name,
            classKey: null,
            className: null,
            color: null,
            since: null,
            runId: null,
            asOf: null,
            explanation: null,
            history: [],
          });
          continue;
        }
        customerName = explained.customerName;
        const label = classLabels(scheme.definition, [explained.storedClass]).find(
          (l) => l.key === explained.storedClass,
        );
        const steps = explained.explanation.steps;
        const matched = steps.find((s) => s.classKey === explained.explanation.classKey);
        entries.push({
          schemeKey: scheme.key,
          schemeName: explained.schemeName,
          classKey: explained.storedClass,
          className: label?.name ?? null,
          color: label?.color ?? null,
          since: explained.since,
          runId: explained.runId,
          asOf: explained.asOf,
          explanation: {
            classKey: explained.explanation.classKey,
            lines: matched?.lines ?? { zh: [], en: [] },
            steps: steps.map((s) => ({
              classKey: s.classKey,
              name: s.name,
              rule: s.rule,
              result: s.result,
              lines: s.lines,
            })),
          },
          history: explained.history,
        });
      }
      if (customerName === null) {
        customerName =
          (await db.selectFrom('customers').select('name').where('id', '=', customer.id).executeTakeFirst())
            ?.name ?? null;
      }
      return { customerCode: code, customerName, schemes: entries };
    },
  );
}

/** The owner customer-level answers are narrowed to, or undefined for roles that see every customer. */
export function ownerFilter(who: Principal): number | undefined {
  return scopeOf(who.role) === 'own' ? who.userId : undefined;
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

function schemeNotFound(key: string): KeleiError {
  return new KeleiError('SchemeNotFound', {
    en: `no classification scheme "${key}"`,
    zh: `没有名为“${key}”的分类方案`,
  });
}
