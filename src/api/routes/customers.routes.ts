import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { accessOf } from '../../services/customers/customer-access.ts';
import { getCustomerFacets } from '../../services/customers/customer-facets.ts';
import { listCustomers } from '../../services/customers/customer-list.service.ts';
import {
  type CustomerServiceDeps,
  createCustomer,
  getCustomerDetail,
  revealPii,
  updateCustomer,
} from '../../services/customers/customers.service.ts';
import type { AppDeps } from '../app-deps.ts';
import { authorize } from '../authorize.ts';
import { errorResponses as errors } from '../contract/common.contract.ts';
import {
  customerCodeParams as codeParams,
  createCustomerBody,
  customerDetailDto,
  customerFacetsDto,
  customerListDto,
  customerListQuery,
  customerProfileDto,
  revealBody,
  revealedDto,
  updateCustomerBody,
} from '../contract/customers.contract.ts';

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
        querystring: customerListQuery,
        response: { 200: customerListDto, ...errors },
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
        response: { 200: customerFacetsDto, ...errors },
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
        body: createCustomerBody,
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
        response: { 200: customerDetailDto, ...errors },
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
        body: updateCustomerBody,
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
        body: revealBody,
        response: { 200: revealedDto, ...errors },
      },
    },
    async (request) => {
      authorize(request, 'customers.read');
      const access = accessOf(authorize(request, 'pii.view'));
      return revealPii(svc, { access, code: request.params.code, fields: request.body?.fields });
    },
  );
}
