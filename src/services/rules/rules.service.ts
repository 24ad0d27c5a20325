import { FIELDS, type FieldType } from '../../core/fields.ts';
import { checkRule, parseRule, type RuleError, type RuleParams } from '../../core/rules/index.ts';

export type RuleField = {
  key: string;
  type: FieldType;
  zh: string;
  en: string;
  aliases: string[];
  /** filtering or sorting on it needs pii.view */
  pii: boolean;
};

/** Every field a rule may name, with its labels: what rule editors complete from. */
export function listRuleFields(): RuleField[] {
  return FIELDS.map((f) => ({
    key: f.key,
    type: f.type,
    zh: f.zh,
    en: f.en,
    aliases: [...(f.aliases ?? [])],
    pii: f.pii === true,
  }));
}

export type RuleCheck = { ok: true; printed?: undefined } | { ok: false; error: RuleError };

/**
 * Parses and type-checks rule text as a scheme or list filter would, without running it:
 * `checkRuleText('累计消费金额 >= 10000')` → `{ ok: true }`.
 */
export function checkRuleText(text: string, params: RuleParams = {}): RuleCheck {
  const parsed = parseRule(text);
  if (!parsed.ok) return { ok: false, error: parsed.error };
  const checked = checkRule(parsed.ast, { params });
  return checked.ok ? { ok: true } : { ok: false, error: checked.error };
}
