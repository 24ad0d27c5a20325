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
  });
});
