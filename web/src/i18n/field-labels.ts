/**
 * Labels of the fields of rules, lists and metrics, taken from the one registry the server
 * uses too (src/core/fields.ts: pure, no I/O), so a page never restates a metric's name.
 */

import { FIELDS } from '../../../src/core/fields.ts';

/** `order_count_365d` → `orderCount365d`: the field's key as the API's DTOs spell it. */
export function camelKey(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Every field's label in one language by its camel-case key: `{ orderCount: '累计消费次数', … }`. */
export function fieldLabels(language: 'zh' | 'en'): Record<string, string> {
  return Object.fromEntries(FIELDS.map((f) => [camelKey(f.key), language === 'zh' ? f.zh : f.en]));
}
