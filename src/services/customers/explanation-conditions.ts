import { formatValue, printForDisplay, type RuleTrace } from '../../core/rules/index.ts';
import type { TextView } from '../privacy/pii-scrub.ts';

type Pair = { zh: string; en: string };

/**
 * One condition of a class rule as people read it, flattened in reading order:
 * `{ depth: 1, kind: 'condition', result: true, rule: { zh: '累计消费金额 >= 10000' },
 *    values: [{ label: { zh: '累计消费金额' }, value: { zh: '¥12,345.00' } }] }`.
 * Groups (`all`, `any`, `not`) carry their own result; their conditions follow one level deeper.
 */
export type ConditionView = {
  depth: number;
  kind: 'all' | 'any' | 'not' | 'condition';
  /** null: a value was missing, so the condition is unknown and counts as not met */
  result: boolean | null;
  rule: Pair;
  /**
   * The operands with their values: `actual` is what the customer has (the condition's
   * subject), `threshold` what it was compared with (a literal, parameter or statistic).
   */
  values: { role: 'actual' | 'threshold'; label: Pair; value: Pair }[];
};

const LITERALS: ReadonlySet<string> = new Set(['number', 'string', 'boolean', 'date']);

type Operand = RuleTrace['operands'][number];

function shownValue(o: Operand, options: { locale: 'zh' | 'en'; money: boolean }): string {
  const money = options.money && typeof o.value === 'number';
  const text = formatValue(o.value, money ? 'money' : o.type, options.locale);
  // The rule language speaks yuan; a threshold compared with money reads as money too.
  return money ? `¥${text}` : text;
}

function operandValues(operands: readonly Operand[], t: (s: string) => string): ConditionView['values'] {
  const money = operands[0]?.type === 'money';
  return operands.map((o, i) => {
    const value = {
      zh: t(shownValue(o, { locale: 'zh', money })),
      en: t(shownValue(o, { locale: 'en', money })),
    };
    return {
      role: i === 0 ? 'actual' : 'threshold',
      label: LITERALS.has(o.expr.kind)
        ? value
        : { zh: t(printForDisplay(o.expr, 'zh')), en: t(printForDisplay(o.expr, 'en')) },
      value,
    };
  });
}

/** The evaluator's trace of one class rule as a flat list of readable conditions. */
export function conditionsOf(trace: RuleTrace, text: TextView): ConditionView[] {
  const out: ConditionView[] = [];
  const t = (s: string) => text(s) ?? '';
  const visit = (node: RuleTrace, depth: number) => {
    const kind = node.expr.kind;
    const group = kind === 'and' ? 'all' : kind === 'or' ? 'any' : kind === 'not' ? 'not' : null;
    out.push({
      depth,
      kind: group ?? 'condition',
      result: node.result,
      rule: { zh: t(printForDisplay(node.expr, 'zh')), en: t(printForDisplay(node.expr, 'en')) },
      values: group ? [] : operandValues(node.operands, t),
    });
    for (const child of node.children) visit(child, depth + 1);
  };
  visit(trace, 0);
  return out;
}
