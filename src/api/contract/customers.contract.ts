/** Customers: the list, quick-filter facets, the detail with classes and why, create, change, reveal. */

import { z } from 'zod';
import { CONTACT_FIELDS } from '../../core/masking.ts';
import { CUSTOMER_TEXT_LIMITS } from '../../core/text-limits.ts';
import { bilingualDto, explanationLinesDto, pagingQueryOf } from './common.contract.ts';

/** The most rows one page of a customer list (or of a customer's activities) may hold. */
export const MAX_PAGE_SIZE = 200;

export const customerCodeParams = z.object({ code: z.string().min(1).max(64) });

const ownerDto = z
  .object({ id: z.number(), username: z.string().nullable(), displayName: z.string().nullable() })
  .nullable();

const attributeValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** A customer as every caller sees it: phone, e-mail and address masked. */
export const customerProfileDto = z.object({
  code: z.string(),
  name: z.string().nullable(),
  kind: z.string(),
  gender: z.string().nullable(),
  age: z.number().nullable(),
  birthDate: z.string().nullable(),
  phone: z.string().nullable().describe('masked, e.g. 138****0000; plain only in a privacy export'),
  email: z.string().nullable().describe('masked, e.g. z***@example.com'),
  address: z.string().nullable().describe('masked after the first 6 characters'),
  region: z.string().nullable(),
  province: z.string().nullable(),
  city: z.string().nullable(),
  source: z.string().nullable(),
  owner: ownerDto,
  industry: z.string().nullable(),
  companySize: z.string().nullable(),
  ownershipType: z.string().nullable(),
  priceSensitivity: z.string().nullable(),
  paymentHabit: z.string().nullable(),
  procurementMode: z.string().nullable(),
  preference: z.string().nullable(),
  attributes: z.record(z.string(), attributeValue).nullable(),
  consentMarketing: z.boolean(),
  opening: z.object({
    orderCount: z.number(),
    amount: z.number().describe('fen'),
    firstDate: z.string().nullable(),
    lastDate: z.string().nullable(),
  }),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
  erasedAt: z.string().nullable(),
});

/** The metrics of the last run, by the camel-case form of the field keys in src/core/fields.ts. */
export const customerMetricsDto = z
  .object({
    asOf: z.string(),
    orderCount: z.number(),
    totalAmount: z.number().describe('fen'),
    avgOrderAmount: z.number().nullable().describe('fen'),
    firstOrderDate: z.string().nullable(),
    lastOrderDate: z.string().nullable(),
    recencyDays: z.number().nullable(),
    tenureDays: z.number().nullable(),
    orderCount365d: z.number(),
    totalAmount365d: z.number().describe('fen'),
    grossProfit365d: z.number().nullable().describe('fen'),
    amount180d: z.number().describe('fen'),
    amountPrev180d: z.number().describe('fen'),
    distinctCategories: z.number(),
    avgInterpurchaseDays: z.number().nullable(),
    satisfactionAvg: z.number().nullable(),
    npsAvg: z.number().nullable(),
    complaintCount365d: z.number(),
    interactions90d: z.number(),
    daysSinceContact: z.number().nullable(),
    rScore: z.number().nullable(),
    fScore: z.number().nullable(),
    mScore: z.number().nullable(),
    valueScore: z.number().nullable(),
    potentialScore: z.number().nullable(),
    computedAt: z.string(),
  })
  .nullable();

export const customerListItemDto = z.object({
  code: z.string(),
  name: z.string().nullable(),
  kind: z.string(),
  gender: z.string().nullable(),
  region: z.string().nullable(),
  city: z.string().nullable(),
  owner: ownerDto,
  phone: z.string().nullable().describe('masked'),
  email: z.string().nullable().describe('masked'),
  metrics: z
    .object({
      orderCount: z.number(),
      totalAmount: z.number().describe('fen'),
      avgOrderAmount: z.number().nullable().describe('fen'),
      lastOrderDate: z.string().nullable(),
      recencyDays: z.number().nullable(),
      totalAmount365d: z.number().describe('fen'),
    })
    .nullable(),
  classes: z.record(z.string(), z.string()).describe('scheme key → current class key'),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});

export const customerListDto = z.object({
  items: z.array(customerListItemDto),
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
});

export const customerFacetsDto = z.object({
  regions: z.array(z.object({ value: z.string(), count: z.number() })),
  tags: z.array(z.object({ name: z.string(), count: z.number() })),
  owners: z.array(
    z.object({
      id: z.number(),
      username: z.string(),
      displayName: z.string().nullable(),
      count: z.number(),
    }),
  ),
});

/** One class tried while classifying, with the trace of its conditions. */
export const classStepDto = z.object({
  classKey: z.string(),
  name: bilingualDto,
  rule: z.string(),
  result: z.boolean().nullable(),
  lines: explanationLinesDto,
  conditions: z
    .array(
      z.object({
        depth: z.number().int(),
        kind: z.enum(['all', 'any', 'not', 'condition']),
        result: z.boolean().nullable().describe('null: a value was missing, counted as not met'),
        rule: bilingualDto,
        values: z
          .array(
            z.object({ role: z.enum(['actual', 'threshold']), label: bilingualDto, value: bilingualDto }),
          )
          .describe('the subject with its actual value, then what it was compared with'),
      }),
    )
    .describe('the trace in reading order: groups, then their conditions one level deeper'),
});

