import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isIsoDate } from '../../core/dates.ts';
import type { KeleiError } from '../../core/errors.ts';
import { invalidScheme } from '../../core/schemes/scheme.errors.ts';
import { schemeDefinitionSchema } from '../../core/schemes/scheme.ts';
import {
  createScheme,
  discardSchemeDraft,
  getSchemeDraft,
  getSchemeVersions,
  getSchemeView,
  listSchemeViews,
  previewSchemeChange,
  publishSchemeDraft,
  type SchemeServiceDeps,
  saveSchemeDraft,
} from '../../services/schemes/schemes.service.ts';
import { type AppDeps, authorize } from '../app.ts';
import { runSummaryDto } from './classification.routes.ts';

const keyParams = z.object({ key: z.string().min(1).max(64) });

const schemeDto = z.object({
  key: z.string(),
  name: z.object({ zh: z.string(), en: z.string() }),
  description: z.object({ zh: z.string().optional(), en: z.string().optional() }).nullable(),
  builtin: z.boolean(),
  active: z.boolean(),
  version: z.number(),
  publishedAt: z.string().nullable(),
  publishedBy: z.string().nullable(),
  hasDraft: z.boolean(),
  draftSavedAt: z.string().nullable(),
  params: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
  paramUses: z
    .record(
      z.string(),
      z.object({
        type: z.enum(['number', 'money', 'string', 'date', 'boolean']).nullable(),
        fields: z.array(z.string()),
      }),
    )
    .describe('per parameter: the fields rules compare it with and their type (money = yuan)'),
  scores: z.array(z.string()),
  classes: schemeDefinitionSchema.shape.classes,
  lastRun: z
    .object({
      id: z.number(),
      schemeVersion: z.number(),
      asOf: z.string(),
      finishedAt: z.string().nullable(),
      population: z.number(),
      counts: z.record(z.string(), z.number()),
      changed: z.number(),
    })
    .nullable(),
});

const definitionBody = z.object({ definition: schemeDefinitionSchema });

const asOfSchema = z
  .string()
  .refine(isIsoDate, 'a date written YYYY-MM-DD')
  .describe('as-of date YYYY-MM-DD; default today in the workspace zone');

/**
 * Classification schemes (DESIGN.md §4, §8): list with current version, history of
 * versions, a draft per scheme (validated on save), preview of a draft against the
 * current classes, publish of the draft as the next version, and custom schemes.
 */
