/** Signing in and out, and who is signed in. */

import { z } from 'zod';
import { LOCALES } from '../../core/locales.ts';
import { ROLES } from '../../services/auth/policy.ts';
import { okTrueDto } from './common.contract.ts';

export const roleSchema = z.enum(ROLES);
export const localeSchema = z.enum(LOCALES);

export const loginBody = z.object({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(200),
});

export const loginDto = z.object({
  user: z.object({
    id: z.number(),
    username: z.string(),
    role: roleSchema,
    displayName: z.string().nullable(),
    locale: z.string(),
  }),
  csrfToken: z.string(),
  expiresAt: z.string(),
});

export const logoutDto = okTrueDto;

/** The signed-in user or token, with what its role may do. */
export const meDto = z.object({
  username: z.string(),
  role: roleSchema,
  kind: z.string().describe('user | token'),
  permissions: z.array(z.string()).describe('policy action names, e.g. customers.update'),
  scope: z.enum(['all', 'own']),
  views: z
    .record(z.string(), z.enum(['all', 'own', 'refused']))
    .describe(
      'per view that aggregates over customers (schemePreview, ruleStatistics, runCounts, …): over whom it is computed, or refused',
    ),
  displayName: z.string().nullable(),
  locale: z.string().describe('zh-CN | en-US'),
});

export const localeBody = z.object({ locale: localeSchema });
export const localeDto = z.object({ locale: localeSchema });

export type Login = z.output<typeof loginDto>;
export type LoginInput = z.input<typeof loginBody>;
export type Me = z.output<typeof meDto>;
export type Role = z.output<typeof roleSchema>;
export type Locale = z.output<typeof localeSchema>;
