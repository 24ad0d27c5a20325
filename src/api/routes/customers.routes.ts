import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CUSTOMER_TEXT_LIMITS } from '../../core/text-limits.ts';
import { accessOf } from '../../services/customers/customer-access.ts';
import { getCustomerFacets } from '../../services/customers/customer-facets.ts';
import { listCustomers, MAX_PAGE_SIZE } from '../../services/customers/customer-list.service.ts';
import {
  type CustomerServiceDeps,
  createCustomer,
  getCustomerDetail,
  PII_FIELDS,
  revealPii,
  updateCustomer,
} from '../../services/customers/customers.service.ts';
import { type AppDeps, authorize } from '../app.ts';

/** The error body of every failed request (DESIGN.md §8). */
export const errorDto = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      message_zh: z.string().optional(),
      details: z.unknown().optional(),
    }),
  })
  .describe('error');

export const bilingual = z.object({ zh: z.string(), en: z.string() });

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

const listItemDto = z.object({
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

const stepDto = z.object({
  classKey: z.string(),
  name: bilingual,
  rule: z.string(),
  result: z.boolean().nullable(),
  lines: z.object({ zh: z.array(z.string()), en: z.array(z.string()) }),
  conditions: z
    .array(
      z.object({
        depth: z.number().int(),
        kind: z.enum(['all', 'any', 'not', 'condition']),
        result: z.boolean().nullable().describe('null: a value was missing, counted as not met'),
        rule: bilingual,
        values: z
          .array(z.object({ role: z.enum(['actual', 'threshold']), label: bilingual, value: bilingual }))
          .describe('the subject with its actual value, then what it was compared with'),
      }),
    )
    .describe('the trace in reading order: groups, then their conditions one level deeper'),
});

const detailDto = z.object({
  customer: customerProfileDto,
  metrics: customerMetricsDto,
  classes: z.array(
    z.object({
      schemeKey: z.string(),
      schemeName: bilingual,
      classKey: z.string(),
      className: bilingual,
      since: z.string(),
      asOf: z.string(),
      runId: z.number(),
      consistent: z.boolean(),
      why: z.object({ zh: z.array(z.string()), en: z.array(z.string()) }),
      steps: z.array(stepDto),
      history: z.array(
        z.object({ runId: z.number(), from: z.string().nullable(), to: z.string(), at: z.string() }),
      ),
    }),
  ),
  tags: z.array(z.string()),
  counts: z.object({ orders: z.number(), interactions: z.number(), feedback: z.number() }),
  canReveal: z.boolean(),
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

const codeParams = z.object({ code: z.string().min(1).max(64) });

const optionalText = (max: number) => z.string().max(max).optional();

const listQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(20),
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

const errors = { 400: errorDto, 401: errorDto, 403: errorDto, 404: errorDto, 409: errorDto };

/** The service dependencies every customer, activity and privacy route passes on. */
export function customerServiceDeps(deps: AppDeps): CustomerServiceDeps {
  return { handle: deps.handle, cipher: deps.cipher, clock: deps.clock, timeZone: deps.config.timeZone };
}

export async function registerCustomersRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const svc = customerServiceDeps(deps);

  r.get(
    '/api/v1/customers',
    {
      schema: {
        tags: ['customers'],
        summary: 'List customers (filter, search, sort, page) · 客户列表',
        querystring: listQuery,
        response: {
          200: z.object({
            items: z.array(listItemDto),
            total: z.number(),
            page: z.number(),
            pageSize: z.number(),
          }),
          ...errors,
        },
      },
    },
    async (request) =>
      listCustomers(svc, { access: accessOf(authorize(request, 'customers.read')), query: request.query }),
  );

  r.get(
    '/api/v1/customer-facets',
    {
      schema: {
        tags: ['customers'],
        summary: 'Regions, tags and owners of the visible customers, with counts (quick filters) · 筛选选项',
        response: {
          200: z.object({
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
          }),
          ...errors,
        },
      },
    },
    async (request) =>
      getCustomerFacets(deps.handle, { access: accessOf(authorize(request, 'customers.read')) }),
  );

  r.post(
    '/api/v1/customers',
    {
      schema: {
        tags: ['customers'],
        summary: 'Create a customer · 新建客户',
        body: z.object({
          code: z.string().min(1).max(64).optional().describe('generated when absent'),
          ...customerFields,
        }),
        response: { 201: customerProfileDto, ...errors },
      },
    },
    async (request, reply) => {
      const access = accessOf(authorize(request, 'customers.write'));
      const created = await createCustomer(svc, { access, input: request.body });
      return reply.status(201).send(created);
    },
  );

  r.get(
    '/api/v1/customers/:code',
    {
      schema: {
        tags: ['customers'],
        summary: 'Customer detail with classes and why · 客户详情',
        params: codeParams,
        response: { 200: detailDto, ...errors },
      },
    },
    async (request) =>
      getCustomerDetail(svc, {
        access: accessOf(authorize(request, 'customers.read')),
        code: request.params.code,
      }),
  );

  r.patch(
    '/api/v1/customers/:code',
    {
      schema: {
        tags: ['customers'],
        summary: 'Change a customer (optimistic locking: 409 when version is stale) · 修改客户',
        params: codeParams,
        body: z.object({
          version: z.number().int().min(1).describe('the version the change is based on'),
          ...customerFields,
        }),
        response: { 200: customerProfileDto, ...errors },
      },
    },
    async (request) => {
      const access = accessOf(authorize(request, 'customers.write'));
      const { version, ...input } = request.body;
      return updateCustomer(svc, { access, code: request.params.code, version, input });
    },
  );

  r.post(
    '/api/v1/customers/:code/reveal',
    {
      schema: {
        tags: ['customers'],
        summary: 'Reveal unmasked phone, e-mail, address (needs pii.view; audited) · 查看完整个人信息',
        params: codeParams,
        body: z
          .object({ fields: z.array(z.enum(PII_FIELDS)).min(1).max(3).optional() })
          .nullish()
          .describe('which fields; all three when absent'),
        response: {
          200: z.object({
            code: z.string(),
            phone: z.string().nullable().optional(),
            email: z.string().nullable().optional(),
            address: z.string().nullable().optional(),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      authorize(request, 'customers.read');
      const access = accessOf(authorize(request, 'pii.view'));
      return revealPii(svc, { access, code: request.params.code, fields: request.body?.fields });
    },
  );
}
