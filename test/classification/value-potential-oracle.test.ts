import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runClassification } from '../../src/services/classification/classification.service.ts';
import { DIALECTS, openTestDb, type TestDb } from '../support/databases.ts';
import { customerRow } from '../support/rows.ts';

/**
 * value_potential classes and scores must equal a computation written here from the
 * definitions of docs/classification.md, in exact rational arithmetic: current value =
 * weighted mean (5 : 3 : 2) of the mid-rank percentiles of 365-day amount, 365-day order
 * count and 365-day gross profit over the customers with an order in the window;
 * potential = weighted mean (35 : 25 : 20 : 20) of the percentiles of the spend trend,
 * distinct categories, company size and NPS over the customers with any order; an
 * indicator a customer lacks is left out and the other weights renormalised; ≥ 50 is high.
 */

const AS_OF = '2024-06-30';
const DAY = 86_400_000;
const dayOf = (d: string) => Date.UTC(+d.slice(0, 4), +d.slice(5, 7) - 1, +d.slice(8, 10)) / DAY;
const dateOf = (n: number) => new Date(n * DAY).toISOString().slice(0, 10);
const ASOF_DAY = dayOf(AS_OF);

type Order = { date: string; amount: number; cost: number | null; category: string | null; status: string };
type Feedback = { date: string; nps: number | null };
type Customer = { companySize: string | null; orders: Order[]; feedback: Feedback[] };

// ---- exact arithmetic -------------------------------------------------------------
type Q = { n: bigint; d: bigint };
const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? (a < 0n ? -a : a) : gcd(b, a % b));
function q(n: bigint, d = 1n): Q {
  if (d < 0n) return q(-n, -d);
  const g = gcd(n, d) || 1n;
  return { n: n / g, d: d / g };
}
const add = (a: Q, b: Q) => q(a.n * b.d + b.n * a.d, a.d * b.d);
const mul = (a: Q, b: Q) => q(a.n * b.n, a.d * b.d);
const div = (a: Q, b: Q) => q(a.n * b.d, a.d * b.n);
const cmp = (a: Q, b: Q) => {
  const x = a.n * b.d - b.n * a.d;
  return x < 0n ? -1 : x > 0n ? 1 : 0;
};
const num = (a: Q) => Number(a.n) / Number(a.d);
const FIFTY = q(50n);

/** Mid-rank percentile of v among `population`, exactly: (below + equal / 2) / n × 100. */
function percentile(population: Q[], v: Q): Q {
  const below = population.filter((x) => cmp(x, v) < 0).length;
  const equal = population.filter((x) => cmp(x, v) === 0).length;
  return q(BigInt(100 * (2 * below + equal)), BigInt(2 * population.length));
}

/** Weighted mean of the present percentiles; null when none is present. */
function weighted(parts: [Q | null, number][]): Q | null {
  let sum = q(0n);
  let weights = 0;
  for (const [p, w] of parts) {
    if (p === null) continue;
    sum = add(sum, mul(p, q(BigInt(w))));
    weights += w;
  }
  return weights === 0 ? null : div(sum, q(BigInt(weights)));
}

const SIZE_RANK: Record<string, number> = {
  微型: 1,
  小型: 2,
  small: 2,
  中型: 3,
  medium: 3,
  大型: 4,
  large: 4,
  特大型: 5,
};

type Expected = { value: Q; potential: Q | null; quadrant: string };

