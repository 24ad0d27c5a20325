import { type StatSpec, type StatValues, statKey } from '../../core/rules/index.ts';
import type { DbHandle } from '../../db/database.ts';
import { openResultCache } from '../../db/result-cache.ts';
import { resolveStatsSql } from '../../db/rule-sql.ts';

/**
 * The population statistics a list filter refers to (`avg(total_amount)`, `p(90, …)`),
 * computed once per state of the data: each one reads every customer, and paging
 * through a filtered list asks for the same ones on every page.
 */
export async function filterStats(handle: DbHandle, refs: readonly StatSpec[]): Promise<StatValues> {
  if (refs.length === 0) return {};
  const cache = await openResultCache(handle.db, handle.caps);
  const key = `stats\u0000${[...new Set(refs.map(statKey))].sort().join('\u0000')}`;
  return cache.get(key, () => resolveStatsSql(handle.db, refs));
}
