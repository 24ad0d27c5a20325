import type {
  Behaviour,
  DemoCustomer,
  DemoDataSet,
  DemoFeedback,
  DemoInteraction,
  DemoPersona,
  Draft,
  DraftOrder,
  GenerateDemoOptions,
  Taken,
} from './demo.types.ts';
import { makeFeedback, makeInteractions } from './demo-activities.ts';
import { dateOf, dayNumber, MAX_SEASONALITY, seasonality, todayInShanghai } from './demo-calendar.ts';
import { createdAt, makeCustomer } from './demo-customers.ts';
import { makeOrders } from './demo-orders.ts';
import { createRandom, deriveSeed, type Random, seedHash } from './seeded-random.ts';

export type {
  DemoCustomer,
  DemoDataSet,
  DemoFeedback,
  DemoInteraction,
  DemoOrder,
  DemoPersona,
  GenerateDemoOptions,
} from './demo.types.ts';

const BEHAVIOUR: Record<Exclude<DemoPersona, 'prospect'>, { rate: number; dropout: number }> = {
  loyal: { rate: 9, dropout: 0.008 },
  regular: { rate: 4, dropout: 0.04 },
  occasional: { rate: 1.6, dropout: 0.15 },
  one_time: { rate: 1, dropout: 1 },
  account: { rate: 10, dropout: 0.03 },
};

const CONSUMER_PERSONAS: ReadonlyArray<readonly [DemoPersona, number]> = [
  ['loyal', 20],
  ['regular', 36],
  ['occasional', 30],
  ['one_time', 8],
  ['prospect', 6],
];

const COMPANY_SHARE = 0.15;
const EXISTING_SHARE = 0.45;
/** How far before the history an existing customer may have joined. */
const PRE_HISTORY_DAYS = 730;

/**
 * A realistic, deterministic demo data set: same options, same records.
 *
 * @example const demo = generateDemo({ seed: 42, customers: 500, asOf: '2024-06-30' });
 */
