import { KeleiError } from '../../core/errors.ts';
import {
  type CellValue,
  type CleanDate,
  type CustomerKind,
  cleanValue,
  type Gender,
  type InteractionChannel,
} from '../../core/import/clean.ts';
import {
  applyExplicitMapping,
  type ImportEntity,
  type MappingResult,
  suggestMapping,
} from '../../core/import/header-mapping.ts';
import type { CellReader, SinkContext } from './import.sink.ts';

type FieldKinds = {
  text: string;
  code: string;
  money: number;
  integer: number;
  number: number;
  date: string;
  datetime: CleanDate;
  phone: string;
  email: string;
  gender: Gender;
  kind: CustomerKind;
  satisfaction: number;
  nps: number;
  channel: InteractionChannel;
};

const CLEANER = {
  text: 'text',
  code: 'code',
  money: 'money',
  integer: 'integer',
  number: 'decimal',
  date: 'date',
  datetime: 'date',
  phone: 'phone',
  email: 'email',
  gender: 'gender',
  kind: 'customer_kind',
  satisfaction: 'satisfaction',
  nps: 'nps',
  channel: 'interaction_channel',
} as const;

export type FieldCleaner = <K extends keyof FieldKinds>(
  field: string,
  kind: K,
  options?: { required?: boolean; maxLength?: number },
) => FieldKinds[K] | null | undefined | false;

/**
 * A cleaner for the cells of one row. `clean(field, kind)` gives the value, null for
 * an empty cell, undefined when the file has no such column, or false when the cell
 * is invalid (the row error has then been recorded with its row, column and reason).
 * A required empty cell is invalid.
 */
export function fieldCleaner(options: { cells: CellReader; ctx: SinkContext; row: number }): FieldCleaner {
  const cleaner = new RowCleaner(options.cells, options.ctx, options.row);
  return (field, kind, clean) => cleaner.clean(field, kind, clean);
}

/** The cleaner of one row as an object: no closures are built per row on big files. */
class RowCleaner {
  constructor(
    readonly cells: CellReader,
    readonly ctx: SinkContext,
    readonly row: number,
  ) {}

  clean<K extends keyof FieldKinds>(
    field: string,
    kind: K,
    options?: { required?: boolean; maxLength?: number },
  ): FieldKinds[K] | null | undefined | false {
    const { cells, ctx, row } = this;
    const required = options?.required === true;
    const raw = cells.raw(field);
    if (raw === undefined) {
      if (!required) return undefined;
      const column = cells.header(field) ?? field;
      ctx.error({ row, column, value: null, reason: { zh: '缺少必填列', en: 'required column is missing' } });
      return false;
    }
    const result = cleanValue(CLEANER[kind], raw, { timeZone: ctx.timeZone });
    if (!result.ok) {
      ctx.error({
        row,
        column: cells.header(field) ?? field,
        value: displayValue(raw),
        reason: result.reason,
      });
      return false;
    }
    if (result.value === null) {
      if (!required) return null;
      const column = cells.header(field) ?? field;
      ctx.error({ row, column, value: null, reason: { zh: '必填项为空', en: 'required value is empty' } });
      return false;
    }
    const max = options?.maxLength;
    if (max !== undefined && typeof result.value === 'string' && result.value.length > max) {
      ctx.error({
        row,
        column: cells.header(field) ?? field,
        // The start of the value only: the report must not carry megabytes of one cell.
        value: `${[...result.value].slice(0, 50).join('')}…`,
        reason: { zh: `超过 ${max} 个字符`, en: `longer than ${max} characters` },
      });
      return false;
    }
    const value =
      kind === 'date' && typeof result.value === 'object' && 'date' in result.value
        ? result.value.date
        : result.value;
    return value as FieldKinds[K];
  }
}

function displayValue(raw: CellValue): string | null {
  if (raw === null || raw === undefined) return null;
  if (raw instanceof Date) return raw.toISOString();
  return String(raw);
}

export type ResolvedMapping = {
  /** target field → header text */
  byField: Record<string, string>;
  /** headers that feed no field */
  unmapped: string[];
  /** target field → index of its column */
  index: Record<string, number>;
  reader(cells: readonly CellValue[]): CellReader;
};

/** Target fields kept as custom attributes rather than columns. */
const ATTRIBUTE_FIELDS = new Set(['country']);

/**
 * The column mapping of a file: automatic from its headers, overridden by `explicit`
 * (`{ "<target field>": "<header>" }`). Missing required fields are an error that
 * names them.
 */
export function resolveMapping(
  entity: ImportEntity,
  headers: readonly string[],
  explicit: Record<string, string> | undefined,
): ResolvedMapping {
  let result: MappingResult;
  if (explicit) {
    const applied = applyExplicitMapping({ entity, headers, explicit });
    if (!applied.ok) {
      throw new KeleiError(
        'MappingError',
        {
          en: applied.errors.map((e) => e.message.en).join('; '),
          zh: applied.errors.map((e) => e.message.zh).join('；'),
        },
        applied.errors,
      );
    }
    result = applied.result;
  } else {
    result = suggestMapping(entity, headers);
  }
  if (result.missing.length > 0) {
    throw new KeleiError(
      'MappingError',
      {
        en: `${result.missing.map((m) => m.message.en).join('; ')} (headers found: ${headers.join(', ')}; map columns with --mapping '{"field": "header"}')`,
        zh: `${result.missing.map((m) => m.message.zh).join('；')}（文件表头：${headers.join('、')}；可用 --mapping '{"字段": "表头"}' 指定）`,
      },
      result.missing,
    );
  }
  const index = result.mapping;
  const byField: Record<string, string> = {};
  for (const [field, i] of Object.entries(index)) byField[field] = headers[i];
  const extraColumns = headers
    .map((h, i) => ({ h, i }))
    .filter(({ h, i }) => {
      const mappedTo = Object.entries(index).find(([, j]) => j === i)?.[0];
      return h.trim() !== '' && (mappedTo === undefined || ATTRIBUTE_FIELDS.has(mappedTo));
    });
  return {
    byField,
    unmapped: result.unmatched,
    index,
    reader(cells) {
      return new MappedRow({ cells, index, headers, extraColumns });
    },
  };
}

/** One row read through a column mapping (a class: methods are shared, not rebuilt per row). */
class MappedRow implements CellReader {
  private readonly cells: readonly CellValue[];
  private readonly index: Record<string, number>;
  private readonly headers: readonly string[];
  private readonly extraColumns: readonly { h: string; i: number }[];

  constructor(options: {
    cells: readonly CellValue[];
    index: Record<string, number>;
    headers: readonly string[];
    extraColumns: readonly { h: string; i: number }[];
  }) {
    this.cells = options.cells;
    this.index = options.index;
    this.headers = options.headers;
    this.extraColumns = options.extraColumns;
  }

  raw(field: string): CellValue | undefined {
    const i = this.index[field];
    return i === undefined || !Object.hasOwn(this.index, field) ? undefined : (this.cells[i] ?? null);
  }

  header(field: string): string | null {
    return Object.hasOwn(this.index, field) ? this.headers[this.index[field]] : null;
  }

  extras(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const { h, i } of this.extraColumns) {
      const v = this.cells[i];
      if (v === null || v === undefined || String(v).trim() === '') continue;
      out[h] = v instanceof Date ? v.toISOString() : String(v).trim();
    }
    return out;
  }
}
