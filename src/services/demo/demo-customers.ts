/** Demo customers: people and companies with names, contacts and the behaviour the generator plants. */

import type { DemoCustomer, DemoPersona, Taken } from './demo.types.ts';
import { dateOf, shanghaiWallToIso, wallTime } from './demo-calendar.ts';
import {
  BRAND_SYLLABLES,
  CATEGORIES,
  type CityDef,
  COMPANY_SIZES,
  COMPOUNDS,
  CONSUMER_SOURCES,
  FEMALE_NAME_CHARS,
  INDUSTRIES,
  MALE_NAME_CHARS,
  OWNERSHIP_TYPES,
  PAYMENT_HABITS,
  PERSONAL_EMAIL_DOMAINS,
  PHONE_PREFIXES,
  PRICE_SENSITIVITIES,
  PROCUREMENT_MODES,
  REGIONS,
  ROADS,
  SURNAMES,
} from './demo-vocabulary.data.ts';
import type { Random } from './seeded-random.ts';

export function makeCustomer(options: {
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
export function createdAt(rng: Random, acquired: number): string {
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
