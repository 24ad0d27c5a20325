import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import { KeleiError } from '../core/errors.ts';
import type { DbHandle } from '../db/connect.ts';
import { type Action, can, type Principal } from '../services/auth/policy.ts';
import type { PiiCipher } from '../services/privacy/pii-cipher.ts';

/**
 * What every route works with: the dependencies the composition root (src/api/server.ts,
 * or a test) hands to `buildApp` (src/api/build-app.ts), and the caller's identity and
 * permission checks. Routes import this module, never the app factory, so the factory
 * can import the routes without a cycle.
 */

export type AppDeps = {
  handle: DbHandle;
  config: Config;
  clock: () => Date;
  cipher: PiiCipher;
  /** pino options, or false for no request log (tests) */
  logger?: boolean | Record<string, unknown>;
  /** largest upload accepted, bytes */
  maxUploadBytes?: number;
};

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export type App = FastifyInstance & { withTypeProvider(): FastifyInstance };

export const SIGN_IN_FIRST = () => new KeleiError('Unauthorized', { en: 'sign in first', zh: '请先登录' });

/** The caller, or 401. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw SIGN_IN_FIRST();
  return request.principal;
}

/** The caller when allowed `action`, or 401/403: `const who = authorize(request, 'customers.read')`. */
export function authorize(request: FastifyRequest, action: Action): Principal {
  const principal = principalOf(request);
  if (!can(principal.role, action)) {
    throw new KeleiError('Forbidden', {
      en: `role ${principal.role} may not ${action}`,
      zh: `角色 ${principal.role} 无权执行 ${action}`,
    });
  }
  return principal;
}