function oracle(customers: Customer[]): Expected[] {
  const facts = customers.map((c) => {
    const valid = c.orders.filter((o) => o.status === 'completed' && dayOf(o.date) <= ASOF_DAY);
    const since = (days: number) => (o: Order) => dayOf(o.date) > ASOF_DAY - days;
    const inYear = valid.filter(since(365));
    const costed = inYear.filter((o) => o.cost !== null);
    const sum = (list: Order[]) => list.reduce((s, o) => s + o.amount, 0);
    const last180 = valid.filter(since(180));
    const prior180 = valid.filter((o) => since(360)(o) && !since(180)(o));
    const nps = c.feedback
      .filter((f) => dayOf(f.date) <= ASOF_DAY && f.nps !== null)
      .map((f) => f.nps as number);
    return {
      buyer: valid.some((o) => o.amount > 0),
      scored: inYear.some((o) => o.amount > 0),
      amount365: q(BigInt(sum(inYear))),
      count365: q(BigInt(inYear.filter((o) => o.amount > 0).length)),
      profit365: costed.length
        ? q(BigInt(costed.reduce((s, o) => s + o.amount - (o.cost as number), 0)))
        : null,
      trend: q(BigInt(sum(last180) - sum(prior180))),
      categories: q(
        BigInt(new Set(valid.filter((o) => o.amount > 0 && o.category !== null).map((o) => o.category)).size),
      ),
      size: c.companySize !== null && c.companySize in SIZE_RANK ? q(BigInt(SIZE_RANK[c.companySize])) : null,
      nps: nps.length ? q(BigInt(nps.reduce((s, x) => s + x, 0)), BigInt(nps.length)) : null,
    };
  });
  type Fact = (typeof facts)[number];
  const over = (members: Fact[], pick: (f: Fact) => Q | null) =>
    members.map(pick).filter((v): v is Q => v !== null);
  const scored = facts.filter((f) => f.scored);
  const buyers = facts.filter((f) => f.buyer);
  const pop = {
    amount: over(scored, (f) => f.amount365),
    count: over(scored, (f) => f.count365),
    profit: over(scored, (f) => f.profit365),
    trend: over(buyers, (f) => f.trend),
    categories: over(buyers, (f) => f.categories),
    size: over(buyers, (f) => f.size),
    nps: over(buyers, (f) => f.nps),
  };
  const pct = (population: Q[], v: Q | null) => (v === null ? null : percentile(population, v));
  return facts.map((f) => {
    const value = f.scored
      ? (weighted([
          [pct(pop.amount, f.amount365), 5],
          [pct(pop.count, f.count365), 3],
          [pct(pop.profit, f.profit365), 2],
        ]) as Q)
      : q(0n);
    const potential = f.buyer
      ? weighted([
          [pct(pop.trend, f.trend), 35],
          [pct(pop.categories, f.categories), 25],
          [pct(pop.size, f.size), 20],
          [pct(pop.nps, f.nps), 20],
        ])
      : null;
    const highValue = cmp(value, FIFTY) >= 0;
    const highPotential = potential !== null && cmp(potential, FIFTY) >= 0;
    const quadrant = highValue
      ? highPotential
        ? 'strategic'
        : 'maintain'
      : highPotential
        ? 'develop'
        : 'general';
    return { value, potential, quadrant };
  });
}

// ---- data -------------------------------------------------------------------------
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Coarse values, so that ties are everywhere; dates on both sides of every window edge. */
function generate(seed: number, size: number): Customer[] {
  const rnd = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)];
  const offsets = [-5, 0, 30, 179, 180, 181, 300, 359, 360, 361, 364, 365, 366, 500];
  const amounts = [10_000, 10_000, 50_000, 120_000, 500_000];
  const sizes = ['微型', '小型', 'small', '中型', '大型', '特大型', '个体', null, null];
  const customers: Customer[] = [];
  for (let i = 0; i < size; i++) {
    // every eighth customer copies an earlier one: whole customers tie
    if (i % 8 === 7) {
      customers.push(structuredClone(customers[Math.floor(rnd() * i)]));
      continue;
    }
    const n = rnd() < 0.1 ? 0 : 1 + Math.floor(rnd() * 5);
    const orders: Order[] = Array.from({ length: n }, () => {
      const amount = rnd() < 0.1 ? -pick([5_000, 20_000]) : pick(amounts);
      return {
        date: dateOf(ASOF_DAY - pick(offsets)),
        amount,
        cost: rnd() < 0.4 ? null : Math.round(amount * pick([0.5, 0.8, 1.2])),
        category: pick(['A', 'B', 'C', null]),
        status: rnd() < 0.06 ? 'cancelled' : 'completed',
      };
    });
    const feedback: Feedback[] = Array.from({ length: Math.floor(rnd() * 3) }, () => ({
      date: dateOf(ASOF_DAY - pick([-3, 0, 40, 400])),
      nps: pick([null, 0, 6, 9, 10]),
    }));
    customers.push({ companySize: pick(sizes), orders, feedback });
  }
  return customers;
}

