import {
  dateOf,
  dayNumber,
  isPromotionDay,
  MAX_SEASONALITY,
  monthOf,
  seasonality,
  shanghaiWallToIso,
  todayInShanghai,
  wallTime,
  weekdayOf,
} from './demo-calendar.ts';
import {
  BRAND_SYLLABLES,
  CATEGORIES,
  type CategoryDef,
  type ChannelName,
  type CityDef,
  COMPANY_SIZES,
  COMPLAINT_COMMENTS,
  COMPLAINT_RESOLUTIONS,
  COMPOUNDS,
  CONSUMER_SOURCES,
  FEEDBACK_COMMENTS,
  FEMALE_NAME_CHARS,
  INBOUND_OUTCOMES,
  INDUSTRIES,
  INTERACTION_SCRIPTS,
  type InteractionScript,
  MALE_NAME_CHARS,
  OUTBOUND_OUTCOMES,
  OWNERSHIP_TYPES,
  PAYMENT_HABITS,
  PERSONAL_EMAIL_DOMAINS,
  PHONE_PREFIXES,
  PRICE_SENSITIVITIES,
  PROCUREMENT_MODES,
  REGIONS,
  ROADS,
  SUGGESTIONS,
  SURNAMES,
} from './demo-vocabulary.data.ts';
import { createRandom, deriveSeed, type Random, seedHash } from './seeded-random.ts';

/**
 * How the generator made a customer behave; kept on the record so tests and docs can
 * compare what the classification finds with what was planted.
 */
export type DemoPersona = 'loyal' | 'regular' | 'occasional' | 'one_time' | 'prospect' | 'account';

export type DemoCustomer = {
  code: string;
  name: string;
  kind: 'individual' | 'company';
  gender: '男' | '女' | null;
  age: number | null;
  birthDate: string | null;
  /** 11 digits */
  phone: string;
  email: string | null;
  address: string;
  region: string;
  province: string;
  city: string;
  source: ChannelName;
  industry: string | null;
  companySize: '小型' | '中型' | '大型' | null;
  ownershipType: string | null;
  priceSensitivity: string | null;
  paymentHabit: string | null;
  procurementMode: string | null;
  /** favourite category */
  preference: string | null;
  consentMarketing: boolean;
  /** ISO-8601 UTC */
  createdAt: string;
  persona: DemoPersona;
};

export type DemoOrder = {
  /** `D000001`, numbered in time order */
  externalId: string;
  customerCode: string;
  /** 'YYYY-MM-DD HH:MM:SS', Shanghai wall time */
  orderedAt: string;
  orderDate: string;
  /** fen; negative for a return */
  amount: number;
  cost: number;
  quantity: number;
  product: string;
  category: string;
  channel: ChannelName;
  status: 'completed' | 'cancelled';
  /** for a return, the order it returns */
  returnOf: string | null;
};

export type DemoInteraction = {
  externalId: string;
  customerCode: string;
  at: string;
  date: string;
  channel: 'phone' | 'wechat' | 'email' | 'visit';
  direction: 'inbound' | 'outbound';
  subject: string;
  request: string;
  solution: string;
  outcome: string;
};

export type DemoFeedback = {
  externalId: string;
  customerCode: string;
  at: string;
  date: string;
  kind: 'feedback' | 'complaint';
  satisfaction: number;
  nps: number;
  comment: string | null;
  suggestion: string | null;
  status: 'open' | 'handled';
  resolution: string | null;
};

export type DemoDataSet = {
  seed: number | string;
  /** first day of the order history, 'YYYY-MM-DD' */
  from: string;
  asOf: string;
  customers: DemoCustomer[];
  orders: DemoOrder[];
  interactions: DemoInteraction[];
  feedback: DemoFeedback[];
};

export type GenerateDemoOptions = {
  seed: number | string;
  /** default 2,000 */
  customers?: number;
  /** years of order history ending at asOf; default 3 */
  years?: number;
  /** last day of the history, 'YYYY-MM-DD'; default today in Asia/Shanghai */
  asOf?: string;
};