export const classHistoryEntryDto = z.object({
  runId: z.number(),
  from: z.string().nullable(),
  to: z.string(),
  at: z.string(),
});

export const customerClassViewDto = z.object({
  schemeKey: z.string(),
  schemeName: bilingualDto,
  classKey: z.string(),
  className: bilingualDto,
  since: z.string(),
  asOf: z.string(),
  runId: z.number(),
  consistent: z.boolean(),
  why: explanationLinesDto,
  steps: z.array(classStepDto),
  history: z.array(classHistoryEntryDto),
});

export const customerDetailDto = z.object({
  customer: customerProfileDto,
  metrics: customerMetricsDto,
  classes: z.array(customerClassViewDto),
  tags: z.array(z.string()),
  counts: z.object({ orders: z.number(), interactions: z.number(), feedback: z.number() }),
  canReveal: z.boolean(),
  possibleDuplicates: z
    .array(z.object({ code: z.string(), by: z.enum(['phone', 'email']) }))
    .describe(
      'other customers you can see with the same phone or e-mail (a manager merges or corrects them)',
    ),
});

const L = CUSTOMER_TEXT_LIMITS;
const text = (max: number) => z.string().max(max).nullable().optional();

/** Fields a caller may set; null clears a field, an absent key leaves it alone. */
const customerFields = {
  name: text(L.name),
  kind: z.enum(['individual', 'company']).optional(),
  gender: z.enum(['male', 'female']).nullable().optional(),
  age: z.number().int().min(0).max(150).nullable().optional(),
  birthDate: z.string().max(40).nullable().optional().describe('e.g. 1990-05-01'),
  phone: z.string().max(40).nullable().optional().describe('mobile or landline; stored encrypted'),
  email: z.string().max(254).nullable().optional().describe('stored encrypted'),
  address: z.string().max(L.address).nullable().optional().describe('stored encrypted'),
  region: text(L.region),
  province: text(L.province),
  city: text(L.city),
  source: text(L.source),
  industry: text(L.industry),
  companySize: text(L.company_size),
  ownershipType: text(L.ownership_type),
  priceSensitivity: text(L.price_sensitivity),
  paymentHabit: text(L.payment_habit),
  procurementMode: text(L.procurement_mode),
  preference: text(L.preference),
  attributes: z.record(z.string().max(100), attributeValue).nullable().optional(),
  consentMarketing: z.boolean().optional(),
  ownerUserId: z
    .number()
    .int()
    .positive()
    .nullable()
    .optional()
    .describe('own-scope roles (sales) may only name themselves'),
};

export const createCustomerBody = z.object({
  code: z.string().min(1).max(64).optional().describe('generated when absent'),
  ...customerFields,
});

export const updateCustomerBody = z.object({
  version: z.number().int().min(1).describe('the version the change is based on'),
  ...customerFields,
});

const optionalText = (max: number) => z.string().max(max).optional();

export const customerListQuery = pagingQueryOf({ max: MAX_PAGE_SIZE, defaultSize: 20 }).extend({
  sort: optionalText(64).describe('a field key or label of the registry, or created_at / updated_at'),
  dir: z.enum(['asc', 'desc']).optional(),
  filter: optionalText(4000).describe('rule expression, e.g. 累计消费金额 >= 10000 and 地区 = "华东"'),
  q: optionalText(100).describe('code prefix or name contains'),
  phone: optionalText(40).describe('exact phone (needs pii.view)'),
  email: optionalText(254).describe('exact e-mail (needs pii.view)'),
  scheme: optionalText(64).describe('scheme key; with classKey, customers currently in that class'),
  classKey: optionalText(64),
  tag: optionalText(100),
  region: optionalText(50),
  owner: z
    .union([z.literal('me'), z.coerce.number().int().positive()])
    .optional()
    .describe('user id or "me"'),
});

/** The personal fields that are stored encrypted and shown masked. */

export const revealBody = z
  .object({ fields: z.array(z.enum(CONTACT_FIELDS)).min(1).max(3).optional() })
  .nullish()
  .describe('which fields; all three when absent');

export const revealedDto = z.object({
  code: z.string(),
  phone: z.string().nullable().optional(),
  email: z.string().nullable().optional(),
  address: z.string().nullable().optional(),
});

export type CustomerProfile = z.output<typeof customerProfileDto>;
export type CustomerMetrics = z.output<typeof customerMetricsDto>;
export type CustomerListItem = z.output<typeof customerListItemDto>;
export type CustomerList = z.output<typeof customerListDto>;
export type CustomerFacets = z.output<typeof customerFacetsDto>;
export type ClassStep = z.output<typeof classStepDto>;
export type CustomerClassView = z.output<typeof customerClassViewDto>;
export type CustomerDetail = z.output<typeof customerDetailDto>;
export type CreateCustomerInput = z.input<typeof createCustomerBody>;
export type UpdateCustomerInput = z.input<typeof updateCustomerBody>;
export type CustomerListQuery = z.input<typeof customerListQuery>;
export type Revealed = z.output<typeof revealedDto>;
