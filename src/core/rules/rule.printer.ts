import { findField } from '../fields.ts';
import { type Expr, formatNumberLiteral, type StatSpec } from './rule.ast.ts';
import { isBareIdentifier } from './rule.lexer.ts';
import { resolveField } from './rule.parser.ts';

/** How fields are named in printed text: registry key, Chinese label or English label. */
export type PrintLocale = 'key' | 'zh' | 'en';

export type PrintOptions = { locale?: PrintLocale };

/**
 * Canonical text of a rule that parses back to an equal AST, in any locale:
 * `printRule(ast, { locale: 'zh' })` → `累计消费金额 >= 10000 and 最近消费天数 <= 90`.
 */
export function printRule(ast: Expr, options: PrintOptions = {}): string {
  const locale = options.locale ?? 'key';
  return print(ast, (key) => sourceFieldName(key, locale));
}

/** Text for people, not the parser: plain field labels (English ones may contain spaces). */
export function printForDisplay(ast: Expr, locale: 'zh' | 'en'): string {
  return print(ast, (key) => {
    const f = findField(key);
    return f ? (locale === 'zh' ? f.zh : f.en) : key;
  });
}

function sourceFieldName(key: string, locale: PrintLocale): string {
  const f = findField(key);
  if (!f || locale === 'key') return key;
  const label = locale === 'zh' ? f.zh : f.en;
  // A label that does not lead back to this very field would change the rule; keep the key then.
  if (resolveField(label) !== f) return key;
  return isBareIdentifier(label) ? label : `\`${label}\``;
}

/** Binding strength: a child printed inside a parent of higher precedence gets parentheses. */
function precedence(e: Expr): number {
  switch (e.kind) {
    case 'or':
      return 1;
    case 'and':
      return 2;
    case 'not':
      return 3;
    case 'compare':
    case 'in':
    case 'between':
    case 'contains':
    case 'starts_with':
    case 'is_null':
      return 4;
    case 'arith':
      return e.op === '+' || e.op === '-' ? 5 : 6;
    case 'neg':
      return 7;
    case 'number':
      return e.value < 0 || Object.is(e.value, -0) ? 7 : 8;
    default:
      return 8;
  }
}

const OPERAND = 5;

/** Quotes a string so the lexer reads back exactly the same characters. */
export function quoteString(s: string): string {
  return `"${s.replace(/[\\"\n\r\t]/g, (c) => ({ '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c] ?? c)}"`;
}

function print(e: Expr, fieldName: (key: string) => string): string {
  const p = (child: Expr, min: number): string => {
    const text = print(child, fieldName);
    return precedence(child) < min ? `(${text})` : text;
  };
  const stat = (s: StatSpec): string =>
    s.kind === 'p'
      ? `p(${formatNumberLiteral(s.p)}, ${fieldName(s.field)})`
      : `${s.kind}(${fieldName(s.field)})`;

  switch (e.kind) {
    case 'number':
      return formatNumberLiteral(e.value);
    case 'string':
      return quoteString(e.value);
    case 'boolean':
      return e.value ? 'true' : 'false';
    case 'date':
      return `date(${quoteString(e.value)})`;
    case 'param':
      return e.asDate ? `date($${e.name})` : `$${e.name}`;
    case 'field':
      return fieldName(e.key);
    case 'stat':
      return stat(e.stat);
    case 'has_tag':
      return `has_tag(${quoteString(e.tag)})`;
    case 'neg': {
      // `-5` would read back as a negative literal and `--` starts a comment: parenthesise those.
      const bare = precedence(e.arg) === 8 && e.arg.kind !== 'number';
      return bare ? `-${print(e.arg, fieldName)}` : `-(${print(e.arg, fieldName)})`;
    }
    case 'arith': {
      const level = precedence(e);
      return `${p(e.left, level)} ${e.op} ${p(e.right, level + 1)}`;
    }
    case 'compare':
      return `${p(e.left, OPERAND)} ${e.op} ${p(e.right, OPERAND)}`;
    case 'in':
      return `${p(e.arg, OPERAND)} ${e.negated ? 'not in' : 'in'} (${e.list.map((x) => p(x, OPERAND)).join(', ')})`;
    case 'between':
      return `${p(e.arg, OPERAND)} ${e.negated ? 'not between' : 'between'} ${p(e.low, OPERAND)} and ${p(e.high, OPERAND)}`;
    case 'contains':
    case 'starts_with':
      return `${p(e.left, OPERAND)} ${e.kind} ${p(e.right, OPERAND)}`;
    case 'is_null':
      return `${p(e.arg, OPERAND)} ${e.negated ? 'is not null' : 'is null'}`;
    case 'not':
      return `not ${p(e.arg, 3)}`;
    case 'and':
    case 'or': {
      // `a or (b and c)`: the parentheses are redundant but nobody has to remember precedence.
      const level = 3;
      return e.args.map((a) => p(a, level)).join(` ${e.kind} `);
    }
  }
}