type Behaviour = { ordersPerYear: number; dropout: number; spendScale: number };

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

type DraftOrder = Omit<DemoOrder, 'externalId' | 'returnOf'> & {
  customerIndex: number;
  seq: number;
  returnOf: DraftOrder | null;
};
type Draft<T extends { externalId: string }> = Omit<T, 'externalId'> & { customerIndex: number; seq: number };

/** Names and contacts already handed out: phones and e-mails must stay unique. */
type Taken = { phones: Set<string>; emails: Set<string>; companies: Set<string> };

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

function makeCustomer(options: {
  rng: Random;
  code: string;
  kind: 'individual' | 'company';
  persona: DemoPersona;
  asOf: number;
  taken: Taken;
}): Omit<DemoCustomer, 'createdAt'> {
  const { rng, code, kind, persona, asOf, taken } = options;
  const region = rng.weighted(REGIONS, (r) => r.weight);
  const province = rng.weighted(region.provinces, (p) => p.weight);
  const city = rng.pick(province.cities);
  const phone = uniquePhone(rng, taken);
  const place = province.name === city[0] ? city[0] : `${province.name}${city[0]}`;
  const address = `${place}${rng.pick(ROADS)}${rng.int(1, 888)}号${rng.pick(COMPOUNDS)}${rng.int(1, 30)}栋${rng.int(1, 32)}0${rng.int(1, 4)}室`;
  const common = {
    code,
    kind,
    phone,
    address,
    region: region.name,
    province: province.name,
    city: city[0],
    consentMarketing: rng.chance(0.6),
    persona,
  };
  if (kind === 'company') {
    const size = rng.weighted(COMPANY_SIZES, (s) => s[1])[0];
    const industry = rng.weighted(INDUSTRIES, (i) => i.weight);
    const { name, brandPinyin } = companyName({ rng, city, industryWord: industry.nameWord, size, taken });
    return {
      ...common,
      name,
      gender: null,
      age: null,
      birthDate: null,
      email: rng.chance(0.8)
        ? companyEmail({ rng, brandPinyin, city, industryWord: industry.emailWord, taken })
        : null,
      source: rng.weighted(
        [
          ['企业直销', 70],
          ['京东', 18],
          ['线下门店', 12],
        ] as const,
        (s) => s[1],
      )[0],
      industry: industry.name,
      companySize: size,
      ownershipType: rng.weighted(OWNERSHIP_TYPES, (o) => o[1])[0],
      priceSensitivity:
        size === '小型'
          ? rng.weighted(PRICE_SENSITIVITIES, (p) => (p === '高' ? 3 : p === '中' ? 2 : 1))
          : rng.pick(PRICE_SENSITIVITIES),
      paymentHabit: rng.weighted(PAYMENT_HABITS, (p) => p[1])[0],
      procurementMode: rng.weighted(
        PROCUREMENT_MODES,
        (p) => p[1] * (size === '大型' && p[0] === '招标采购' ? 4 : 1),
      )[0],
      preference: '办公用品',
    };
  }
  const gender = rng.chance(0.56) ? '女' : '男';
  const surname = rng.weighted(SURNAMES, (s) => s[2]);
  const chars = gender === '女' ? FEMALE_NAME_CHARS : MALE_NAME_CHARS;
  const given = rng.chance(0.3) ? [rng.pick(chars)] : [rng.pick(chars), rng.pick(chars)];
  const name = surname[0] + given.map((g) => g[0]).join('');
  const age = Math.round(Math.min(72, Math.max(18, 33 + 10 * rng.normal())));
  // A birthday that makes the customer exactly `age` on asOf.
  const birth = asOf - Math.floor(age * 365.2425) - rng.int(0, 364);
  const birthDate = dateOf(birth);
  const preference = rng.weighted(
    CATEGORIES.filter((c) => c.weight > 0),
    (c) => c.weight * (gender === '女' && (c.name === '美妆' || c.name === '母婴') ? 1.8 : 1),
  ).name;
  return {
    ...common,
    name,
    gender,
    age: ageOn(birthDate, dateOf(asOf)),
    birthDate,
    email: rng.chance(0.45)
      ? personalEmail({ rng, surname: surname[1], given: given.map((g) => g[1]).join(''), taken })
      : null,
    source: rng.weighted(CONSUMER_SOURCES, (s) => s[1])[0],
    industry: null,
    companySize: null,
    ownershipType: null,
    priceSensitivity: null,
    paymentHabit: null,
    procurementMode: null,
    preference,
  };
}

