import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  explainCustomer,
  runClassification,
} from '../../src/services/classification/classification.service.ts';
import { DIALECTS, openTestDb, type TestDb } from '../support/databases.ts';
import { customerRow } from '../support/rows.ts';

/**
 * Classes must equal a computation written here straight from docs/classification.md, on data
 * generated to hit the edges: ties, returns, orders after the as-of date, cancelled
 * orders, the 365-day window boundary, customers without orders.
 */

const AS_OF = '2024-06-30';
const DAY = 86_400_000;
const dayOf = (d: string) => Date.UTC(+d.slice(0, 4), +d.slice(5, 7) - 1, +d.slice(8, 10)) / DAY;
const dateOf = (n: number) => new Date(n * DAY).toISOString().slice(0, 10);

type GenOrder = { date: string; amount: number; status: string };

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

function generate(seed: number, customers: number): GenOrder[][] {
  const rnd = prng(seed);
  const asOfDay = dayOf(AS_OF);
  const amounts = [1000, 5000, 19_999_9, 200_000, 250_000, 999_999, 1_000_000, 1_500_000];
  return Array.from({ length: customers }, () => {
    const n = rnd() < 0.12 ? 0 : Math.floor(rnd() * 9);
    const orders: GenOrder[] = [];
    for (let i = 0; i < n; i++) {
      // coarse offsets produce many ties on recency and on the window edge
      const offsets = [-10, 0, 1, 30, 90, 91, 180, 181, 364, 365, 366, 400, 800];
      const offset = rnd() < 0.6 ? offsets[Math.floor(rnd() * offsets.length)] : Math.floor(rnd() * 900);
      const amount = rnd() < 0.08 ? -Math.floor(rnd() * 50_000) : amounts[Math.floor(rnd() * amounts.length)];
      const status = rnd() < 0.05 ? 'cancelled' : 'completed';
      orders.push({ date: dateOf(asOfDay - offset), amount, status });
    }
    return orders;
  });
}

type Expected = { value_tier: string; lifecycle: string; rfm8: string };

function oracle(all: GenOrder[][]): Expected[] {
  const asOfDay = dayOf(AS_OF);
  const facts = all.map((orders) => {
    const valid = orders.filter((o) => o.status === 'completed' && dayOf(o.date) <= asOfDay);
    const positive = valid.filter((o) => o.amount > 0);
    const total = valid.reduce((s, o) => s + o.amount, 0);
    const days = positive.map((o) => dayOf(o.date));
    const inWindow = (o: GenOrder) => dayOf(o.date) > asOfDay - 365;
    return {
      count: positive.length,
      total,
      recency: days.length ? asOfDay - Math.max(...days) : null,
      tenure: days.length ? asOfDay - Math.min(...days) : null,
      f: positive.filter(inWindow).length,
      m: valid.filter(inWindow).reduce((s, o) => s + o.amount, 0),
    };
  });
  const scored = facts.filter((f) => f.f >= 1);
  const n = scored.length;
  const score = (pick: (x: (typeof facts)[number]) => number, v: number, lowerBetter: boolean) =>
    1 + Math.floor((5 * scored.filter((s) => (lowerBetter ? pick(s) > v : pick(s) < v)).length) / n);
  const scores = facts.map((f) =>
    f.f >= 1
      ? {
          r: score((x) => x.recency as number, f.recency as number, true),
          f: score((x) => x.f, f.f, false),
          m: score((x) => x.m, f.m, false),
        }
      : null,
  );
  const present = scores.filter((s) => s !== null) as { r: number; f: number; m: number }[];
  const mean = (k: 'r' | 'f' | 'm') => present.reduce((s, x) => s + x[k], 0) / present.length;
  const [mr, mf, mm] = [mean('r'), mean('f'), mean('m')];
  const names: Record<string, string> = {
    HHH: 'important_value',
    HLH: 'important_develop',
    LHH: 'important_keep',
    LLH: 'important_retain',
    HHL: 'general_value',
    HLL: 'general_develop',
    LHL: 'general_keep',
    LLL: 'general_retain',
  };
  return facts.map((f, i) => {
    const valueTier =
      f.count === 0 ? 'none' : f.total >= 1_000_000 ? 'high' : f.total >= 200_000 ? 'medium' : 'low';
    let lifecycle: string;
    if (f.count === 0) lifecycle = 'prospect';
    else if ((f.recency as number) > 180) lifecycle = 'churned';
    else if ((f.recency as number) > 90) lifecycle = 'at_risk';
    else if ((f.tenure as number) <= 90) lifecycle = 'new';
    else if (f.count >= 5 && (f.tenure as number) >= 365) lifecycle = 'stable';
    else lifecycle = 'growing';
    const s = scores[i];
    const rfm8 = s
      ? names[`${s.r > mr ? 'H' : 'L'}${s.f > mf ? 'H' : 'L'}${s.m > mm ? 'H' : 'L'}`]
      : 'inactive';
    return { value_tier: valueTier, lifecycle, rfm8 };
  });
}

