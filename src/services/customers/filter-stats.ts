import { type StatSpec, type StatValues, statKey } from '../../core/rules/index.ts';
import type { DbHandle } from '../../db/database.ts';
import { openResultCache } from '../../db/result-cache.ts';
import { resolveStatsSql } from '../../db/rule-sql.ts';
import { populationScope, type Viewer } from '../auth/policy.ts';

/**
 * The population statistics a list filter refers to (`avg(total_amount)`, `p(90, …)`),
 * over the customers the policy lets the caller aggregate over (`ruleStatistics`:
 * every customer, or only their own; refused for some roles), computed once per state
 * of the data: each one reads every customer in scope, and paging through a filtered
 * list asks for the same ones on every page.
 */
export async function filterStats(
  handle: DbHandle,
  options: { viewer: Viewer; refs: readonly StatSpec[] },
): Promise<StatValues> {
  const { refs } = options;
  if (refs.length === 0) return {};
  const scope = populationScope(options.viewer, 'ruleStatistics');
  const cache = await openResultCache(handle.db, handle.caps);
  const over = scope.ownerUserId === undefined ? 'all' : `owner ${scope.ownerUserId}`;
  const key = `stats\u0000${over}\u0000${[...new Set(refs.map(statKey))].sort().join('\u0000')}`;
  return cache.get(key, () => resolveStatsSql(handle.db, refs, scope));
}
