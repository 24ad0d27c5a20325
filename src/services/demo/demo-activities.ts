/** Demo interactions and feedback: calls, visits and messages, satisfaction and NPS. */

import type { DemoCustomer, DemoFeedback, DemoInteraction, Draft, DraftOrder } from './demo.types.ts';
import { dateOf, dayNumber, wallTime } from './demo-calendar.ts';
import {
  COMPLAINT_COMMENTS,
  COMPLAINT_RESOLUTIONS,
  FEEDBACK_COMMENTS,
  INBOUND_OUTCOMES,
  INTERACTION_SCRIPTS,
  type InteractionScript,
  OUTBOUND_OUTCOMES,
  SUGGESTIONS,
} from './demo-vocabulary.data.ts';
import type { Random } from './seeded-random.ts';

export function makeInteractions(options: {
  rng: Random;
  customer: DemoCustomer;
  index: number;
  orders: DraftOrder[];
  acquired: number;
  end: number;
}): Array<Draft<DemoInteraction>> {
  const { rng, customer, index, orders, acquired, end } = options;
  const business = customer.kind === 'company';
  const positive = orders.filter((o) => o.amount > 0);
  const lastOrder = positive.length > 0 ? dayNumber(positive[positive.length - 1].orderDate) : null;
  const years = (end - acquired) / 365;
  const mean = business
    ? 1 + 2.5 * years + 0.1 * positive.length
    : positive.length === 0
      ? 1
      : 0.4 + 0.25 * Math.min(positive.length, 20);
  const n = rng.poisson(Math.min(mean, 25));
  const result: Array<Draft<DemoInteraction>> = [];
  const churned = lastOrder !== null && end - lastOrder > 150;
  for (let k = 0; k < n; k += 1) {
    const scripts = INTERACTION_SCRIPTS.filter(
      (s) => (business ? true : !s.business) && (s.subject !== '流失挽回' || churned),
    );
    const script: InteractionScript = rng.weighted(scripts, (s) =>
      business && s.business ? 3 : s.subject === '流失挽回' ? 2 : s.direction === 'inbound' ? 1.5 : 1,
    );
    let day: number;
    if (script.subject === '流失挽回' && lastOrder !== null) {
      day = Math.min(end, lastOrder + rng.int(120, 200));
    } else if (script.direction === 'inbound' && positive.length > 0) {
      day = Math.min(end, dayNumber(rng.pick(positive).orderDate) + rng.int(1, 10));
    } else {
      day = rng.int(acquired, end);
    }
    const channel =
      script.subject === '上门拜访'
        ? 'visit'
        : rng.weighted(business ? BUSINESS_CONTACT : CONSUMER_CONTACT, (c) => c[1])[0];
    const outcomes = script.direction === 'inbound' ? INBOUND_OUTCOMES : OUTBOUND_OUTCOMES;
    const at = wallTime(day, rng.int(9 * 3600, 21 * 3600));
    result.push({
      customerIndex: index,
      seq: k,
      customerCode: customer.code,
      at,
      date: dateOf(day),
      channel,
      direction: script.direction,
      subject: script.subject,
      request: script.request,
      solution: script.solution,
      outcome: rng.weighted(outcomes, (o) => o[1])[0],
    });
  }
  return result;
}

type ContactChannels = ReadonlyArray<readonly [DemoInteraction['channel'], number]>;
const BUSINESS_CONTACT: ContactChannels = [
  ['phone', 35],
  ['wechat', 20],
  ['email', 20],
  ['visit', 25],
];
const CONSUMER_CONTACT: ContactChannels = [
  ['wechat', 45],
  ['phone', 35],
  ['email', 12],
  ['visit', 8],
];

const SATISFACTION_WEIGHTS: Record<'happy' | 'mixed', readonly number[]> = {
  happy: [4, 6, 14, 34, 42],
  mixed: [9, 13, 26, 30, 22],
};

export function makeFeedback(options: {
  rng: Random;
  customer: DemoCustomer;
  index: number;
  orders: DraftOrder[];
  end: number;
}): Array<Draft<DemoFeedback>> {
  const { rng, customer, index, orders, end } = options;
  const result: Array<Draft<DemoFeedback>> = [];
  const returned = new Set(orders.map((o) => o.returnOf).filter((o): o is DraftOrder => o !== null));
  const mood = customer.persona === 'loyal' || customer.persona === 'account' ? 'happy' : 'mixed';
  for (const order of orders) {
    if (order.amount <= 0 || order.status !== 'completed') continue;
    const independentComplaint = rng.chance(0.008);
    if (!independentComplaint && !rng.chance(customer.kind === 'company' ? 0.15 : 0.1)) continue;
    const day = dayNumber(order.orderDate) + rng.int(2, 14);
    if (day > end) continue;
    const weights = returned.has(order)
      ? SATISFACTION_WEIGHTS.mixed.map((w, i) => (i < 2 ? w * 3 : w))
      : SATISFACTION_WEIGHTS[mood];
    const satisfaction = independentComplaint ? 2 : rng.weighted([1, 2, 3, 4, 5], (s) => weights[s - 1]);
    const complaint = independentComplaint || (satisfaction <= 2 && rng.chance(0.65));
    const recent = end - day < 14;
    const suggestion = rng.chance(0.3) ? rng.pick(SUGGESTIONS) : null;
    const handled = complaint ? !recent || rng.chance(0.5) : !(suggestion && end - day < 30);
    result.push({
      customerIndex: index,
      seq: result.length,
      customerCode: customer.code,
      at: wallTime(day, rng.int(9 * 3600, 22 * 3600)),
      date: dateOf(day),
      kind: complaint ? 'complaint' : 'feedback',
      satisfaction,
      nps: npsFor(rng, satisfaction),
      comment: complaint
        ? rng.pick(COMPLAINT_COMMENTS)
        : rng.chance(0.7)
          ? rng.pick(FEEDBACK_COMMENTS[satisfaction - 1])
          : null,
      suggestion,
      status: handled ? 'handled' : 'open',
      resolution: handled
        ? complaint
          ? rng.pick(COMPLAINT_RESOLUTIONS)
          : suggestion
            ? '已记录建议并反馈至相关部门'
            : null
        : null,
    });
  }
  return result;
}

function npsFor(rng: Random, satisfaction: number): number {
  const [low, high] = [
    [0, 3],
    [2, 6],
    [5, 8],
    [7, 9],
    [8, 10],
  ][satisfaction - 1];
  return rng.int(low, high);
}