for (const dialect of DIALECTS) {
  describe(`classification matches docs/classification.md on ${dialect}`, () => {
    let t: TestDb;
    const data = generate(20241123, 400);
    const expected = oracle(data);

    beforeAll(async () => {
      t = await openTestDb(dialect);
      const now = new Date().toISOString();
      await t.db
        .insertInto('customers')
        .values(data.map((_, i) => customerRow(`C${String(i).padStart(4, '0')}`, now)))
        .execute();
      const ids = new Map(
        (await t.db.selectFrom('customers').select(['id', 'code']).execute()).map((r) => [
          r.code,
          Number(r.id),
        ]),
      );
      const orders = data.flatMap((list, i) =>
        list.map((o, j) => ({
          customer_id: ids.get(`C${String(i).padStart(4, '0')}`) as number,
          source: 'test',
          external_id: `${i}-${j}`,
          ordered_at: `${o.date} 10:00:00`,
          order_date: o.date,
          amount: o.amount,
          status: o.status,
          created_at: now,
        })),
      );
      for (let i = 0; i < orders.length; i += 500) {
        await t.db
          .insertInto('orders')
          .values(orders.slice(i, i + 500))
          .execute();
      }
    });
    afterAll(async () => t?.drop());

    it('puts every customer in the class the definitions give', async () => {
      await runClassification(t, { asOf: AS_OF, now: () => new Date() });
      const rows = await t.db
        .selectFrom('customer_classes as cc')
        .innerJoin('schemes as s', 's.id', 'cc.scheme_id')
        .innerJoin('customers as c', 'c.id', 'cc.customer_id')
        .select(['c.code as code', 's.key as scheme', 'cc.class_key as class_key'])
        .execute();
      const actual = new Map(rows.map((r) => [`${r.code}/${r.scheme}`, r.class_key]));
      const mismatches: string[] = [];
      expected.forEach((e, i) => {
        const code = `C${String(i).padStart(4, '0')}`;
        for (const scheme of ['value_tier', 'lifecycle', 'rfm8'] as const) {
          const got = actual.get(`${code}/${scheme}`);
          if (got !== e[scheme]) mismatches.push(`${code} ${scheme}: expected ${e[scheme]}, got ${got}`);
        }
      });
      expect(mismatches.slice(0, 10)).toEqual([]);
      // the data must exercise every RFM class, or the test proves little
      expect(new Set(expected.map((e) => e.rfm8)).size).toBeGreaterThanOrEqual(7);
    });

    it("records the first run's history: one change from none for every class it wrote", async () => {
      const classes = await t.db
        .selectFrom('customer_classes')
        .select(['customer_id', 'scheme_id', 'class_key', 'run_id', 'since'])
        .orderBy('customer_id')
        .orderBy('scheme_id')
        .execute();
      const changes = await t.db
        .selectFrom('class_changes')
        .select(['customer_id', 'scheme_id', 'run_id', 'from_class', 'to_class', 'at'])
        .orderBy('id')
        .execute();
      expect(classes.length).toBeGreaterThanOrEqual(expected.length * 3);
      expect(
        changes.map((c) => ({
          ...c,
          customer_id: Number(c.customer_id),
          scheme_id: Number(c.scheme_id),
          run_id: Number(c.run_id),
        })),
      ).toEqual(
        classes.map((c) => ({
          customer_id: Number(c.customer_id),
          scheme_id: Number(c.scheme_id),
          run_id: Number(c.run_id),
          from_class: null,
          to_class: c.class_key,
          at: AS_OF,
        })),
      );
      expect(new Set(classes.map((c) => c.since))).toEqual(new Set([AS_OF]));
    });

    it('explains each class from the metrics of its own run, even after another scheme ran at a later date', async () => {
      await runClassification(t, { asOf: AS_OF, now: () => new Date() });
      await runClassification(t, { asOf: '2025-06-30', schemeKeys: ['value_tier'], now: () => new Date() });
      for (let i = 0; i < 60; i++) {
        const code = `C${String(i).padStart(4, '0')}`;
        for (const schemeKey of ['lifecycle', 'rfm8'] as const) {
          const e = await explainCustomer(t, { code, schemeKey });
          expect(e.asOf).toBe(AS_OF);
          expect(`${code} ${schemeKey} ${e.explanation.classKey}`).toBe(
            `${code} ${schemeKey} ${expected[i][schemeKey]}`,
          );
        }
      }
      await runClassification(t, { asOf: AS_OF, schemeKeys: ['value_tier'], now: () => new Date() });
    });

    it('records no change when the same run is repeated, and history when the as-of moves', async () => {
      const again = await runClassification(t, { asOf: AS_OF, now: () => new Date() });
      expect(again.map((s) => [s.schemeKey, s.changed])).toEqual(again.map((s) => [s.schemeKey, 0]));
      const later = await runClassification(t, { asOf: '2025-06-30', now: () => new Date() });
      const lifecycle = later.find((s) => s.schemeKey === 'lifecycle');
      expect(lifecycle?.changed).toBeGreaterThan(0);
      const changes = await t.db
        .selectFrom('class_changes')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('run_id', '=', lifecycle?.runId as number)
        .executeTakeFirstOrThrow();
      expect(Number(changes.n)).toBe(lifecycle?.changed);
    });
  });
}
