import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { audit } from '../../services/audit/audit.service.ts';
import {
  CSRF_COOKIE,
  failedLoginActor,
  login,
  logout,
  SESSION_COOKIE,
  SESSION_TTL_MS,
  unknownNameLabel,
} from '../../services/auth/auth.service.ts';
import { POLICY } from '../../services/auth/policy.ts';
import { getUser } from '../../services/auth/users.service.ts';
import type { AppDeps } from '../app-deps.ts';
import { principalOf } from '../authorize.ts';
import { loginBody, loginDto, logoutDto, meDto } from '../contract/auth.contract.ts';

export async function registerAuthRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const secure = deps.config.secureCookies;
  const unknownName = unknownNameLabel(deps.cipher);

  r.post(
    '/api/v1/auth/login',
    {
      config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        body: loginBody,
        response: { 200: loginDto },
      },
    },
    async (request, reply) => {
      const now = deps.clock();
      try {
        const result = await login(deps.handle.db, { ...request.body, now, unknownName });
        await audit(deps.handle.db, {
          actor: result.user.username,
          action: 'login.success',
          entity: 'user',
          entityId: result.user.id,
          at: now,
        });
        const cookieOptions = { path: '/', sameSite: 'lax' as const, secure, maxAge: SESSION_TTL_MS / 1000 };
        reply.setCookie(SESSION_COOKIE, result.sessionToken, { ...cookieOptions, httpOnly: true });
        reply.setCookie(CSRF_COOKIE, result.csrfToken, { ...cookieOptions, httpOnly: false });
        return { user: result.user, csrfToken: result.csrfToken, expiresAt: result.expiresAt };
      } catch (e) {
        await audit(deps.handle.db, {
          actor: await failedLoginActor(deps.handle.db, request.body.username, unknownName),
          action: 'login.failure',
          entity: 'user',
          at: now,
        });
        throw e;
      }
    },
  );

  r.post(
    '/api/v1/auth/logout',
    { schema: { tags: ['auth'], response: { 200: logoutDto } } },
    async (request, reply) => {
      const who = principalOf(request);
      const token = request.cookies[SESSION_COOKIE];
      if (token) await logout(deps.handle.db, token);
      await audit(deps.handle.db, {
        actor: who.username,
        action: 'logout',
        entity: 'user',
        entityId: who.userId,
        at: deps.clock(),
      });
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      reply.clearCookie(CSRF_COOKIE, { path: '/' });
      return { ok: true as const };
    },
  );

  r.get(
    '/api/v1/auth/me',
    {
      schema: {
        tags: ['auth'],
        response: { 200: meDto },
      },
    },
    async (request) => {
      const who = principalOf(request);
      const user = await getUser(deps.handle.reader(), who.userId);
      return {
        username: who.username,
        role: who.role,
        kind: who.kind,
        permissions: [...POLICY[who.role].actions],
        scope: POLICY[who.role].scope,
        views: { ...POLICY[who.role].views },
        displayName: user.displayName,
        locale: user.locale,
      };
    },
  );
}
