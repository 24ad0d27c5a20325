/** Users, roles, passwords and API tokens (administrators), and each user's own password. */

import { z } from 'zod';
import { localeSchema, roleSchema } from './auth.contract.ts';
import { okTrueDto } from './common.contract.ts';

export const userIdParams = z.object({ id: z.coerce.number().int().min(1) });

// The service checks the length with a message in both languages.
const password = z.string().max(200);

export const userDto = z.object({
  id: z.number(),
  username: z.string(),
  displayName: z.string().nullable(),
  role: roleSchema,
  disabled: z.boolean(),
  locale: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().describe('send it back with PATCH; a stale version answers 409'),
});

export const userListItemDto = userDto.extend({
  lastLoginAt: z.string().nullable().describe('the newest successful sign-in'),
  lockedUntil: z
    .string()
    .nullable()
    .describe('set while repeated failed sign-ins lock the account; POST …/unlock lifts it'),
});

export const userListDto = z.object({ items: z.array(userListItemDto), total: z.number() });

export const rolePolicyDto = z.object({
  role: roleSchema,
  scope: z.enum(['all', 'own']),
  actions: z.array(z.string()),
});

export const rolesDto = z.object({ items: z.array(rolePolicyDto) });

export const createUserBody = z.object({
  username: z.string().min(2).max(64),
  password,
  role: roleSchema,
  displayName: z.string().trim().min(1).max(100).optional(),
});

export const updateUserBody = z.object({
  role: roleSchema.optional(),
  disabled: z.boolean().optional(),
  displayName: z.string().trim().min(1).max(100).nullable().optional(),
  locale: localeSchema.optional(),
  version: z.number().int().min(1),
});

export const resetPasswordBody = z.object({ password });

export const changeOwnPasswordBody = z.object({
  currentPassword: z.string().min(1).max(200),
  newPassword: password,
});

export const userOkDto = okTrueDto;

export const tokenDto = z.object({
  id: z.number(),
  name: z.string(),
  role: roleSchema,
  createdBy: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
});

export const tokenListDto = z.object({ items: z.array(tokenDto) });

export const createTokenBody = z.object({
  name: z.string().trim().min(1).max(100),
  role: roleSchema,
  expiresAt: z.iso.datetime({ offset: true }).optional(),
});

/** A new token: the secret is in this answer only. */
export const issuedTokenDto = tokenDto.extend({ token: z.string() });

export type User = z.output<typeof userDto>;
export type UserListItem = z.output<typeof userListItemDto>;
export type RolePolicy = z.output<typeof rolePolicyDto>;
export type CreateUserInput = z.input<typeof createUserBody>;
export type UpdateUserInput = z.input<typeof updateUserBody>;
export type ApiToken = z.output<typeof tokenDto>;
export type IssuedToken = z.output<typeof issuedTokenDto>;
export type CreateTokenInput = z.input<typeof createTokenBody>;