/**
 * Value exactly 50, reached two ways: X's amount is the larger (75th percentile), its
 * order count and profit the smaller (25th): 0.5 × 75 + 0.3 × 25 + 0.2 × 25 = 50; Y
 * mirrors it: 12.5 + 22.5 + 15 = 50. Their potentials differ (X's trend and company are
 * the larger, its NPS the smaller): 58.75 and 41.25. One customer without orders.
 */
const VALUE_AT_50: Customer[] = [
  {
    companySize: '大型',
    orders: [{ date: '2024-06-01', amount: 300_000, cost: 250_000, category: 'A', status: 'completed' }],
    feedback: [{ date: '2024-05-01', nps: 3 }],
  },
  {
    companySize: '小型',
    orders: [
      { date: '2024-06-01', amount: 100_000, cost: 0, category: 'A', status: 'completed' },
      { date: '2024-06-02', amount: 150_000, cost: 50_000, category: 'A', status: 'completed' },
    ],
    feedback: [{ date: '2024-05-01', nps: 9 }],
  },
  { companySize: null, orders: [], feedback: [] },
];

/**
 * Potential exactly 50: equal orders (value 50 by the tie, trend and categories at the
 * 50th percentile), X's company larger (75th) and NPS lower (25th):
 * 0.35 × 50 + 0.25 × 50 + 0.2 × 75 + 0.2 × 25 = 50; Y mirrors it.
 */
const POTENTIAL_AT_50: Customer[] = [
  {
    companySize: '大型',
    orders: [{ date: '2024-06-01', amount: 200_000, cost: 100_000, category: 'A', status: 'completed' }],
    feedback: [{ date: '2024-05-01', nps: 3 }],
  },
  {
    companySize: '小型',
    orders: [{ date: '2024-06-01', amount: 200_000, cost: 100_000, category: 'A', status: 'completed' }],
    feedback: [{ date: '2024-05-01', nps: 9 }],
  },
];

/** Each dataset, with what its oracle must find when it is built for one edge. */
const datasets: [string, Customer[], [number, number | null, string][] | null][] = [
  ['generated edges', generate(20240630, 320), null],
  [
    'value at exactly 50',
    VALUE_AT_50,
    [
      [50, 58.75, 'strategic'],
      [50, 41.25, 'maintain'],
      [0, null, 'general'],
    ],
  ],
  [
    'potential at exactly 50',
    POTENTIAL_AT_50,
    [
      [50, 50, 'strategic'],
      [50, 50, 'strategic'],
    ],
  ],
];

