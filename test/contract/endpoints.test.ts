import swagger from '@fastify/swagger';
import Fastify from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINTS, methodOf, type Route } from '../../src/api/contract/index.ts';
import { type ApiTest, openApiTest } from '../support/api.ts';

type Operation = { parameters?: unknown; requestBody?: unknown; responses?: Record<string, unknown> };
type OpenApi = { paths: Record<string, Record<string, Operation>> };

const ROUTES = Object.keys(ENDPOINTS) as Route[];
const statusOf = (route: Route): number => {
  const endpoint: { status?: number; response: unknown } = ENDPOINTS[route];
  return endpoint.status ?? 200;
};

/** The OpenAPI document of a server that has nothing but the contract's endpoints, with the app's transform. */
async function contractDocument(): Promise<OpenApi> {
  const app = Fastify();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(swagger, {
    openapi: { info: { title: 'contract', version: '1' } },
    transform: jsonSchemaTransform,
  });
  for (const route of ROUTES) {
    const endpoint: { params?: unknown; querystring?: unknown; body?: unknown; response: unknown } =
      ENDPOINTS[route];
    app.route({
      method: methodOf(route),
      url: `/api/v1${route.slice(route.indexOf(' ') + 1)}`,
      schema: {
        ...(endpoint.params ? { params: endpoint.params } : {}),
        ...(endpoint.querystring ? { querystring: endpoint.querystring } : {}),
        ...(endpoint.body ? { body: endpoint.body } : {}),
        response: { [statusOf(route)]: endpoint.response },
      },
      handler: async () => null,
    });
  }
  await app.ready();
  const document = app.swagger() as unknown as OpenApi;
  await app.close();
  return document;
}

/** `GET /schemes/:key` → the OpenAPI path `/api/v1/schemes/{key}` and the method `get`. */
function openApiKey(route: Route): { path: string; method: string } {
  const path = route.slice(route.indexOf(' ') + 1).replace(/:([A-Za-z]+)/g, '{$1}');
  return { path: `/api/v1${path}`, method: methodOf(route).toLowerCase() };
}

// The routes validate and document themselves with the contract's schemas: the server's
// OpenAPI document and one built from the contract alone agree on every endpoint.
describe('the API contract (src/api/contract/)', () => {
  let api: ApiTest;
  let served: OpenApi;
  let contract: OpenApi;
  beforeAll(async () => {
    api = await openApiTest('sqlite');
    served = (await api.app.inject({ method: 'GET', url: '/api/docs/json' })).json();
    contract = await contractDocument();
  });
  afterAll(async () => {
    await api?.close();
  });

  it('describes each endpoint exactly as the server validates and answers it', () => {
    const differing: string[] = [];
    for (const route of ROUTES) {
      const { path, method } = openApiKey(route);
      const actual = served.paths[path]?.[method];
      const expected = contract.paths[path]?.[method];
      if (!actual || !expected) {
        differing.push(`${route}: not served`);
        continue;
      }
      const status = String(statusOf(route));
      const same =
        JSON.stringify(actual.responses?.[status]) === JSON.stringify(expected.responses?.[status]) &&
        JSON.stringify(actual.requestBody ?? null) === JSON.stringify(expected.requestBody ?? null) &&
        JSON.stringify(actual.parameters ?? []) === JSON.stringify(expected.parameters ?? []);
      if (!same) differing.push(route);
    }
    expect(differing).toEqual([]);
  });

  it('lists every JSON endpoint the server serves', () => {
    const missing: string[] = [];
    const listed = new Set(ROUTES.map((r) => JSON.stringify(openApiKey(r))));
    for (const [path, operations] of Object.entries(served.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const answers = Object.entries(operation.responses ?? {}).filter(([status]) =>
          status.startsWith('2'),
        );
        const json = answers.some(([, r]) => JSON.stringify(r).includes('application/json'));
        if (json && !listed.has(JSON.stringify({ path, method }))) missing.push(`${method} ${path}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
