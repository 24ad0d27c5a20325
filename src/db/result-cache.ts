import type { Db } from './database.ts';
import type { DialectCapabilities } from './dialects/capabilities.ts';

/**
 * Results of reads computed once per state of the data: `await cache.get(key, compute)`
 * answers from memory while the database's change stamp reads the same, and computes
 * anew (once, however many callers ask at the same time) after any write.
 */
export type ResultCache = {
  /** the change stamp of the state of the data this cache answers for */
  stamp: string;
  /** `compute()`'s result for `key`; `sizeOf` weighs it against the cache's budget (default 1) */
  get<T>(key: string, compute: () => Promise<T>, sizeOf?: (value: T) => number): Promise<T>;
  /** the result for `key` when it is already known (computed or being computed) */
  peek<T>(key: string): Promise<T> | undefined;
};

type Entry = { value: Promise<unknown>; size: number };
type Generation = { stamp: string; entries: Map<string, Entry>; size: number };

/** Entries and total weight kept per database; the least recently used go first. */
const MAX_ENTRIES = 256;
const MAX_SIZE = 4_000_000;

const generations = new WeakMap<Db, Generation>();

/**
 * The cache of `db` for the data as it is now. Read the stamp before the data, as this
 * does: a write that lands between the two makes the next stamp differ, so a result
 * newer than its stamp is only ever recomputed early, never served stale.
 */
export async function openResultCache(db: Db, caps: DialectCapabilities): Promise<ResultCache> {
  const stamp = await caps.changeStamp(db);
  let generation = generations.get(db);
  if (!generation || generation.stamp !== stamp) {
    generation = { stamp, entries: new Map(), size: 0 };
    generations.set(db, generation);
  }
  const g = generation;
  const evict = () => {
    for (const [key, entry] of g.entries) {
      if (g.entries.size <= MAX_ENTRIES && g.size <= MAX_SIZE) break;
      g.entries.delete(key);
      g.size -= entry.size;
    }
  };
  return {
    stamp,
    get<T>(key: string, compute: () => Promise<T>, sizeOf?: (value: T) => number): Promise<T> {
      const hit = g.entries.get(key);
      if (hit) {
        // Map order is recency order: move the hit to the end.
        g.entries.delete(key);
        g.entries.set(key, hit);
        return hit.value as Promise<T>;
      }
      const entry: Entry = { value: Promise.resolve(), size: 1 };
      const value = compute().then(
        (v) => {
          const size = sizeOf ? Math.max(1, sizeOf(v)) : 1;
          if (g.entries.get(key) === entry) {
            g.size += size - entry.size;
            entry.size = size;
            evict();
          }
          return v;
        },
        (e: unknown) => {
          // A failure is not a result: the next caller tries again.
          if (g.entries.get(key) === entry) {
            g.entries.delete(key);
            g.size -= entry.size;
          }
          throw e;
        },
      );
      entry.value = value;
      g.entries.set(key, entry);
      g.size += entry.size;
      evict();
      return value;
    },
    peek<T>(key: string): Promise<T> | undefined {
      return g.entries.get(key)?.value as Promise<T> | undefined;
    },
  };
}
