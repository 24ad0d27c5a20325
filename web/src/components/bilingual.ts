import { useTranslation } from 'react-i18next';
import type { Bilingual } from '../api/contract.ts';

export type { Bilingual };

/** Picks the current language's half of a {zh, en} pair (class names, server messages). */
export function useBilingual(): (text: Bilingual | null | undefined) => string {
  const { i18n } = useTranslation();
  const en = i18n.language.startsWith('en');
  return (text) => (text ? (en ? text.en || text.zh : text.zh || text.en) : '');
}

/** Money is integer fen on the wire; shown as yuan with grouping, e.g. 123450 → ¥1,234.50. */
export function formatFen(fen: number | null | undefined, options: { decimals?: number } = {}): string {
  if (fen === null || fen === undefined) return '—';
  const decimals = options.decimals ?? 2;
  return `¥${(fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: decimals, maximumFractionDigits: decimals })}`;
}
