/**
 * The mapping of the import's own types (uploads, reports) onto the import API's DTOs,
 * whose shapes live in src/api/contract/imports.contract.ts.
 */

import type { z } from 'zod';
import { REQUIRED_FIELDS, TARGET_FIELDS } from '../../core/import/header-mapping.ts';
import type { ImportReport } from '../../services/import/import.types.ts';
import type { UploadMeta } from '../../services/import/import-wizard.service.ts';
import type { Upload } from '../../services/jobs/upload-store.ts';
import type { reportDto, uploadDto } from '../contract/imports.contract.ts';

export type { UploadMeta };

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