export function generateDemo(options: GenerateDemoOptions): DemoDataSet {
  const count = options.customers ?? 2000;
  const years = options.years ?? 3;
  const asOf = options.asOf ?? todayInShanghai();
  if (!Number.isInteger(count) || count < 0)
    throw new RangeError(`customers must be a whole number ≥ 0, got ${count}`);
  if (!(years > 0 && years <= 30)) throw new RangeError(`years must be in (0, 30], got ${years}`);
  const end = dayNumber(asOf);
  const start = end - Math.round(years * 365.25) + 1;
  const base = seedHash(options.seed);
  const taken: Taken = { phones: new Set(), emails: new Set(), companies: new Set() };
  const codeWidth = Math.max(6, String(count).length);

  const customers: DemoCustomer[] = [];
  const orders: DraftOrder[] = [];
  const interactions: Array<Draft<DemoInteraction>> = [];
  const feedback: Array<Draft<DemoFeedback>> = [];

  for (let index = 0; index < count; index += 1) {
    // One stream per customer: the first N customers are the same whatever the total.
    const rng = createRandom(deriveSeed(base, index));
    const code = `KH${String(index + 1).padStart(codeWidth, '0')}`;
    const kind = rng.chance(COMPANY_SHARE) ? 'company' : 'individual';
    const persona: DemoPersona =
      kind === 'company'
        ? rng.chance(0.9)
          ? 'account'
          : 'prospect'
        : rng.weighted(CONSUMER_PERSONAS, (p) => p[1])[0];
    // Nearly half of the customers were already buying before the history starts;
    // the rest join during it, more of them each year, as in a growing shop.
    const existing = persona !== 'prospect' && rng.chance(EXISTING_SHARE);
    let acquired = existing
      ? seasonalDay({ rng, from: start - PRE_HISTORY_DAYS, to: start - 1 })
      : seasonalDay({ rng, from: start, to: end, skewRecent: true });
    const profile = makeCustomer({ rng, code, kind, persona, asOf: end, taken });
    if (persona === 'prospect') {
      const customer = { ...profile, createdAt: createdAt(rng, acquired) };
      customers.push(customer);
      interactions.push(...makeInteractions({ rng, customer, index, orders: [], acquired, end }));
      continue;
    }
    const behaviour = behaviourOf(rng, profile);
    let own = makeOrders({ rng, customer: profile, index, behaviour, acquired, start, end });
    if (!own.some((o) => o.amount > 0)) {
      // Stopped buying before the history began: nothing of them would be on record,
      // so this customer joins during the history instead.
      acquired = seasonalDay({ rng, from: start, to: end, skewRecent: true });
      own = makeOrders({ rng, customer: profile, index, behaviour, acquired, start, end });
    }
    const customer = { ...profile, createdAt: createdAt(rng, acquired) };
    customers.push(customer);
    orders.push(...own);
    const since = Math.max(acquired, start);
    interactions.push(...makeInteractions({ rng, customer, index, orders: own, acquired: since, end }));
    feedback.push(...makeFeedback({ rng, customer, index, orders: own, end }));
  }

  const byTime =
    <T extends { customerIndex: number; seq: number }>(at: (x: T) => string) =>
    (a: T, b: T) =>
      at(a) < at(b) ? -1 : at(a) > at(b) ? 1 : a.customerIndex - b.customerIndex || a.seq - b.seq;
  orders.sort(byTime((o) => o.orderedAt));
  interactions.sort(byTime((i) => i.at));
  feedback.sort(byTime((f) => f.at));
  const width = (n: number) => Math.max(6, String(n).length);
  const orderIds = new Map<DraftOrder, string>();
  for (const [i, o] of orders.entries())
    orderIds.set(o, `D${String(i + 1).padStart(width(orders.length), '0')}`);

  return {
    seed: options.seed,
    from: dateOf(start),
    asOf,
    customers,
    orders: orders.map((draft) => {
      const { customerIndex: _i, seq: _s, returnOf, ...order } = draft;
      return {
        externalId: orderIds.get(draft) ?? '',
        ...order,
        returnOf: returnOf ? (orderIds.get(returnOf) ?? null) : null,
      };
    }),
    interactions: interactions.map(({ customerIndex: _i, seq: _s, ...x }, i) => ({
      externalId: `DI${String(i + 1).padStart(width(interactions.length), '0')}`,
      ...x,
    })),
    feedback: feedback.map(({ customerIndex: _i, seq: _s, ...x }, i) => ({
      externalId: `DF${String(i + 1).padStart(width(feedback.length), '0')}`,
      ...x,
    })),
  };
}

/** A day in [from, to] drawn with the shop's seasonality (thinning), optionally skewed to recent days. */
function seasonalDay(options: { rng: Random; from: number; to: number; skewRecent?: boolean }): number {
  const { rng, from, to } = options;
  const span = to - from + 1;
  for (let attempt = 0; attempt < 200; attempt += 1) {
    // u^0.85 leans towards the end: a growing shop wins more customers each year.
    const u = options.skewRecent ? rng.next() ** 0.85 : rng.next();
    const day = from + Math.min(span - 1, Math.floor(u * span));
    if (rng.next() * MAX_SEASONALITY < seasonality(day)) return day;
  }
  return to;
}

function behaviourOf(rng: Random, customer: Omit<DemoCustomer, 'createdAt'>): Behaviour {
  const persona = customer.persona === 'prospect' ? 'occasional' : customer.persona;
  const { rate, dropout } = BEHAVIOUR[persona];
  if (customer.kind === 'company') {
    const size = customer.companySize === '大型' ? 8 : customer.companySize === '中型' ? 3 : 1;
    return {
      ordersPerYear: rng.lognormal(rate, 0.5),
      dropout,
      spendScale: Math.min(rng.pareto(1.5), 40) * size,
    };
  }
  // Heavy-tailed basket sizes on top of heavy-tailed frequencies give the 80/20 shape.
  return {
    ordersPerYear: rng.lognormal(rate, 0.45),
    dropout,
    spendScale: Math.min(rng.pareto(1.7), 30) * (persona === 'loyal' ? 1.3 : 1),
  };
}
