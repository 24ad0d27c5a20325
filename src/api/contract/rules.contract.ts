/** The rule language as a service: the fields a rule may name, and checking a rule without running it. */

import { z } from 'zod';

export const ruleFieldDto = z.object({
  key: z.string(),
  type: z.enum(['number', 'money', 'string', 'date', 'boolean']),
  zh: z.string(),
  en: z.string(),
  aliases: z.array(z.string()),
  pii: z.boolean(),
});

export const ruleFieldsDto = z.object({ items: z.array(ruleFieldDto) });

export const ruleErrorDto = z.object({
  code: z.string(),
  line: z.number().describe('1-based; 0 when the error has no position'),
  column: z.number(),
  message: z.object({ zh: z.string(), en: z.string() }),
  suggestion: z
    .string()
    .optional()
    .describe('nearest known name for a misspelt field, function or parameter'),
});

export const ruleCheckBody = z.object({
  expression: z.string().max(10_000),
  params: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).optional(),
});

/** `{ ok: true }`, or `{ ok: false, error }` with where and why the rule is wrong. */
export const ruleCheckDto = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true) }),
  z.object({ ok: z.literal(false), error: ruleErrorDto }),
]);

export type RuleField = z.output<typeof ruleFieldDto>;
export type RuleError = z.output<typeof ruleErrorDto>;
export type RuleCheck = z.output<typeof ruleCheckDto>;
