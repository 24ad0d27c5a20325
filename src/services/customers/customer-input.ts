import { KeleiError } from '../../core/errors.ts';
import { parseCode, parseDate, parseEmail, parsePhone } from '../../core/import/clean.ts';
import type { CustomerUpdate } from '../../db/schema.ts';
import { sealContacts } from '../privacy/contact-seal.ts';
import type { PiiCipher } from '../privacy/pii-cipher.ts';
import type { AttributeValue } from './customer.views.ts';

/** What a caller may set on a customer; undefined leaves a field alone, null clears it. */
export type CustomerInput = {
  name?: string | null;
  kind?: 'individual' | 'company';
  gender?: 'male' | 'female' | null;
  age?: number | null;
  birthDate?: string | null;
  phone?: string | null;
  email?: string | null;
  address?: string | null;
  region?: string | null;
  province?: string | null;
  city?: string | null;
  source?: string | null;
  industry?: string | null;
  companySize?: string | null;
  ownershipType?: string | null;
  priceSensitivity?: string | null;
  paymentHabit?: string | null;
  procurementMode?: string | null;
  preference?: string | null;
  attributes?: Record<string, AttributeValue> | null;
  consentMarketing?: boolean;
  ownerUserId?: number | null;
};

const TEXT_COLUMNS = {
  name: 'name',
  region: 'region',
  province: 'province',
  city: 'city',
  source: 'source',
  industry: 'industry',
  companySize: 'company_size',
  ownershipType: 'ownership_type',
  priceSensitivity: 'price_sensitivity',
  paymentHabit: 'payment_habit',
  procurementMode: 'procurement_mode',
  preference: 'preference',
} as const satisfies Partial<Record<keyof CustomerInput, keyof CustomerUpdate>>;

/** Input errors name the field, never echo the value: it may be personal data. */
export function invalidField(field: string, reason: { en: string; zh: string }): KeleiError {
  return new KeleiError(
    'InvalidArgument',
    { en: `${field}: ${reason.en}`, zh: `${field}：${reason.zh}` },
    { field },
  );
}

function trimmed(v: string | null | undefined): string | null | undefined {
  if (v === undefined || v === null) return v;
  const t = v.trim();
  return t === '' ? null : t;
}

/** Normalised phone and e-mail: the same values the import's blind index was built from. */
export function normalisePhone(value: string): string | null {
  const r = parsePhone(value);
  if (!r.ok) {
    throw invalidField('phone', {
      en: 'not a phone number (an 11-digit mobile or a landline with area code)',
      zh: '不是有效的电话号码（11 位手机号或带区号的座机号）',
    });
  }
  return r.value;
}

export function normaliseEmail(value: string): string | null {
  const r = parseEmail(value);
  if (!r.ok) {
    throw invalidField('email', { en: 'not an e-mail address', zh: '不是有效的邮箱地址' });
  }
  return r.value;
}

export function normaliseCode(value: string): string {
  const r = parseCode(value);
  if (!r.ok) throw invalidField('code', r.reason);
  if (r.value === null) throw invalidField('code', { en: 'must not be empty', zh: '不能为空' });
  return r.value;
}

/** A business date in any form the importer reads, as 'YYYY-MM-DD'. */
export function normaliseDate(field: string, value: string, timeZone: string): string {
  const r = parseDate(value, { timeZone });
  if (!r.ok || r.value === null) {
    throw invalidField(field, { en: 'not a valid date, e.g. 2024-01-05', zh: '日期无效，应如 2024-01-05' });
  }
  return r.value.date;
}

/**
 * Column values of a customer input: PII encrypted with its blind index, text trimmed,
 * dates normalised. Owner and code are decided by the caller (they depend on who asks).
 */
export function customerColumns(
  input: CustomerInput,
  options: { cipher: PiiCipher; timeZone: string },
): CustomerUpdate {
  const { cipher } = options;
  const out: CustomerUpdate = {};
  for (const [key, column] of Object.entries(TEXT_COLUMNS) as [keyof typeof TEXT_COLUMNS, string][]) {
    const v = trimmed(input[key]);
    if (v !== undefined) Object.assign(out, { [column]: v });
  }
  if (input.kind !== undefined) out.kind = input.kind;
  if (input.gender !== undefined) out.gender = input.gender;
  if (input.age !== undefined) out.age = input.age;
  if (input.birthDate !== undefined) {
    const v = trimmed(input.birthDate);
    out.birth_date = v ? normaliseDate('birthDate', v, options.timeZone) : null;
  }
  const contacts: { phone?: string | null; email?: string | null; address?: string | null } = {};
  if (input.phone !== undefined) {
    const v = trimmed(input.phone);
    contacts.phone = v ? normalisePhone(v) : null;
  }
  if (input.email !== undefined) {
    const v = trimmed(input.email);
    contacts.email = v ? normaliseEmail(v) : null;
  }
  if (input.address !== undefined) contacts.address = trimmed(input.address) || null;
  Object.assign(out, sealContacts(cipher, contacts));
  if (input.attributes !== undefined) {
    out.attributes =
      input.attributes === null || Object.keys(input.attributes).length === 0
        ? null
        : JSON.stringify(input.attributes);
  }
  if (input.consentMarketing !== undefined) out.consent_marketing = input.consentMarketing ? 1 : 0;
  return out;
}
