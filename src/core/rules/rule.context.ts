import type { RuleParams, StatValues } from './rule.ast.ts';

/**
 * What a rule is evaluated against, shared by the evaluator (rule.evaluator.ts) and the
 * compiled matcher (rule.matcher.ts).
 */
/** A customer's raw values by field key, as the database returns them (money in fen, dates 'YYYY-MM-DD'). */
export type RuleRow = Record<string, number | string | boolean | null | undefined>;

export type RuleContext = {
  row: RuleRow;
  /** population statistics by `statKey`, money in yuan (see `computeStats`) */
  stats: StatValues;
  params?: RuleParams;
  /** the customer's tag names; absent means no tags */
  tags?: ReadonlySet<string>;
};

/** A value in the language: money in yuan, dates as 'YYYY-MM-DD', null for unknown. */
export type RuleValue = number | string | boolean | null;
