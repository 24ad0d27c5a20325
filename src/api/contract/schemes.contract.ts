/**
 * Classification schemes: every scheme with its current version, the published versions,
 * the draft, a preview of a definition and the publication of the draft. A definition is
 * validated by the core's own schema (src/core/schemes/scheme.ts).
 */

import { z } from 'zod';
import {
  type ClassDefinition,
  type SchemeDefinition,
  schemeDefinitionSchema,
} from '../../core/schemes/scheme.ts';
import { asOfSchema, runSummaryDto } from './classification.contract.ts';
import { okDto } from './common.contract.ts';

export { schemeDefinitionSchema };
export type { ClassDefinition, SchemeDefinition };

export const schemeKeyParams = z.object({ key: z.string().min(1).max(64) });

export const paramUseDto = z.object({
  type: z.enum(['number', 'money', 'string', 'date', 'boolean']).nullable(),
  fields: z.array(z.string()),
});

export const schemeDto = z.object({
  key: z.string(),
  name: z.object({ zh: z.string(), en: z.string() }),
  description: z.object({ zh: z.string().optional(), en: z.string().optional() }).nullable(),
  builtin: z.boolean(),
  active: z.boolean(),
  version: z.number(),
  publishedAt: z.string().nullable(),
  publishedBy: z.string().nullable(),
  hasDraft: z.boolean(),
  draftSavedAt: z.string().nullable(),
  params: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
  paramUses: z
    .record(z.string(), paramUseDto)
    .describe('per parameter: the fields rules compare it with and their type (money = yuan)'),
  scores: z.array(z.string()),
  classes: schemeDefinitionSchema.shape.classes,
  lastRun: z
    .object({
      id: z.number(),
      schemeVersion: z.number(),
      asOf: z.string(),
      finishedAt: z.string().nullable(),
      population: z.number(),
      counts: z.record(z.string(), z.number()),
      changed: z.number(),
    })
    .nullable(),
});

export const schemeListDto = z.object({ schemes: z.array(schemeDto) });

export const definitionBody = z.object({ definition: schemeDefinitionSchema });

export const schemeDraftDto = z.object({ savedAt: z.string(), definition: schemeDefinitionSchema });

export const schemeVersionsDto = z.object({
  key: z.string(),
  currentVersion: z.number(),
  versions: z.array(
    z.object({
      version: z.number(),
      current: z.boolean(),
      createdAt: z.string(),
      publishedAt: z.string().nullable(),
      publishedBy: z.string().nullable(),
      note: z.string().nullable().describe('what the publisher wrote about the change'),
      definition: schemeDefinitionSchema,
    }),
  ),
  draft: schemeDraftDto.nullable(),
});

export const draftDiscardedDto = okDto;

export const previewBody = z
  .object({ definition: schemeDefinitionSchema.optional(), asOf: asOfSchema.optional() })
  .nullish();

export const previewDto = runSummaryDto.extend({
  currentCounts: z.record(z.string(), z.number()).describe('customers per current class'),
});

export const publishBody = z
  .object({
    version: z
      .number()
      .int()
      .optional()
      .describe('the current version the draft was based on; 409 when another was published since'),
    note: z.string().trim().max(500).optional().describe('why the change, kept with the version'),
  })
  .nullish();

export type Scheme = z.output<typeof schemeDto>;
export type ParamUse = z.output<typeof paramUseDto>;
export type SchemeDraft = z.output<typeof schemeDraftDto>;
export type SchemeVersions = z.output<typeof schemeVersionsDto>;
export type SchemeVersion = SchemeVersions['versions'][number];
export type Preview = z.output<typeof previewDto>;
export type PublishInput = z.input<typeof publishBody>;