export async function registerSchemesRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const svc: SchemeServiceDeps = { handle: deps.handle, clock: deps.clock, timeZone: deps.config.timeZone };

  r.get(
    '/api/v1/schemes',
    {
      schema: {
        tags: ['schemes'],
        summary: 'Every scheme with its current version, classes, parameters and last run',
        response: { 200: z.object({ schemes: z.array(schemeDto) }) },
      },
    },
    async (request) => {
      authorize(request, 'schemes.read');
      return { schemes: await listSchemeViews(svc) };
    },
  );

  r.post(
    '/api/v1/schemes',
    {
      attachValidation: true,
      schema: {
        tags: ['schemes'],
        summary: 'Create a custom scheme (published as version 1)',
        body: definitionBody,
        response: { 201: schemeDto },
      },
    },
    async (request, reply) => {
      const who = authorize(request, 'schemes.write');
      const created = await createScheme(svc, { definition: bodyDefinition(request), actor: who.username });
      return reply.status(201).send(created);
    },
  );

  r.get(
    '/api/v1/schemes/:key',
    {
      schema: {
        tags: ['schemes'],
        summary: 'One scheme with its current version',
        params: keyParams,
        response: { 200: schemeDto },
      },
    },
    async (request) => {
      authorize(request, 'schemes.read');
      return getSchemeView(svc, request.params.key);
    },
  );

  r.get(
    '/api/v1/schemes/:key/versions',
    {
      schema: {
        tags: ['schemes'],
        summary: 'Published versions of a scheme, newest first, and its draft',
        params: keyParams,
        response: {
          200: z.object({
            key: z.string(),
            currentVersion: z.number(),
            versions: z.array(
              z.object({
                version: z.number(),
                current: z.boolean(),
                createdAt: z.string(),
                publishedAt: z.string().nullable(),
                publishedBy: z.string().nullable(),
                note: z.string().nullable().describe('what the publisher wrote about the change'),
                definition: schemeDefinitionSchema,
              }),
            ),
            draft: z.object({ savedAt: z.string(), definition: schemeDefinitionSchema }).nullable(),
          }),
        },
      },
    },
    async (request) => {
      authorize(request, 'schemes.read');
      return getSchemeVersions(svc, request.params.key);
    },
  );

  r.get(
    '/api/v1/schemes/:key/draft',
    {
      schema: {
        tags: ['schemes'],
        summary: "The scheme's draft",
        params: keyParams,
        response: { 200: z.object({ savedAt: z.string(), definition: schemeDefinitionSchema }) },
      },
    },
    async (request) => {
      authorize(request, 'schemes.read');
      return getSchemeDraft(svc, request.params.key);
    },
  );

  r.put(
    '/api/v1/schemes/:key/draft',
    {
      attachValidation: true,
      schema: {
        tags: ['schemes'],
        summary: 'Save a draft definition (validated: 400 InvalidScheme / InvalidRule with line and column)',
        params: keyParams,
        body: definitionBody,
        response: { 200: z.object({ savedAt: z.string(), definition: schemeDefinitionSchema }) },
      },
    },
    async (request) => {
      authorize(request, 'schemes.write');
      return saveSchemeDraft(svc, { key: request.params.key, definition: bodyDefinition(request) });
    },
  );

  r.delete(
    '/api/v1/schemes/:key/draft',
    {
      schema: {
        tags: ['schemes'],
        summary: 'Discard the draft',
        params: keyParams,
        response: { 200: z.object({ ok: z.boolean() }) },
      },
    },
    async (request) => {
      authorize(request, 'schemes.write');
      await discardSchemeDraft(svc, request.params.key);
      return { ok: true };
    },
  );

  r.post(
    '/api/v1/schemes/:key/preview',
    {
      attachValidation: true,
      schema: {
        tags: ['schemes'],
        summary:
          'What a definition (default: the draft) would do: counts per class and transitions vs current',
        params: keyParams,
        body: z
          .object({ definition: schemeDefinitionSchema.optional(), asOf: asOfSchema.optional() })
          .nullish(),
        response: {
          200: runSummaryDto.extend({
            currentCounts: z.record(z.string(), z.number()).describe('customers per current class'),
          }),
        },
      },
    },
    async (request) => {
      authorize(request, 'schemes.read');
      if (request.validationError) throw invalidBody(request.validationError);
      return previewSchemeChange(svc, {
        key: request.params.key,
        definition: request.body?.definition,
        asOf: request.body?.asOf,
      });
    },
  );

  r.post(
    '/api/v1/schemes/:key/publish',
    {
      schema: {
        tags: ['schemes'],
        summary: 'Publish the draft as the next version',
        params: keyParams,
        body: z
          .object({
            version: z
              .number()
              .int()
              .optional()
              .describe('the current version the draft was based on; 409 when another was published since'),
            note: z.string().trim().max(500).optional().describe('why the change, kept with the version'),
          })
          .nullish(),
        response: { 200: schemeDto },
      },
    },
    async (request) => {
      const who = authorize(request, 'schemes.write');
      return publishSchemeDraft(svc, {
        key: request.params.key,
        actor: who.username,
        expectedVersion: request.body?.version,
        note: request.body?.note || undefined,
      });
    },
  );
}

/** The body's definition once it passed the schema (the service checks its rules); else 400. */
function bodyDefinition(request: FastifyRequest): z.infer<typeof definitionBody>['definition'] {
  if (request.validationError) throw invalidBody(request.validationError);
  return definitionBody.parse(request.body).definition;
}

/** A request body that broke the scheme schema: InvalidScheme with the path of every issue. */
function invalidBody(error: Error & { validation?: unknown }): KeleiError {
  const issues = Array.isArray(error.validation)
    ? error.validation.map((v: { instancePath?: string; message?: string }) => ({
        path: (v.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.'),
        message: v.message ?? '',
      }))
    : [];
  return invalidScheme({ issues, fallback: error.message });
}
