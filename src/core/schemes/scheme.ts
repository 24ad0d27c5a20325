import { z } from 'zod';

/** A class's maintenance plan (维护计划), shown with the class and exported. */
export const planSchema = z.object({
  goal: z.string().optional(),
  actions: z.string().optional(),
  contact_every_days: z.number().int().positive().optional(),
  owner_role: z.string().optional(),
});

export const classSchema = z.object({
  key: z.string().regex(/^[a-z][a-z0-9_]*$/, 'class key: lower-case letters, digits and _'),
  name: z.object({ zh: z.string().min(1), en: z.string().min(1) }),
  color: z.string().optional(),
  /** rule expression; the first class whose rule holds wins */
  rule: z.string().min(1),
  description: z.object({ zh: z.string(), en: z.string() }).partial().optional(),
  plan: planSchema.optional(),
});

export const schemeDefinitionSchema = z.object({
  key: z.string().regex(/^[a-z][a-z0-9_]*$/, 'scheme key: lower-case letters, digits and _'),
  name: z.object({ zh: z.string().min(1), en: z.string().min(1) }),
  description: z.object({ zh: z.string(), en: z.string() }).partial().optional(),
  /** values that rules reference as `$name` (thresholds a manager tunes) */
  params: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).optional(),
  /** score fields this scheme stores per customer, e.g. ['r_score', 'f_score', 'm_score'] */
  scores: z.array(z.string()).optional(),
  classes: z.array(classSchema).min(1),
});

export type ClassDefinition = z.infer<typeof classSchema>;
export type SchemeDefinition = z.infer<typeof schemeDefinitionSchema>;
export type SchemeParams = NonNullable<SchemeDefinition['params']>;