/** When the customer record was created: registered up to 20 days before the first purchase. */
function createdAt(rng: Random, acquired: number): string {
  return shanghaiWallToIso(wallTime(acquired - rng.int(0, 20), rng.int(8 * 3600, 23 * 3600 - 1)));
}

function ageOn(birthDate: string, asOf: string): number {
  const years = Number(asOf.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return asOf.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

function uniquePhone(rng: Random, taken: Taken): string {
  for (;;) {
    const phone = rng.pick(PHONE_PREFIXES) + String(rng.int(0, 99_999_999)).padStart(8, '0');
    if (!taken.phones.has(phone)) {
      taken.phones.add(phone);
      return phone;
    }
  }
}

function claimEmail(taken: Taken, candidates: Array<() => string>): string {
  for (const candidate of candidates) {
    const email = candidate();
    if (!taken.emails.has(email)) {
      taken.emails.add(email);
      return email;
    }
  }
  // The last candidate draws digits afresh; loop on it until free.
  for (;;) {
    const email = candidates[candidates.length - 1]();
    if (!taken.emails.has(email)) {
      taken.emails.add(email);
      return email;
    }
  }
}

function personalEmail(options: { rng: Random; surname: string; given: string; taken: Taken }): string {
  const { rng, surname, given, taken } = options;
  const domain = rng.weighted(PERSONAL_EMAIL_DOMAINS, (d) => d[1])[0];
  if (domain === 'qq.com' && rng.chance(0.7)) {
    // Most QQ mail addresses are the QQ number.
    return claimEmail(taken, [() => `${rng.int(10_000_000, 3_999_999_999)}@qq.com`]);
  }
  const year = String(rng.int(70, 105) % 100).padStart(2, '0');
  return claimEmail(taken, [
    () => `${surname}${given}@${domain}`,
    () => `${given}.${surname}@${domain}`,
    () => `${surname}${given}${year}@${domain}`,
    () => `${surname}_${given}${rng.int(1, 9999)}@${domain}`,
  ]);
}

function companyName(options: {
  rng: Random;
  city: CityDef;
  industryWord: string;
  size: '小型' | '中型' | '大型';
  taken: Taken;
}): { name: string; brandPinyin: string } {
  const { rng, city, industryWord, size, taken } = options;
  const place = city[0].replace(/市$/, '');
  for (;;) {
    const a = rng.pick(BRAND_SYLLABLES);
    let b = rng.pick(BRAND_SYLLABLES);
    while (b === a) b = rng.pick(BRAND_SYLLABLES);
    const suffix =
      size === '大型' && rng.chance(0.5) ? '股份有限公司' : rng.chance(0.1) ? '有限责任公司' : '有限公司';
    const name = `${place}${a[0]}${b[0]}${industryWord}${suffix}`;
    if (!taken.companies.has(name)) {
      taken.companies.add(name);
      return { name, brandPinyin: a[1] + b[1] };
    }
  }
}

function companyEmail(options: {
  rng: Random;
  brandPinyin: string;
  city: CityDef;
  industryWord: string;
  taken: Taken;
}): string {
  const { rng, brandPinyin, city, industryWord, taken } = options;
  const box = rng.pick(['sales', 'info', 'service', 'purchase', 'contact', 'admin']);
  return claimEmail(taken, [
    () => `${box}@${brandPinyin}${industryWord}.com`,
    () => `${box}@${brandPinyin}${city[1]}.com.cn`,
    () => `${box}${rng.int(1, 999)}@${brandPinyin}${city[1]}.com.cn`,
  ]);
}

function makeOrders(options: {
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

function makeInteractions(options: {
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

function makeFeedback(options: {
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
