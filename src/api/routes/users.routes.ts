import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { KeleiError } from '../../core/errors.ts';
import { issueApiToken, listApiTokens, revokeApiToken } from '../../services/auth/api-tokens.service.ts';
import { POLICY, ROLES } from '../../services/auth/policy.ts';
import {
  addUser,
  changeOwnPassword,
  listUsers,
  loginStatuses,
  resetPassword,
  setOwnLocale,
  unlockUser,
  updateUser,
} from '../../services/auth/users.service.ts';
import type { AppDeps } from '../app-deps.ts';
import { authorize, principalOf } from '../authorize.ts';
import { localeBody, localeDto } from '../contract/auth.contract.ts';
import {
  changeOwnPasswordBody,
  createTokenBody,
  createUserBody,
  userIdParams as idParams,
  issuedTokenDto,
  userOkDto as ok,
  resetPasswordBody,
  rolesDto,
  tokenDto,
  tokenListDto,
  updateUserBody,
  userDto,
  userListDto,
} from '../contract/users.contract.ts';

/** Users, their passwords and roles, API tokens (admin), and each user's own language. */
export async function registerUsersRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = deps.handle.db;

  r.get(
    '/api/v1/users',
    {
      schema: {
        tags: ['users'],
        summary: 'List users / 用户列表',
        response: { 200: userListDto },
      },
    },
    async (request) => {
      authorize(request, 'users.manage');
      const [users, statuses] = await Promise.all([listUsers(db), loginStatuses(db, { now: deps.clock() })]);
      const items = users.map((u) => ({
        ...u,
        lastLoginAt: statuses.get(u.username)?.lastLoginAt ?? null,
        lockedUntil: statuses.get(u.username)?.lockedUntil ?? null,
      }));
      return { items, total: items.length };
    },
  );

  r.get(
    '/api/v1/roles',
    {
      schema: {
        tags: ['users'],
        summary: 'What each role may do / 角色与权限',
        description: 'The permission table the server enforces: actions and record scope (all or own).',
        response: { 200: rolesDto },
      },
    },
    async (request) => {
      principalOf(request);
      return {
        items: ROLES.map((r) => ({ role: r, scope: POLICY[r].scope, actions: [...POLICY[r].actions] })),
      };
    },
  );

  r.post(
    '/api/v1/users',
    {
      schema: {
        tags: ['users'],
        summary: 'Create a user / 新建用户',
        body: createUserBody,
        response: { 201: userDto },
      },
    },
    async (request, reply) => {
      const who = authorize(request, 'users.manage');
      const user = await addUser(db, { ...request.body, actor: who.username, now: deps.clock() });
      return reply.status(201).send(user);
    },
  );

  r.patch(
    '/api/v1/users/:id',
    {
      schema: {
        tags: ['users'],
        summary: 'Change role, status, name or language / 修改用户',
        description:
          'Optimistic locking: send the version you read; 409 when someone changed the user since. ' +
          'Disabling a user or changing their role ends their sessions.',
        params: idParams,
        body: updateUserBody,
        response: { 200: userDto },
      },
    },
    async (request) => {
      const who = authorize(request, 'users.manage');
      const { version, ...changes } = request.body;
      return updateUser(db, {
        id: request.params.id,
        version,
        changes,
        actor: who.username,
        now: deps.clock(),
      });
    },
  );

  r.post(
    '/api/v1/users/:id/password',
    {
      schema: {
        tags: ['users'],
        summary: "Set a user's password / 重置密码",
        description: 'The user is signed out everywhere.',
        params: idParams,
        body: resetPasswordBody,
        response: { 200: ok },
      },
    },
    async (request) => {
      const who = authorize(request, 'users.manage');
      await resetPassword(db, {
        id: request.params.id,
        password: request.body.password,
        actor: who.username,
        now: deps.clock(),
      });
      return { ok: true as const };
    },
  );

  r.post(
    '/api/v1/users/:id/unlock',
    {
      schema: {
        tags: ['users'],
        summary: 'Lift a lock after failed sign-ins / 解除登录锁定',
        params: idParams,
        response: { 200: ok },
      },
    },
    async (request) => {
      const who = authorize(request, 'users.manage');
      await unlockUser(db, { id: request.params.id, actor: who.username, now: deps.clock() });
      return { ok: true as const };
    },
  );

  r.post(
    '/api/v1/auth/me/password',
    {
      // Each try costs an argon2 verification; wrong ones also count towards the lockout.
      config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'Change my password / 修改我的密码',
        description:
          'Needs the current password; a wrong one counts as a failed sign-in. Other sessions end, this one stays.',
        body: changeOwnPasswordBody,
        response: { 200: ok },
      },
    },
    async (request) => {
      const who = principalOf(request);
      if (who.kind !== 'user') {
        throw new KeleiError('Forbidden', {
          en: 'an API token cannot change a password; sign in as the user',
          zh: 'API 令牌不能修改密码，请以用户身份登录',
        });
      }
      await changeOwnPassword(db, {
        userId: who.userId,
        sessionId: who.credentialId,
        currentPassword: request.body.currentPassword,
        newPassword: request.body.newPassword,
        now: deps.clock(),
      });
      return { ok: true as const };
    },
  );

  r.patch(
    '/api/v1/auth/me/locale',
    {
      schema: {
        tags: ['auth'],
        summary: 'Remember my language / 设置我的界面语言',
        body: localeBody,
        response: { 200: localeDto },
      },
    },
    async (request) => {
      const who = principalOf(request);
      await setOwnLocale(db, { userId: who.userId, locale: request.body.locale, now: deps.clock() });
      return { locale: request.body.locale };
    },
  );

  r.get(
    '/api/v1/tokens',
    {
      schema: {
        tags: ['tokens'],
        summary: 'List API tokens / API 令牌列表',
        response: { 200: tokenListDto },
      },
    },
    async (request) => {
      authorize(request, 'users.manage');
      return { items: await listApiTokens(db) };
    },
  );

  r.post(
    '/api/v1/tokens',
    {
      schema: {
        tags: ['tokens'],
        summary: 'Create an API token / 新建 API 令牌',
        description:
          'The token is in this answer only; it is stored as a hash. Send it as `Authorization: Bearer …`.',
        body: createTokenBody,
        response: { 201: issuedTokenDto },
      },
    },
    async (request, reply) => {
      const who = authorize(request, 'users.manage');
      const { token, view } = await issueApiToken(db, {
        ...request.body,
        createdBy: who.userId,
        actor: who.username,
        now: deps.clock(),
      });
      return reply.status(201).send({ ...view, token });
    },
  );

  r.delete(
    '/api/v1/tokens/:id',
    {
      schema: {
        tags: ['tokens'],
        summary: 'Revoke an API token / 吊销 API 令牌',
        params: idParams,
        response: { 200: tokenDto },
      },
    },
    async (request) => {
      const who = authorize(request, 'users.manage');
      return revokeApiToken(db, { id: request.params.id, actor: who.username, now: deps.clock() });
    },
  );
}
