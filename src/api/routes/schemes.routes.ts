import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { KeleiError } from '../../core/errors.ts';
import { invalidScheme } from '../../core/schemes/scheme.errors.ts';
import type { Viewer } from '../../services/auth/policy.ts';
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
import type { AppDeps } from '../app-deps.ts';
import { authorize } from '../authorize.ts';
import {
  definitionBody,
  draftDiscardedDto,
  schemeKeyParams as keyParams,
  previewBody,
  previewDto,
  publishBody,
  schemeDraftDto,
  schemeDto,
  schemeListDto,
  schemeVersionsDto,
} from '../contract/schemes.contract.ts';

/**
 * Classification schemes (docs/classification.md): list with current version, history of
 * versions, a draft per scheme (validated on save), preview of a draft against the
 * current classes, publish of the draft as the next version, and custom schemes.
 */
export async function registerSchemesRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const svc: SchemeServiceDeps = { handle: deps.handle, clock: deps.clock, timeZone: deps.config.timeZone };
  // The service on behalf of the caller: their role decides what last runs show and who may preview.
  const as = (who: Viewer): SchemeServiceDeps => ({ ...svc, viewer: who });

  r.get(
    '/api/v1/schemes',
    {
      schema: {
        tags: ['schemes'],
        summary: 'Every scheme with its current version, classes, parameters and last run',
        response: { 200: schemeListDto },
      },
    },
    async (request) => {
      const who = authorize(request, 'schemes.read');
      return { schemes: await listSchemeViews(as(who)) };
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
      const created = await createScheme(as(who), {
        definition: bodyDefinition(request),
        actor: who.username,
      });
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
      const who = authorize(request, 'schemes.read');
      return getSchemeView(as(who), request.params.key);
    },
  );

  r.get(
    '/api/v1/schemes/:key/versions',
    {
      schema: {
        tags: ['schemes'],
        summary: 'Published versions of a scheme, newest first, and its draft',
        params: keyParams,
        response: { 200: schemeVersionsDto },
      },
    },
    async (request) => {
      const who = authorize(request, 'schemes.read');
      return getSchemeVersions(as(who), request.params.key);
    },
  );

  r.get(
    '/api/v1/schemes/:key/draft',
    {
      schema: {
        tags: ['schemes'],
        summary: "The scheme's draft",
        params: keyParams,
        response: { 200: schemeDraftDto },
      },
    },
    async (request) => {
      const who = authorize(request, 'schemes.read');
      return getSchemeDraft(as(who), request.params.key);
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
        response: { 200: schemeDraftDto },
      },
    },
    async (request) => {
      const who = authorize(request, 'schemes.write');
      return saveSchemeDraft(as(who), { key: request.params.key, definition: bodyDefinition(request) });
    },
  );

  r.delete(
    '/api/v1/schemes/:key/draft',
    {
      schema: {
        tags: ['schemes'],
        summary: 'Discard the draft',
        params: keyParams,
        response: { 200: draftDiscardedDto },
      },
    },
    async (request) => {
      const who = authorize(request, 'schemes.write');
      await discardSchemeDraft(as(who), request.params.key);
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
        body: previewBody,
        response: { 200: previewDto },
      },
    },
    async (request) => {
      const who = authorize(request, 'schemes.read');
      if (request.validationError) throw invalidBody(request.validationError);
      return previewSchemeChange(as(who), {
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
        body: publishBody,
        response: { 200: schemeDto },
      },
    },
    async (request) => {
      const who = authorize(request, 'schemes.write');
      return publishSchemeDraft(as(who), {
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
