import fs from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { isKeleiError, KeleiError } from '../core/errors.ts';
import { CSRF_HEADER, resolvePrincipal, SESSION_COOKIE } from '../services/auth/auth.service.ts';
import { type AppDeps, SIGN_IN_FIRST } from './app.ts';
import { type ErrorBody, httpStatusOf } from './http-errors.ts';
import { registerRoutes } from './routes/index.ts';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The only API routes reachable without credentials. */
const PUBLIC_ROUTES = new Set(['/api/v1/auth/login', '/api/v1/health']);

function requiresCredentials(request: FastifyRequest): boolean {
  const route = request.routeOptions.url;
  return route?.startsWith('/api/v1/') === true && !PUBLIC_ROUTES.has(route);
}

/**
 * Builds the HTTP API: REST under /api/v1, zod-validated, OpenAPI at
 * /api/docs, every route behind the permission table. Nothing listens until the
 * caller does; tests use `app.inject`.
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      deps.logger === false || deps.logger === undefined
        ? false
        : {
            level: 'info',
            // Request logs carry method, route and status only: never query strings or bodies, which may hold PII.
            serializers: {
              req: (req: { method: string; routeOptions?: { url?: string } }) => ({
                method: req.method,
                route: req.routeOptions?.url,
              }),
            },
            ...(typeof deps.logger === 'object' ? deps.logger : {}),
          },
    bodyLimit: 1024 * 1024,
    trustProxy: true,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(helmet, { contentSecurityPolicy: false });
  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: deps.maxUploadBytes ?? 200 * 1024 * 1024, files: 1 } });
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Kelei 客类 API', version: '1.0.0', description: 'Customer classification management' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    const bearer = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const sessionToken = request.cookies[SESSION_COOKIE];
    // Unauthenticated calls stop here, before parameters are validated or bodies read.
    const resolved =
      bearer || sessionToken
        ? await resolvePrincipal(deps.handle.reader(), {
            bearerToken: bearer,
            sessionToken,
            now: deps.clock(),
          })
        : null;
    if (!resolved) {
      if (requiresCredentials(request)) throw SIGN_IN_FIRST();
      return;
    }
    // Cookie-authenticated writes must echo the session's CSRF token in a header.
    if (
      resolved.viaCookie &&
      UNSAFE.has(request.method) &&
      request.headers[CSRF_HEADER] !== resolved.csrfToken
    ) {
      throw new KeleiError('CsrfFailed', {
        en: `missing or wrong ${CSRF_HEADER} header`,
        zh: `缺少或错误的 ${CSRF_HEADER} 请求头`,
      });
    }
    const { csrfToken: _, ...principal } = resolved;
    request.principal = principal;
  });

  app.setErrorHandler((error, request, reply) => {
    const body = toErrorBody(error);
    const status = errorStatus(error);
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    return reply.status(status).send(body);
  });
  const web = await registerWebApp(app, deps.config.webRoot);
  app.setNotFoundHandler((request, reply) => {
    // Client-side routes (/customers/KH000001) are the web app's: answer with its page.
    if (web && request.method === 'GET' && !request.url.startsWith('/api/')) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    }
    return reply.status(404).send({
      error: {
        code: 'NotFound',
        message: `no route ${request.method} ${request.url.split('?')[0]}`,
        message_zh: '接口不存在',
      },
    } satisfies ErrorBody);
  });

  app.get('/api/v1/health', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  await registerRoutes(app, deps);
  return app;
}

/** Serves the built web app when it exists; hashed assets are cached for good, pages never. */
async function registerWebApp(app: FastifyInstance, root: string): Promise<boolean> {
  if (!fs.existsSync(path.join(root, 'index.html'))) return false;
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    wildcard: true,
    index: 'index.html',
    cacheControl: false,
    setHeaders: (res, file) => {
      res.setHeader(
        'cache-control',
        file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  return true;
}

type FastifyLikeError = Error & { statusCode?: number; code?: string; validation?: unknown };

function errorStatus(error: unknown): number {
  if (isKeleiError(error)) return httpStatusOf(error.code);
  const e = error as FastifyLikeError;
  if (e.validation) return 400;
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) return e.statusCode;
  return 500;
}

/** The error body; fastify's own 4xx errors keep their message, anything else is generic. */
export function toErrorBody(error: unknown): ErrorBody {
  if (isKeleiError(error)) {
    return {
      error: {
        code: error.code,
        message: error.message,
        message_zh: error.messageZh,
        details: error.details,
      },
    };
  }
  const e = error as FastifyLikeError;
  if (e.validation) {
    return {
      error: {
        code: 'ValidationError',
        message: e.message,
        message_zh: '请求参数不合法',
        details: e.validation,
      },
    };
  }
  const status = errorStatus(error);
  if (status < 500) {
    const code =
      status === 413
        ? 'PayloadTooLarge'
        : status === 429
          ? 'RateLimited'
          : status === 415
            ? 'UnsupportedMediaType'
            : 'BadRequest';
    return { error: { code, message: e.message, message_zh: '请求无效' } };
  }
  return { error: { code: 'InternalError', message: 'internal error', message_zh: '服务器内部错误' } };
}
