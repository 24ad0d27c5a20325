import type { FastifyRequest } from 'fastify';
import { KeleiError } from '../core/errors.ts';
import { type Action, can, type Principal } from '../services/auth/policy.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/** 401 for a request that reached a protected route without credentials. */
export const signInFirst = () => new KeleiError('Unauthorized', { en: 'sign in first', zh: '请先登录' });

/** The caller, or 401. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw signInFirst();
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
