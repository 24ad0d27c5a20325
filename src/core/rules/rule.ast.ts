/**
 * The one AST of the rule language (docs/rules.md). The parser builds it, the checker
 * types it, and the back ends read it: the evaluator (with a trace) and its fast form
 * the matcher, the vectorised evaluator, the printer and the SQL compiler in
 * src/db/rule-sql.ts (docs/architecture.md lists them with the tests that hold them together).
 *
 * Nodes are plain data with no source positions, so two parses of equivalent text
 * compare equal with a structural deep-equal; positions live in a side table
 * (`positionOf`) that only error reporting needs.
 */

/** 1-based line and column of a node's main token. */
export type Pos = { line: number; column: number };

/** Types of values in the language; the same names as the field registry's FieldType. */
export type ValueType = 'number' | 'money' | 'string' | 'date' | 'boolean';

export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';
export type ArithOp = '+' | '-' | '*' | '/';

/** A population statistic over all customers' values of one numeric field. */
export type StatSpec =
  | { kind: 'avg'; field: string }
  | { kind: 'median'; field: string }
  /** `p(90, x)`: the 90th percentile, interpolated like PostgreSQL `percentile_cont(0.9)` */
  | { kind: 'p'; p: number; field: string };

export type NumberLit = { kind: 'number'; value: number };
export type StringLit = { kind: 'string'; value: string };
export type BooleanLit = { kind: 'boolean'; value: boolean };
/** `date("2024-01-01")`; value is always a valid 'YYYY-MM-DD' */
export type DateLit = { kind: 'date'; value: string };
/** `$name`, or `date($name)` when `asDate` (the checker sets it for a string parameter compared with a date) */
export type ParamRef = { kind: 'param'; name: string; asDate: boolean };
/** a registry field, by key */
export type FieldRef = { kind: 'field'; key: string };
export type StatExpr = { kind: 'stat'; stat: StatSpec };
export type Neg = { kind: 'neg'; arg: Expr };
export type Arith = { kind: 'arith'; op: ArithOp; left: Expr; right: Expr };
export type Compare = { kind: 'compare'; op: CompareOp; left: Expr; right: Expr };
export type InList = { kind: 'in'; negated: boolean; arg: Expr; list: readonly Expr[] };
export type Between = { kind: 'between'; negated: boolean; arg: Expr; low: Expr; high: Expr };
export type TextMatch = { kind: 'contains' | 'starts_with'; left: Expr; right: Expr };
export type IsNull = { kind: 'is_null'; negated: boolean; arg: Expr };
export type HasTag = { kind: 'has_tag'; tag: string };
export type Not = { kind: 'not'; arg: Expr };
/** n-ary, at least two args; `a and (b and c)` keeps its nesting */
export type Logic = { kind: 'and' | 'or'; args: readonly Expr[] };

/** A rule's AST (the name other layers use). */
export type RuleAst = Expr;

export type Expr =
  | NumberLit
  | StringLit
  | BooleanLit
  | DateLit
  | ParamRef
  | FieldRef
  | StatExpr
  | Neg
  | Arith
  | Compare
  | InList
  | Between
  | TextMatch
  | IsNull
  | HasTag
  | Not
  | Logic;

export type RuleParamValue = number | string | boolean;
/** Values for `$name` references, given at check, evaluation and SQL compile time. */
export type RuleParams = Readonly<Record<string, RuleParamValue>>;

/** Population statistics by `statKey`, computed before evaluation (money in yuan). */
export type StatValues = Readonly<Record<string, number | null>>;

const positions = new WeakMap<Expr, Pos>();

/** Remembers where `node` came from (used by the parser and by rewrites that keep a position). */
export function setPosition<T extends Expr>(node: T, pos: Pos | undefined): T {
  if (pos) positions.set(node, pos);
  return node;
}

/** Where a parsed node came from; undefined for nodes built in code. */
export function positionOf(node: Expr): Pos | undefined {
  return positions.get(node);
}

/** Stable key of a statistic, also its canonical text: `avg(r_score)`, `p(90, total_amount)`. */
export function statKey(stat: StatSpec): string {
  return stat.kind === 'p'
    ? `p(${formatNumberLiteral(stat.p)}, ${stat.field})`
    : `${stat.kind}(${stat.field})`;
}

/** A number literal as source text that parses back to the same double (including -0). */
export function formatNumberLiteral(n: number): string {
  return Object.is(n, -0) ? '-0' : String(n);
}

/** Calls `visit` on every node, parents before children. */
export function walkRule(node: Expr, visit: (e: Expr) => void): void {
  visit(node);
  for (const child of childrenOf(node)) walkRule(child, visit);
}

export function childrenOf(node: Expr): readonly Expr[] {
  switch (node.kind) {
    case 'neg':
    case 'not':
    case 'is_null':
      return [node.arg];
    case 'arith':
    case 'compare':
    case 'contains':
    case 'starts_with':
      return [node.left, node.right];
    case 'in':
      return [node.arg, ...node.list];
    case 'between':
      return [node.arg, node.low, node.high];
    case 'and':
    case 'or':
      return node.args;
    default:
      return [];
  }
}

/** The tag names a rule asks about, so callers load tags only when needed. */
export function collectTagRefs(node: Expr): string[] {
  const tags = new Set<string>();
  walkRule(node, (e) => {
    if (e.kind === 'has_tag') tags.add(e.tag);
  });
  return [...tags];
}

/** The field keys a rule reads (statistics included). */
export function collectFieldRefs(node: Expr): string[] {
  const keys = new Set<string>();
  walkRule(node, (e) => {
    if (e.kind === 'field') keys.add(e.key);
    if (e.kind === 'stat') keys.add(e.stat.field);
  });
  return [...keys];
}
