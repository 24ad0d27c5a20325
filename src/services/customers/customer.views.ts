import { fromMetricsRow } from '../../db/classification/metrics.repository.ts';
import type { UserRef } from '../../db/customers/customer-records.repository.ts';
import type { CustomerRow, MetricsRow } from '../../db/schema.ts';
import { type ContactMode, openContact } from '../privacy/contact-seal.ts';
import type { PiiCipher } from '../privacy/pii-cipher.ts';
import type { TextView } from '../privacy/pii-scrub.ts';

/** Domain shapes of customers as the API shows them (money in fen, dates as stored). */

export type AttributeValue = string | number | boolean | null;

export type OwnerView = { id: number; username: string | null; displayName: string | null };

export type CustomerProfile = {
  code: string;
  name: string | null;
  kind: string;
  gender: string | null;
  age: number | null;
  birthDate: string | null;
  /** masked (`138****0000`) unless the profile was built for a privacy export */
  phone: string | null;
  email: string | null;
  address: string | null;
  region: string | null;
  province: string | null;
  city: string | null;
  source: string | null;
  owner: OwnerView | null;
  industry: string | null;
  companySize: string | null;
  ownershipType: string | null;
  priceSensitivity: string | null;
  paymentHabit: string | null;
  procurementMode: string | null;
  preference: string | null;
  attributes: Record<string, AttributeValue> | null;
  consentMarketing: boolean;
  opening: { orderCount: number; amount: number; firstDate: string | null; lastDate: string | null };
  createdAt: string;
  updatedAt: string;
  version: number;
  erasedAt: string | null;
};

/** Metrics as the API shows them: the domain metrics with scores, without the internal id. */
export type CustomerMetricsView = Omit<ReturnType<typeof fromMetricsRow>, 'customerId'>;

/** How PII leaves the server: masked everywhere, plain only for reveal and privacy export. */
export type PiiMode = ContactMode;

export type PiiOutput = { cipher: PiiCipher; mode: PiiMode };

export function phoneOut(out: PiiOutput, stored: string | null, customer = '?'): string | null {
  return openContact(out.cipher, { field: 'phone', stored, mode: out.mode, customer });
}

export function emailOut(out: PiiOutput, stored: string | null, customer = '?'): string | null {
  return openContact(out.cipher, { field: 'email', stored, mode: out.mode, customer });
}

export function addressOut(out: PiiOutput, stored: string | null, customer = '?'): string | null {
  return openContact(out.cipher, { field: 'address', stored, mode: out.mode, customer });
}

const num = (v: number | null): number | null => (v === null ? null : Number(v));

/** Custom attributes (JSON text) as flat values; nested values become JSON text. */
export function attributesOf(json: string | null, text: TextView): Record<string, AttributeValue> | null {
  if (json === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return null;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  const out: Record<string, AttributeValue> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value === 'string') out[key] = text(value);
    else if (typeof value === 'number' || typeof value === 'boolean' || value === null) out[key] = value;
    else out[key] = text(JSON.stringify(value));
  }
  return out;
}

export function ownerView(ownerUserId: number | null, user: UserRef | undefined): OwnerView | null {
  if (ownerUserId === null) return null;
  return {
    id: Number(ownerUserId),
    username: user?.username ?? null,
    displayName: user?.displayName ?? null,
  };
}

export function toProfile(
  row: CustomerRow,
  options: { pii: PiiOutput; text: TextView; owner: UserRef | undefined },
): CustomerProfile {
  const { pii, text } = options;
  return {
    code: row.code,
    name: text(row.name),
    kind: row.kind,
    gender: row.gender,
    age: num(row.age),
    birthDate: row.birth_date,
    phone: phoneOut(pii, row.phone_enc, row.code),
    email: emailOut(pii, row.email_enc, row.code),
    address: addressOut(pii, row.address_enc, row.code),
    region: row.region,
    province: row.province,
    city: row.city,
    source: row.source,
    owner: ownerView(row.owner_user_id, options.owner),
    industry: row.industry,
    companySize: row.company_size,
    ownershipType: row.ownership_type,
    priceSensitivity: row.price_sensitivity,
    paymentHabit: row.payment_habit,
    procurementMode: row.procurement_mode,
    preference: text(row.preference),
    attributes: attributesOf(row.attributes, text),
    consentMarketing: Number(row.consent_marketing) === 1,
    opening: {
      orderCount: Number(row.opening_order_count),
      amount: Number(row.opening_amount),
      firstDate: row.opening_first_date,
      lastDate: row.opening_last_date,
    },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: Number(row.version),
    erasedAt: row.erased_at,
  };
}

export function toMetricsView(m: MetricsRow): CustomerMetricsView {
  const { customerId: _, ...view } = fromMetricsRow(m);
  return view;
}
