import { type CompiledScheme, classifyColumns, classifyOne, UNCLASSIFIED } from '../../core/classify.ts';
import type { StatValues } from '../../core/rules/index.ts';
import { classRangeReader } from '../../db/classification/classification.repository.ts';
import type { DbHandle } from '../../db/database.ts';
import type { Population } from './population.ts';
import { ruleRowFiller } from './population-rows.ts';
import { populationVectors } from './population-vectors.ts';

// A population's classes during a full run or a preview: the class each customer gets
// under each scheme, and the class each held before, page by page.

/**
 * Classes every customer of a population under each scheme: a column at a time where
 * the scheme's rules allow it, row by row otherwise. `classOf(k, slot)` is the class
 * key under `schemes[k]`.
 */
export function populationClassifier(
  schemes: readonly CompiledScheme[],
  options: { population: Population; stats: readonly StatValues[]; tags: Map<number, Set<string>> },
) {
  const { population, stats, tags } = options;
  const vectors = populationVectors(population, tags);
  const byColumns = schemes.map((scheme, k) => classifyColumns(scheme, vectors.input(stats[k])));
  const keys = schemes.map((scheme) => [...scheme.classes.map((c) => c.def.key), UNCLASSIFIED]);
  const fill = ruleRowFiller(population);
  const row: Record<string, string | number | null> = {};
  let rowSlot = -1;
  return {
    classOf(k: number, slot: number): string {
      const classes = byColumns[k];
      if (classes) return keys[k][classes[slot]];
      if (rowSlot !== slot) {
        fill(row, slot);
        rowSlot = slot;
      }
      return classifyOne(schemes[k], { row, stats: stats[k], tags: tags.get(population.ids[slot]) });
    },
  };
}

/** Customers per page of a run's writes: small pages keep garbage young and memory flat. */
const WRITE_PAGE = 4_000;

/**
 * Walks the population in pages of slots [start, end) with the classes stored before
 * this run: `previous[k][slot - start]` is the class under `schemeIds[k]` (or undefined).
 */
export async function forEachPopulationPage(
  handle: DbHandle,
  options: { population: Population; schemeIds: readonly number[] },
  visit: (page: { start: number; end: number; previous: (string | undefined)[][] }) => Promise<void>,
): Promise<void> {
  const { population, schemeIds } = options;
  const readClasses = classRangeReader(handle.db, handle.caps);
  const schemeIndex = new Map(schemeIds.map((id, k) => [id, k]));
  const previous = schemeIds.map(() => new Array<string | undefined>(WRITE_PAGE));
  const { ids } = population;
  for (let start = 0; start < population.size; start += WRITE_PAGE) {
    const end = Math.min(population.size, start + WRITE_PAGE);
    for (const column of previous) column.fill(undefined);
    await readClasses({ low: ids[start], high: ids[end - 1] }, (customerId, schemeId, classKey) => {
      const k = schemeIndex.get(schemeId);
      if (k === undefined) return;
      const slot = slotOf(ids, { id: customerId, start, end });
      if (slot >= 0) previous[k][slot - start] = classKey;
    });
    await visit({ start, end, previous });
  }
}

/** The slot of customer `id` among ascending ids[start, end), or −1. */
function slotOf(ids: Float64Array, range: { id: number; start: number; end: number }): number {
  const { id } = range;
  let lo = range.start;
  let hi = range.end;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ids[mid] < id) lo = mid + 1;
    else hi = mid;
  }
  return lo < range.end && ids[lo] === id ? lo : -1;
}
