import { beforeAll, describe, expect, it } from 'vitest';
import { type DemoDataSet, generateDemo } from '../../src/services/demo/demo.generator.ts';
import { REGIONS } from '../../src/services/demo/demo-vocabulary.data.ts';
import { createRandom, seedHash } from '../../src/services/demo/seeded-random.ts';

const AS_OF = '2024-06-30';

describe('seeded random', () => {
  it('repeats its sequence for a seed and differs between seeds', () => {
    const a = createRandom(seedHash(7));
    const b = createRandom(seedHash(7));
    const c = createRandom(seedHash(8));
    const draw = (r: typeof a) => Array.from({ length: 50 }, () => r.next());
    const first = draw(a);
    expect(draw(b)).toEqual(first);
    expect(draw(c)).not.toEqual(first);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(seedHash('42')).not.toBe(seedHash(42));
  });
});

describe('generateDemo', () => {
  let demo: DemoDataSet;
  beforeAll(() => {
    demo = generateDemo({ seed: 42, asOf: AS_OF });
  });

  it('gives identical records for the same seed and different ones for another', () => {
    const small = generateDemo({ seed: 'kelei', customers: 150, asOf: AS_OF });
    expect(generateDemo({ seed: 'kelei', customers: 150, asOf: AS_OF })).toEqual(small);
    const other = generateDemo({ seed: 'kelei-2', customers: 150, asOf: AS_OF });
    expect(other.customers.map((c) => c.name)).not.toEqual(small.customers.map((c) => c.name));
    expect(other.orders.length).not.toBe(small.orders.length);
    // One stream per customer: a smaller run is a prefix of a larger one.
    const larger = generateDemo({ seed: 'kelei', customers: 200, asOf: AS_OF });
    expect(larger.customers.slice(0, 150).map((c) => c.phone)).toEqual(small.customers.map((c) => c.phone));
  });

  it('makes 2,000 customers with plausible Chinese profiles by default', () => {
    expect(demo.customers).toHaveLength(2000);
    expect(demo.from).toBe('2021-07-01');
    const codes = new Set(demo.customers.map((c) => c.code));
    expect(codes.size).toBe(2000);
    const phones = demo.customers.map((c) => c.phone);
    expect(new Set(phones).size).toBe(phones.length);
    for (const phone of phones) expect(phone).toMatch(/^1[3-9]\d{9}$/);
    const emails = demo.customers.flatMap((c) => (c.email ? [c.email] : []));
    expect(new Set(emails).size).toBe(emails.length);
    expect(emails.length / demo.customers.length).toBeGreaterThan(0.3);
    for (const email of emails) expect(email).toMatch(/^[a-z0-9._]+@[a-z0-9.]+\.[a-z]+$/);

    const companies = demo.customers.filter((c) => c.kind === 'company');
    const share = companies.length / demo.customers.length;
    expect(share).toBeGreaterThan(0.12);
    expect(share).toBeLessThan(0.18);
    for (const c of companies) {
      expect(c.name).toMatch(/^\p{Script=Han}+(有限公司|股份有限公司|有限责任公司)$/u);
      expect(['小型', '中型', '大型']).toContain(c.companySize);
      expect(
        c.industry && c.ownershipType && c.priceSensitivity && c.paymentHabit && c.procurementMode,
      ).toBeTruthy();
      expect(c.gender).toBeNull();
    }
    for (const c of demo.customers.filter((x) => x.kind === 'individual')) {
      expect(c.name).toMatch(/^\p{Script=Han}{2,4}$/u);
      expect(['男', '女']).toContain(c.gender);
      expect(c.age).toBeGreaterThanOrEqual(17);
      expect(c.age).toBeLessThanOrEqual(73);
      expect(c.birthDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    for (const c of demo.customers) {
      const region = REGIONS.find((r) => r.name === c.region);
      const province = region?.provinces.find((p) => p.name === c.province);
      expect(province?.cities.map((city) => city[0])).toContain(c.city);
      expect(['线下门店', '天猫', '京东', '微信小程序', '抖音', '企业直销']).toContain(c.source);
      expect(c.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/);
    }
    expect(new Set(demo.customers.map((c) => c.region)).size).toBe(7);
  });

  it('writes orders in integer fen with well-formed dates, numbered in time order', () => {
    expect(demo.orders.length).toBeGreaterThan(8000);
    // One assertion over all orders: thousands of expect() calls would dominate the run time.
    const bad = demo.orders.filter(
      (o, i) =>
        o.externalId !== `D${String(i + 1).padStart(6, '0')}` ||
        !Number.isInteger(o.amount) ||
        !Number.isInteger(o.cost) ||
        !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(o.orderedAt) ||
        o.orderedAt.slice(0, 10) !== o.orderDate ||
        o.orderDate < demo.from ||
        o.orderDate > AS_OF ||
        (i > 0 && o.orderedAt < demo.orders[i - 1].orderedAt),
    );
    expect(bad).toEqual([]);
    const categories = new Set(demo.orders.map((o) => o.category));
    for (const c of ['服装', '数码', '家居', '美妆', '食品', '母婴']) expect(categories).toContain(c);
  });

  it('has about 3% returns as negative orders after the order they return', () => {
    const returns = demo.orders.filter((o) => o.amount < 0);
    const share = returns.length / demo.orders.length;
    expect(share).toBeGreaterThan(0.015);
    expect(share).toBeLessThan(0.05);
    const byId = new Map(demo.orders.map((o) => [o.externalId, o]));
    for (const r of returns) {
      const original = r.returnOf ? byId.get(r.returnOf) : undefined;
      expect(original).toBeDefined();
      expect(original?.customerCode).toBe(r.customerCode);
      expect(-r.amount).toBeLessThanOrEqual(original?.amount ?? 0);
      expect(r.orderDate > (original?.orderDate ?? '')).toBe(true);
    }
  });

  it('is seasonal: November above the average month, 双11 the busiest day, 春节 quiet', () => {
    const revenue = new Map<string, number>();
    const perDay = new Map<string, number>();
    for (const o of demo.orders) {
      if (o.status !== 'completed') continue;
      revenue.set(o.orderDate.slice(0, 7), (revenue.get(o.orderDate.slice(0, 7)) ?? 0) + o.amount);
      perDay.set(o.orderDate, (perDay.get(o.orderDate) ?? 0) + 1);
    }
    // Against the average month of the same July–June year, so the shop's growth
    // over the three years does not hide the season.
    for (const year of [2021, 2022, 2023]) {
      const window = [...revenue.entries()].filter(([m]) => m >= `${year}-07` && m <= `${year + 1}-06`);
      expect(window).toHaveLength(12);
      const average = window.reduce((sum, [, v]) => sum + v, 0) / 12;
      expect(revenue.get(`${year}-11`)).toBeGreaterThan(average * 1.2);
    }
    const days = [...perDay.entries()].sort((a, b) => b[1] - a[1]);
    expect(days.slice(0, 3).map((d) => d[0].slice(5))).toContain('11-11');
    const averageDay = demo.orders.length / perDay.size;
    expect(perDay.get('2024-02-10') ?? 0).toBeLessThan(averageDay);
  });

  it('is Pareto-like with loyal, churned and new customers', () => {
    const spend = new Map<string, number>();
    const last = new Map<string, string>();
    const first = new Map<string, string>();
    for (const o of demo.orders) {
      if (o.status !== 'completed') continue;
      spend.set(o.customerCode, (spend.get(o.customerCode) ?? 0) + o.amount);
      if (o.amount > 0) {
        last.set(o.customerCode, o.orderDate);
        if (!first.has(o.customerCode)) first.set(o.customerCode, o.orderDate);
      }
    }
    const sorted = [...spend.values()].sort((a, b) => b - a);
    const top = sorted.slice(0, 400).reduce((a, b) => a + b, 0);
    expect(top / sorted.reduce((a, b) => a + b, 0)).toBeGreaterThan(0.6);
    const days = (date: string) => (Date.parse(AS_OF) - Date.parse(date)) / 86_400_000;
    const churned = [...last.values()].filter((d) => days(d) > 180).length;
    const recent = [...first.values()].filter((d) => days(d) <= 90).length;
    const counts = new Map<string, number>();
    for (const o of demo.orders)
      if (o.amount > 0) counts.set(o.customerCode, (counts.get(o.customerCode) ?? 0) + 1);
    const loyal = [...counts.entries()].filter(
      ([code, n]) =>
        n >= 5 && days(first.get(code) ?? AS_OF) >= 365 && days(last.get(code) ?? demo.from) <= 90,
    ).length;
    for (const n of [churned, recent, loyal]) expect(n).toBeGreaterThan(60);
    const prospects = demo.customers.filter((c) => !first.has(c.code)).length;
    expect(prospects).toBeGreaterThan(40);
  });

  it('adds interactions and feedback, with complaints', () => {
    const codes = new Set(demo.customers.map((c) => c.code));
    expect(demo.interactions.length).toBeGreaterThan(1000);
    const badInteractions = demo.interactions.filter(
      (i) =>
        !codes.has(i.customerCode) ||
        !['phone', 'wechat', 'email', 'visit'].includes(i.channel) ||
        !/\p{Script=Han}/u.test(i.subject) ||
        i.at.slice(0, 10) !== i.date ||
        i.date > AS_OF,
    );
    expect(badInteractions).toEqual([]);
    expect(new Set(demo.interactions.map((i) => i.channel)).size).toBe(4);
    expect(demo.feedback.length).toBeGreaterThan(300);
    const badFeedback = demo.feedback.filter(
      (f) => f.satisfaction < 1 || f.satisfaction > 5 || f.nps < 0 || f.nps > 10 || f.date > AS_OF,
    );
    expect(badFeedback).toEqual([]);
    const complaints = demo.feedback.filter((f) => f.kind === 'complaint');
    expect(complaints.length).toBeGreaterThan(20);
    expect(complaints.every((c) => c.comment !== null)).toBe(true);
    expect(complaints.some((c) => c.status === 'handled' && c.resolution)).toBe(true);
  });

  it('rejects a malformed as-of date and counts', () => {
    expect(() => generateDemo({ seed: 1, asOf: '2024-02-30' })).toThrow(RangeError);
    expect(() => generateDemo({ seed: 1, customers: -1, asOf: AS_OF })).toThrow(RangeError);
    expect(generateDemo({ seed: 1, customers: 0, asOf: AS_OF }).orders).toEqual([]);
  });
});
