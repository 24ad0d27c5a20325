/**
 * A small seeded PRNG (sfc32, seeded through splitmix32) with the draws the demo
 * generator needs. Same seed, same sequence, on every platform: only 32-bit integer
 * arithmetic, no Math.random, no clock.
 */
export type Random = {
  /** uniform in [0, 1) */
  next(): number;
  /** uniform integer in [min, max] */
  int(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** an item drawn with probability proportional to `weightOf(item)` */
  weighted<T>(items: readonly T[], weightOf: (item: T) => number): T;
  /** standard normal (Box–Muller) */
  normal(): number;
  /** lognormal with the given median and log-scale sigma */
  lognormal(median: number, sigma: number): number;
  /** exponential with the given mean */
  exponential(mean: number): number;
  /** Pareto (type I) with scale 1 and shape `alpha`: heavy upper tail */
  pareto(alpha: number): number;
  poisson(mean: number): number;
};

/** Hashes a seed (number or text) to 32 bits: `seedHash('demo') === seedHash('demo')`. */
export function seedHash(seed: number | string): number {
  const text = typeof seed === 'number' ? `n:${seed}` : `s:${seed}`;
  let h = 2166136261;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

/** Mixes a stream number into a seed, so each customer has its own independent stream. */
export function deriveSeed(seed: number, stream: number): number {
  return splitmix32(seed ^ Math.imul(stream + 1, 0x9e3779b9))();
}

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export function createRandom(seed: number): Random {
  const mix = splitmix32(seed);
  let a = mix();
  let b = mix();
  let c = mix();
  let d = mix();
  const next = (): number => {
    // sfc32 (Chris Doty-Humphrey): small, fast, passes PractRand at this size.
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i += 1) next();

  const random: Random = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)],
    weighted(items, weightOf) {
      let total = 0;
      for (const item of items) total += weightOf(item);
      let r = next() * total;
      for (const item of items) {
        r -= weightOf(item);
        if (r < 0) return item;
      }
      return items[items.length - 1];
    },
    normal() {
      const u = 1 - next();
      const v = next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    lognormal: (median, sigma) => median * Math.exp(sigma * random.normal()),
    exponential: (mean) => -Math.log(1 - next()) * mean,
    pareto: (alpha) => (1 - next()) ** (-1 / alpha),
    poisson(mean) {
      // Knuth's method: fine for the small means used here.
      const limit = Math.exp(-mean);
      let k = 0;
      let p = next();
      while (p > limit) {
        k += 1;
        p *= next();
      }
      return k;
    },
  };
  return random;
}
