/** Demo orders: a repeat-purchase process with seasonality, promotions and returns. */

import type { Behaviour, DemoCustomer, DraftOrder } from './demo.types.ts';
import {
  dateOf,
  dayNumber,
  isPromotionDay,
  MAX_SEASONALITY,
  monthOf,
  seasonality,
  wallTime,
  weekdayOf,
} from './demo-calendar.ts';
import { CATEGORIES, type CategoryDef, type ChannelName, CONSUMER_SOURCES } from './demo-vocabulary.data.ts';
import type { Random } from './seeded-random.ts';

export function makeOrders(options: {
  rng: Random;
  customer: Omit<DemoCustomer, 'createdAt'>;
  index: number;
  behaviour: Behaviour;
  acquired: number;
  /** orders before this day happened but are not on record */
  start: number;
  end: number;
}): DraftOrder[] {
  const { rng, customer, index, behaviour, acquired, start, end } = options;
  const orders: DraftOrder[] = [];
  const business = customer.kind === 'company';
  // Purchases follow a seasonal Poisson process (thinned at MAX_SEASONALITY) and stop
  // for good with probability `dropout` after each one: some churn, some stay loyal.
  const meanGap = 365 / (behaviour.ordersPerYear * MAX_SEASONALITY);
  let t = acquired + rng.next();
  for (;;) {
    let day = Math.floor(t);
    if (business) {
      // Companies buy on working days.
      const weekday = weekdayOf(day);
      if (weekday === 6) day += 2;
      else if (weekday === 0) day += 1;
    }
    if (day > end) break;
    const order = makeOrder({
      rng,
      customer,
      index,
      seq: orders.length,
      day,
      spendScale: behaviour.spendScale,
    });
    const category = CATEGORIES.find((c) => c.name === order.category);
    const returned =
      order.status === 'completed' && category && rng.chance(category.returnRate)
        ? makeReturn({ rng, order, seq: orders.length + 1, end })
        : null;
    if (day >= start) {
      orders.push(order);
      if (returned) orders.push(returned);
    }
    if (rng.chance(behaviour.dropout)) break;
    let accepted = false;
    while (!accepted) {
      t += rng.exponential(meanGap);
      if (t > end + 1) return orders;
      accepted = rng.next() * MAX_SEASONALITY < seasonality(Math.floor(t));
    }
  }
  return orders;
}

function makeOrder(options: {
  rng: Random;
  customer: Omit<DemoCustomer, 'createdAt'>;
  index: number;
  seq: number;
  day: number;
  spendScale: number;
}): DraftOrder {
  const { rng, customer, index, seq, day, spendScale } = options;
  const business = customer.kind === 'company';
  const category: CategoryDef =
    !business && customer.preference && rng.chance(0.55)
      ? (CATEGORIES.find((c) => c.name === customer.preference) ?? CATEGORIES[0])
      : rng.weighted(
          CATEGORIES.filter((c) => (business ? c.businessWeight : c.weight) > 0),
          (c) => (business ? c.businessWeight : c.weight),
        );
  const month = monthOf(day);
  const inSeason = category.products.filter((p) => !p.months || p.months.includes(month));
  // Cheap items sell more often than dear ones (consumers); companies buy across the range.
  const product = rng.weighted(inSeason.length > 0 ? inSeason : category.products, (p) =>
    business ? 1 : 1 / Math.sqrt(p.price),
  );
  const promotion = isPromotionDay(day) ? 0.85 : 1;
  const tier = business ? 0.88 : spendScale ** 0.25;
  const unitFen = Math.max(
    10,
    Math.round(product.price * rng.lognormal(1, 0.18) * tier * promotion * 10) * 10,
  );
  let quantity: number;
  if (business) {
    const bulk = Math.max(1, Math.round(rng.lognormal(4 * Math.sqrt(spendScale), 0.6)));
    quantity = product.price >= 1000 ? Math.max(1, Math.round(bulk / 6)) : bulk;
  } else {
    quantity = 1 + Math.min(19, rng.poisson(0.25 * spendScale ** 0.6));
  }
  const amount = unitFen * quantity;
  const channel: ChannelName = business
    ? rng.weighted(
        [
          ['企业直销', 80],
          ['京东', 15],
          ['线下门店', 5],
        ] as const,
        (c) => c[1],
      )[0]
    : rng.chance(0.75)
      ? customer.source
      : rng.weighted(CONSUMER_SOURCES, (s) => s[1])[0];
  return {
    customerIndex: index,
    seq,
    customerCode: customer.code,
    orderedAt: wallTime(day, secondOfDay({ rng, channel, day, business })),
    orderDate: dateOf(day),
    amount,
    cost: Math.round(amount * category.costRatio * rng.lognormal(1, 0.08)),
    quantity,
    product: product.name,
    category: category.name,
    channel,
    status: rng.chance(0.01) ? 'cancelled' : 'completed',
    returnOf: null,
  };
}

function makeReturn(options: {
  rng: Random;
  order: DraftOrder;
  seq: number;
  end: number;
}): DraftOrder | null {
  const { rng, order, seq, end } = options;
  const day = dayNumber(order.orderDate) + rng.int(2, 15);
  if (day > end) return null;
  const units = order.quantity > 1 && rng.chance(0.5) ? rng.int(1, order.quantity - 1) : order.quantity;
  const unitFen = order.amount / order.quantity;
  return {
    ...order,
    seq,
    orderedAt: wallTime(day, rng.int(9 * 3600, 22 * 3600)),
    orderDate: dateOf(day),
    amount: -unitFen * units,
    cost: -Math.round((order.cost * units) / order.quantity),
    quantity: -units,
    status: 'completed',
    returnOf: order,
  };
}

/** Time of day: evenings online, opening hours in shops, office hours for companies, midnight on 双11. */
function secondOfDay(options: { rng: Random; channel: ChannelName; day: number; business: boolean }): number {
  const { rng, channel, day, business } = options;
  const minuteSecond = rng.int(0, 3599);
  if (business) return rng.int(9, 17) * 3600 + minuteSecond;
  if (channel === '线下门店') return rng.int(10, 21) * 3600 + minuteSecond;
  if (monthOf(day) === 11 && dateOf(day).endsWith('-11') && rng.chance(0.35))
    return rng.int(0, 1) * 3600 + minuteSecond;
  const hour = rng.weighted(
    Array.from({ length: 24 }, (_, h) => h),
    (h) => (h < 7 ? 0.3 : h < 9 ? 1 : h < 12 ? 3 : h < 14 ? 2.5 : h < 18 ? 2 : h < 20 ? 3 : 4.5),
  );
  return hour * 3600 + minuteSecond;
}
