import { FIELDS, type FieldDef } from '../../core/fields.ts';
import {
  fieldValue,
  RULE_HOLDS,
  type StatValues,
  type Truths,
  type VectorColumn,
  type VectorInput,
} from '../../core/rules/index.ts';
import { dateOf, type Population } from './population.ts';

/**
 * A population's customers as the columns rules read when evaluated a column at a time
 * (rule.vector.ts): the same language values `ruleRowFiller` gives the row-by-row
 * matcher, read straight from the population's typed arrays. Columns are built when a
 * rule first names them and shared by every scheme of a run:
 * `const source = populationVectors(p, tags); classifyColumns(scheme, source.input(stats))`.
 */
export function populationVectors(
  p: Population,
  tags: ReadonlyMap<number, ReadonlySet<string>>,
): { input(stats: StatValues): VectorInput } {
  const columns = new Map<string, VectorColumn>();
  const tagTruths = new Map<string, Truths>();
  const column = (key: string): VectorColumn => {
    let c = columns.get(key);
    if (!c) {
      const field = FIELDS.find((f) => f.key === key);
      if (!field) throw new Error(`no field ${key}`);
      c = columnOf(p, field);
      columns.set(key, c);
    }
    return c;
  };
  const tag = (name: string): Truths => {
    let truths = tagTruths.get(name);
    if (!truths) {
      truths = new Uint8Array(p.size);
      for (let i = 0; i < p.size; i++) if (tags.get(p.ids[i])?.has(name)) truths[i] = RULE_HOLDS;
      tagTruths.set(name, truths);
    }
    return truths;
  };
  return { input: (stats) => ({ size: p.size, column, tag, stats }) };
}

function columnOf(p: Population, field: FieldDef): VectorColumn {
  const name = field.column ?? field.key;
  if (field.source === 'metrics') {
    if (name === 'first_order_date') return dayColumn(p.firstOrderDate, p.size);
    if (name === 'last_order_date') return dayColumn(p.lastOrderDate, p.size);
    if (name in p.numbers) {
      const values = p.numbers[name as keyof Population['numbers']].subarray(0, p.size);
      return valuesColumn(field, { size: p.size, at: (i) => (Number.isNaN(values[i]) ? null : values[i]) });
    }
    return valuesColumn(field, { size: p.size, at: () => null });
  }
  const values = p.attributes.get(name);
  return valuesColumn(field, { size: p.size, at: (i) => values?.[i] ?? null });
}

/** Day numbers as codes into their 'YYYY-MM-DD' texts (null days as −1). */
function dayColumn(days: Int32Array, size: number): VectorColumn {
  const codes = new Int32Array(size);
  const dict: string[] = [];
  const codeOfDay = new Map<number, number>();
  for (let i = 0; i < size; i++) {
    const day = days[i];
    let code = codeOfDay.get(day);
    if (code === undefined) {
      const text = dateOf(day);
      code = text === null ? -1 : dict.push(text) - 1;
      codeOfDay.set(day, code);
    }
    codes[i] = code;
  }
  return { kind: 'text', codes, dict };
}

/** A column of raw values (as the database or the population holds them) in language values. */
function valuesColumn(
  field: FieldDef,
  raw: { size: number; at(i: number): string | number | null },
): VectorColumn {
  const { size, at } = raw;
  if (field.type === 'number' || field.type === 'money') {
    const values = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      const v = fieldValue(field.type, at(i));
      values[i] = typeof v === 'number' ? v : Number.NaN;
    }
    return { kind: 'number', values };
  }
  if (field.type === 'boolean') {
    const values = new Uint8Array(size);
    for (let i = 0; i < size; i++) {
      const v = fieldValue('boolean', at(i));
      values[i] = v === null ? 1 : v ? 2 : 0;
    }
    return { kind: 'boolean', values };
  }
  const codes = new Int32Array(size);
  const dict: string[] = [];
  const codeOf = new Map<string, number>();
  for (let i = 0; i < size; i++) {
    const v = fieldValue(field.type, at(i));
    if (v === null) {
      codes[i] = -1;
      continue;
    }
    const text = String(v);
    let code = codeOf.get(text);
    if (code === undefined) {
      code = dict.push(text) - 1;
      codeOf.set(text, code);
    }
    codes[i] = code;
  }
  return { kind: 'text', codes, dict };
}
