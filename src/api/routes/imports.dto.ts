/**
 * The import API's shapes: upload, job, report and history DTOs (zod, for validation
 * and the OpenAPI document) and the mapping of the import's own types onto them.
 */

import { z } from 'zod';
import {
  IMPORT_ENTITIES,
  type ImportEntity,
  type MappingResult,
  REQUIRED_FIELDS,
  TARGET_FIELDS,
} from '../../core/import/header-mapping.ts';
import type { ImportReport } from '../../services/import/import.types.ts';
import type { TablePreview } from '../../services/import/table-preview.ts';
import type { Upload } from '../../services/jobs/upload-store.ts';

export type UploadMeta = TablePreview & {
  entity: ImportEntity;
  /** the mapping as suggested, or as given with the upload */
  mapping: MappingResult;
  /** error report of the latest dry run */
  dryRunErrors: string | null;
};

export const entitySchema = z.enum(IMPORT_ENTITIES as [ImportEntity, ...ImportEntity[]]);
export const mappingSchema = z
  .record(z.string(), z.string())
  .describe('target field → header text, e.g. {"code": "会员号"}; overrides the automatic mapping');

export const missingDto = z.object({
  anyOf: z.array(z.array(z.string())),
  message_zh: z.string(),
  message_en: z.string(),
});

export const uploadDto = z.object({
  id: z.string(),
  entity: entitySchema,
  fileName: z.string(),
  size: z.number(),
  format: z.string(),
  encoding: z.string().nullable(),
  delimiter: z.string().nullable(),
  sheet: z.string().nullable(),
  headers: z.array(z.string()),
  headerRow: z
    .number()
    .nullable()
    .describe('row number of the header row; null when the file has none and columns are column1…N'),
  rowCount: z
    .object({ count: z.number(), kind: z.enum(['exact', 'estimate', 'atLeast']) })
    .describe('data rows: counted exactly, estimated from line breaks, or at least this many'),
  sample: z.array(z.array(z.union([z.string(), z.number(), z.null()]))),
  /** target field → header, as suggested (or as given in `mapping`) */
  mapping: z.record(z.string(), z.string()),
  unmappedHeaders: z.array(z.string()),
  missing: z.array(missingDto),
  fields: z.array(z.object({ key: z.string(), zh: z.string(), en: z.string(), required: z.boolean() })),
  requirements: z
    .array(z.object({ anyOf: z.array(z.array(z.string())) }))
    .describe('every rule must be met by the mapping: one of its field sets mapped in full'),
  expiresAt: z.string(),
});

export const historyDto = z.object({
  id: z.number(),
  entity: z.string(),
  fileName: z.string(),
  fileSize: z.number(),
  status: z.string().describe('committed | failed | dry_run | running'),
  counts: z.record(z.string(), z.number()).nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  actor: z.string().nullable(),
});

export const rowErrorDto = z.object({
  row: z.number(),
  column: z.string().nullable(),
  value: z.string().nullable(),
  reason: z.object({ zh: z.string(), en: z.string() }),
});

export const reportDto = z.object({
  importJobId: z.number().nullable(),
  entity: entitySchema,
  fileName: z.string(),
  format: z.string(),
  encoding: z.string().nullable(),
  delimiter: z.string().nullable(),
  mapping: z.record(z.string(), z.string()),
  unmappedHeaders: z.array(z.string()),
  dryRun: z.boolean(),
  committed: z.boolean(),
  counts: z.object({
    rows: z.number(),
    records: z.number(),
    new: z.number(),
    updated: z.number(),
    unchanged: z.number(),
    invalid: z.number(),
    duplicate: z.number(),
    newCustomers: z.number(),
  }),
  errors: z.array(rowErrorDto),
  duplicates: z.array(
    z.object({ row: z.number(), code: z.string(), existingCode: z.string(), by: z.string() }),
  ),
  /** true when every invalid row is listed in a downloadable CSV */
  hasErrorReport: z.boolean(),
});

export const jobErrorDto = z.object({
  code: z.string(),
  message: z.string(),
  message_zh: z.string(),
  details: z.unknown().optional(),
});

export const jobDto = z.object({
  id: z.string(),
  status: z.enum(['running', 'done', 'failed']),
  progress: z.object({ rows: z.number() }),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  report: reportDto.nullable(),
  error: jobErrorDto.nullable(),
  errorsUrl: z.string().nullable(),
});

export const runOptionsBody = z
  .object({
    mapping: mappingSchema.optional(),
    skipInvalid: z.boolean().optional().describe('commit the valid rows and report the invalid ones'),
    source: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .describe('orders: the source system, so external ids are unique per source'),
  })
  .nullish();

export const uploadParams = z.object({ id: z.string().uuid() });
export const jobParams = z.object({ jobId: z.string().uuid() });

export function uploadDtoOf(upload: Upload<UploadMeta>): z.infer<typeof uploadDto> {
  const { meta } = upload;
  const { mapping } = meta;
  const required = new Set(
    REQUIRED_FIELDS[meta.entity].flatMap((rule) => (rule.length === 1 ? rule[0] : [])),
  );
  return {
    id: upload.id,
    entity: meta.entity,
    fileName: upload.fileName,
    size: upload.size,
    format: meta.format,
    encoding: meta.encoding,
    delimiter: meta.delimiter,
    sheet: meta.sheet,
    headers: meta.headers,
    headerRow: meta.headerRow,
    rowCount: meta.rowCount,
    sample: meta.sample,
    mapping: Object.fromEntries(Object.entries(mapping.mapping).map(([f, i]) => [f, meta.headers[i]])),
    unmappedHeaders: mapping.unmatched,
    missing: mapping.missing.map((m) => ({
      anyOf: m.anyOf.map((set) => [...set]),
      message_zh: m.message.zh,
      message_en: m.message.en,
    })),
    fields: TARGET_FIELDS[meta.entity].map((f) => ({
      key: f.key,
      zh: f.zh,
      en: f.en,
      required: required.has(f.key),
    })),
    requirements: REQUIRED_FIELDS[meta.entity].map((rule) => ({ anyOf: rule.map((set) => [...set]) })),
    expiresAt: upload.expiresAt,
  };
}

/** The report without server paths: the file by the name the client gave it. */
export function reportDtoOf(report: ImportReport, fileName: string): z.infer<typeof reportDto> {
  return {
    importJobId: report.jobId,
    entity: report.entity,
    fileName,
    format: report.format,
    encoding: report.encoding,
    delimiter: report.delimiter,
    mapping: report.mapping,
    unmappedHeaders: report.unmappedHeaders,
    dryRun: report.dryRun,
    committed: report.committed,
    counts: report.counts,
    errors: report.errors,
    duplicates: report.duplicates,
    hasErrorReport: report.errorReportFile !== null,
  };
}
