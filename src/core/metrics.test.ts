import { describe, expect, it } from 'vitest';
import { type CustomerAggregates, computeMetrics } from './metrics.ts';

const base: CustomerAggregates = {
  customerId: 1,
  openingOrderCount: 0,
  openingAmount: 0,
  openingFirstDate: null,
  openingLastDate: null,
  positiveCount: 0,
  amountSum: 0,
  firstDate: null,
  lastDate: null,
  count365: 0,
  amount365: 0,
  profit365: null,
  amount180: 0,
  amountPrev180: 0,
  distinctCategories: 0,
  satisfactionAvg: null,
  npsAvg: null,
  complaints365: 0,
  interactions90: 0,
  lastContactDate: null,
};

describe('computeMetrics', () => {
  it('derives recency, tenure, averages and inter-purchase days', () => {
    const m = computeMetrics(
      { ...base, positiveCount: 3, amountSum: 30000, firstDate: '2024-01-01', lastDate: '2024-03-01' },
      '2024-03-31',
    );
    expect(m).toMatchObject({
      orderCount: 3,
      totalAmount: 30000,
      avgOrderAmount: 10000,
      recencyDays: 30,
      tenureDays: 90,
      avgInterpurchaseDays: 30,
    });
  });

  it('adds an opening balance to the lifetime figures', () => {
    const m = computeMetrics(
      {
        ...base,
        openingOrderCount: 10,
        openingAmount: 5_000_000,
        openingFirstDate: '2020-05-01',
        openingLastDate: '2023-12-01',
        positiveCount: 1,
        amountSum: 10000,
        firstDate: '2024-01-10',
        lastDate: '2024-01-10',
      },
      '2024-02-09',
    );
    expect(m.orderCount).toBe(11);
    expect(m.totalAmount).toBe(5_010_000);
    expect(m.firstOrderDate).toBe('2020-05-01');
    expect(m.lastOrderDate).toBe('2024-01-10');
    expect(m.recencyDays).toBe(30);
  });

  it('leaves date metrics empty for a customer without orders', () => {
    const m = computeMetrics(base, '2024-01-01');
    expect(m.orderCount).toBe(0);
    expect(m.avgOrderAmount).toBeNull();
    expect(m.recencyDays).toBeNull();
    expect(m.tenureDays).toBeNull();
    expect(m.avgInterpurchaseDays).toBeNull();
  });

  it('has no inter-purchase interval with a single order', () => {
    const m = computeMetrics(
      { ...base, positiveCount: 1, amountSum: 500, firstDate: '2024-01-10', lastDate: '2024-01-10' },
      '2024-02-09',
    );
    expect(m.avgInterpurchaseDays).toBeNull();
    expect(m.avgOrderAmount).toBe(500);
    expect(m.recencyDays).toBe(30);
    expect(m.tenureDays).toBe(30);
  });

  it('passes the window figures through as aggregated', () => {
    const m = computeMetrics(
      {
        ...base,
        positiveCount: 2,
        amountSum: 3000,
        firstDate: '2023-01-01',
        lastDate: '2024-01-01',
        count365: 1,
        amount365: 1000,
        profit365: 400,
        amount180: 1000,
        amountPrev180: 0,
        distinctCategories: 2,
        satisfactionAvg: 4.5,
        npsAvg: 9,
        complaints365: 1,
        interactions90: 3,
        lastContactDate: '2024-01-21',
      },
      '2024-01-31',
    );
    expect(m).toMatchObject({
      avgInterpurchaseDays: 365,
      avgOrderAmount: 1500,
      orderCount365d: 1,
      totalAmount365d: 1000,
      grossProfit365d: 400,
      amount180d: 1000,
      amountPrev180d: 0,
      distinctCategories: 2,
      satisfactionAvg: 4.5,
      npsAvg: 9,
      complaintCount365d: 1,
      interactions90d: 3,
      daysSinceContact: 10,
    });
  });
});
