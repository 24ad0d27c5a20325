import type { CompareOp, ValueType } from './rule.ast.ts';
import type { RuleTrace, RuleValue, TraceOperand } from './rule.evaluator.ts';
import { printForDisplay } from './rule.printer.ts';

export type ExplainLocale = 'zh' | 'en';

const MONEY = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const NUMBER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 4 });

/** A value as people read it: money `12,345.00` (yuan), numbers `10,000`, dates as written, text quoted. */
export function formatValue(value: RuleValue, type: ValueType, locale: ExplainLocale): string {
  if (value === null) return locale === 'zh' ? '空' : 'null';
  if (typeof value === 'boolean') return locale === 'zh' ? (value ? '是' : '否') : String(value);
  if (typeof value === 'number') {
    // -0 is an artefact of arithmetic, not something to show.
    const n = value === 0 ? 0 : value;
    return type === 'money' ? MONEY.format(n) : NUMBER.format(n);
  }
  return type === 'string' ? (locale === 'zh' ? `“${value}”` : `"${value}"`) : value;
}

const SYMBOLS: Record<ExplainLocale, Record<CompareOp, string>> = {
  zh: { '=': '=', '!=': '≠', '<': '<', '<=': '≤', '>': '>', '>=': '≥' },
  en: { '=': '=', '!=': '!=', '<': '<', '<=': '<=', '>': '>', '>=': '>=' },
};

function mark(result: boolean | null, locale: ExplainLocale): string {
  if (locale === 'zh') return result === true ? ' ✓' : result === false ? ' ✗' : ' ？（含空值，视为不满足）';
  return result === true
    ? ': held'
    : result === false
      ? ': not held'
      : ': unknown (missing value, not matched)';
}

const LITERALS: ReadonlySet<string> = new Set(['number', 'string', 'boolean', 'date']);

/**
 * An operand with its actual value. Literals speak for themselves; the subject of a
 * condition reads `累计消费金额 = 12,345.00`, other operands `avg(R评分) (= 3.2)`.
 */
function operandText(o: TraceOperand, locale: ExplainLocale, subject: boolean): string {
  const value = formatValue(o.value, o.type, locale);
  if (LITERALS.has(o.expr.kind)) return value;
  const text = printForDisplay(o.expr, locale);
  return subject ? `${text} = ${value}` : `${text} (= ${value})`;
}

function leafLine(t: RuleTrace, locale: ExplainLocale): string {
  const zh = locale === 'zh';
  const [first, ...rest] = t.operands;
  const subject = first ? operandText(first, locale, true) : '';
  const other = (o: TraceOperand) => operandText(o, locale, false);
  const e = t.expr;
  switch (e.kind) {
    case 'compare':
      return `${subject} ${SYMBOLS[locale][e.op]} ${other(rest[0])}`;
    case 'in': {
      const list = `(${rest.map(other).join(', ')})`;
      if (zh) return `${subject} ${e.negated ? '不属于' : '属于'} ${list}`;
      return `${subject} ${e.negated ? 'not in' : 'in'} ${list}`;
    }
    case 'between': {
      const [low, high] = rest.map(other);
      if (zh) return `${subject} ${e.negated ? '不在' : '在'} ${low} 与 ${high} 之间`;
      return `${subject} ${e.negated ? 'not between' : 'between'} ${low} and ${high}`;
    }
    case 'contains':
      return zh ? `${subject} 包含 ${other(rest[0])}` : `${subject} contains ${other(rest[0])}`;
    case 'starts_with':
      return zh ? `${subject} 以 ${other(rest[0])} 开头` : `${subject} starts with ${other(rest[0])}`;
    case 'is_null':
      if (zh) return `${subject} ${e.negated ? '不为空' : '为空'}`;
      return `${subject} ${e.negated ? 'is not null' : 'is null'}`;
    case 'has_tag':
      return zh ? `拥有标签“${e.tag}”` : `has tag "${e.tag}"`;
    default:
      return subject || printForDisplay(e, locale);
  }
}

/**
 * Readable lines for a trace, indented two spaces per level:
 * `['同时满足以下条件 ✓', '  累计消费金额 = 12,345.00 ≥ 10,000 ✓', …]`.
 */
export function explainTrace(trace: RuleTrace, locale: ExplainLocale): string[] {
  const lines: string[] = [];
  const visit = (t: RuleTrace, depth: number) => {
    const indent = '  '.repeat(depth);
    const zh = locale === 'zh';
    switch (t.expr.kind) {
      case 'and':
        lines.push(`${indent}${zh ? '同时满足以下条件' : 'all of'}${mark(t.result, locale)}`);
        break;
      case 'or':
        lines.push(`${indent}${zh ? '满足以下任一条件' : 'any of'}${mark(t.result, locale)}`);
        break;
      case 'not':
        lines.push(`${indent}${zh ? '不满足以下条件' : 'not'}${mark(t.result, locale)}`);
        break;
      default:
        lines.push(`${indent}${leafLine(t, locale)}${mark(t.result, locale)}`);
        return;
    }
    for (const child of t.children) visit(child, depth + 1);
  };
  visit(trace, 0);
  return lines;
}
