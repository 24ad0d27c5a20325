import { FIELDS, type FieldType } from '../fields.ts';
import { type Expr, parseRule } from '../rules/index.ts';
import type { SchemeDefinition } from './scheme.ts';

export type ParamUse = { type: FieldType | null; fields: string[] };

const fieldTypes = new Map<string, FieldType>(FIELDS.map((f) => [f.key, f.type]));

/**
 * Which fields each `$param` is compared with, so a form can show a money threshold in
 * yuan and say what it limits: `total_amount >= $high` → high: {type: money, fields: [total_amount]}.
 */
export function paramUsesOf(definition: SchemeDefinition): Record<string, ParamUse> {
  const uses = new Map<string, Set<string>>();
  for (const name of Object.keys(definition.params ?? {})) uses.set(name, new Set());
  const leaves = (e: Expr, params: Set<string>, fields: Set<string>) => {
    if (e.kind === 'param') params.add(e.name);
    else if (e.kind === 'field') fields.add(e.key);
    else if (e.kind === 'stat') fields.add(e.stat.field);
    else if (e.kind === 'arith') {
      leaves(e.left, params, fields);
      leaves(e.right, params, fields);
    } else if (e.kind === 'neg') leaves(e.arg, params, fields);
  };
  const relate = (sides: readonly Expr[]) => {
    const params = new Set<string>();
    const fields = new Set<string>();
    for (const side of sides) leaves(side, params, fields);
    for (const p of params) {
      const set = uses.get(p) ?? new Set<string>();
      for (const f of fields) set.add(f);
      uses.set(p, set);
    }
  };
  const visit = (e: Expr) => {
    if (e.kind === 'compare') relate([e.left, e.right]);
    else if (e.kind === 'between') relate([e.arg, e.low, e.high]);
    else if (e.kind === 'in') relate([e.arg, ...e.list]);
    else if (e.kind === 'and' || e.kind === 'or') e.args.forEach(visit);
    else if (e.kind === 'not') visit(e.arg);
  };
  for (const c of definition.classes) {
    const parsed = parseRule(c.rule);
    if (parsed.ok) visit(parsed.ast);
  }
  return Object.fromEntries(
    [...uses].map(([name, set]) => {
      const fields = [...set];
      const types = fields.map((f) => fieldTypes.get(f)).filter((t): t is FieldType => t !== undefined);
      const type = types.includes('money') ? 'money' : (types[0] ?? null);
      return [name, { type, fields }];
    }),
  );
}