for (const dialect of DIALECTS) {
  for (const [dataset, customers, edge] of datasets) {
    describe(`value_potential matches its definition on ${dialect}, ${dataset}`, () => {
      let t: TestDb;
      const expected = oracle(customers);
      const code = (i: number) => `V${String(i).padStart(4, '0')}`;

      beforeAll(async () => {
        t = await openTestDb(dialect);
        const now = new Date().toISOString();
        await t.db
          .insertInto('customers')
          .values(
            customers.map((c, i) => ({
              ...customerRow(code(i), now),
              kind: c.companySize === null ? 'individual' : 'company',
              company_size: c.companySize,
            })),
          )
          .execute();
        const ids = new Map(
          (await t.db.selectFrom('customers').select(['id', 'code']).execute()).map((r) => [
            r.code,
            Number(r.id),
          ]),
        );
        const orders = customers.flatMap((c, i) =>
          c.orders.map((o, j) => ({
            customer_id: ids.get(code(i)) as number,
            source: 'test',
            external_id: `${i}-${j}`,
            ordered_at: `${o.date} 10:00:00`,
            order_date: o.date,
            amount: o.amount,
            cost: o.cost,
            category: o.category,
            status: o.status,
            created_at: now,
          })),
        );
        for (let i = 0; i < orders.length; i += 400) {
          await t.db
            .insertInto('orders')
            .values(orders.slice(i, i + 400))
            .execute();
        }
        const feedback = customers.flatMap((c, i) =>
          c.feedback.map((f, j) => ({
            customer_id: ids.get(code(i)) as number,
            external_id: `${i}-${j}`,
            at: `${f.date} 09:00:00`,
            feedback_date: f.date,
            kind: 'feedback',
            satisfaction: null,
            nps: f.nps,
            status: 'open',
            created_at: now,
          })),
        );
        if (feedback.length) await t.db.insertInto('feedback').values(feedback).execute();
        await runClassification(t, { asOf: AS_OF, schemeKeys: ['value_potential'], now: () => new Date() });
      });
      afterAll(async () => t?.drop());

      it('scores every customer as the definitions give', async () => {
        const rows = await t.db
          .selectFrom('customer_metrics as m')
          .innerJoin('customers as c', 'c.id', 'm.customer_id')
          .select(['c.code as code', 'm.value_score as value', 'm.potential_score as potential'])
          .where('m.as_of', '=', AS_OF)
          .execute();
        expect(rows).toHaveLength(customers.length);
        const actual = new Map(rows.map((r) => [r.code, r]));
        const mismatches: string[] = [];
        expected.forEach((e, i) => {
          const got = actual.get(code(i));
          const value = got?.value === null || got?.value === undefined ? null : Number(got.value);
          const potential =
            got?.potential === null || got?.potential === undefined ? null : Number(got.potential);
          if (value === null || Math.abs(value - num(e.value)) > 1e-9)
            mismatches.push(`${code(i)} value: expected ${num(e.value)}, got ${value}`);
          const want = e.potential === null ? null : num(e.potential);
          if (want === null ? potential !== null : potential === null || Math.abs(potential - want) > 1e-9)
            mismatches.push(`${code(i)} potential: expected ${want}, got ${potential}`);
        });
        expect(mismatches.slice(0, 10)).toEqual([]);
      });

      it('puts every customer in the quadrant the definitions give, 50 itself counting as high', async () => {
        const rows = await t.db
          .selectFrom('customer_classes as cc')
          .innerJoin('schemes as s', 's.id', 'cc.scheme_id')
          .innerJoin('customers as c', 'c.id', 'cc.customer_id')
          .select(['c.code as code', 'cc.class_key as class_key'])
          .where('s.key', '=', 'value_potential')
          .execute();
        expect(rows).toHaveLength(customers.length);
        const actual = new Map(rows.map((r) => [r.code, r.class_key]));
        const mismatches = expected
          .map((e, i) => [code(i), e.quadrant, actual.get(code(i))])
          .filter(([, want, got]) => want !== got)
          .map(([c, want, got]) => `${c}: expected ${want}, got ${got}`);
        expect(mismatches.slice(0, 10)).toEqual([]);
      });

      it('reaches the edges it was built for', () => {
        const quadrants = new Set(expected.map((e) => e.quadrant));
        if (edge) {
          const found = expected.map((e) => [num(e.value), e.potential && num(e.potential), e.quadrant]);
          expect(found).toEqual(edge);
          return;
        }
        expect([...quadrants].sort()).toEqual(['develop', 'general', 'maintain', 'strategic']);
        // a third indicator missing (no cost, no company size, no NPS) for some, present for others
        const facts = customers.map((c) => ({
          costless: c.orders.length > 0 && c.orders.every((o) => o.cost === null),
          sizeless: c.companySize === null,
          npsless: c.feedback.every((f) => f.nps === null),
        }));
        for (const key of ['costless', 'sizeless', 'npsless'] as const) {
          const n = facts.filter((f) => f[key]).length;
          expect(n, key).toBeGreaterThan(10);
          expect(n, key).toBeLessThan(customers.length - 10);
        }
        // many customers share a score with another one
        const values = expected.map((e) => num(e.value));
        expect(values.length - new Set(values).size).toBeGreaterThan(40);
      });
    });
  }
}
