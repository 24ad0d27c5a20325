import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { eraseCustomer, exportCustomerData } from '../../services/privacy/privacy.service.ts';
import type { AppDeps } from '../app-deps.ts';
import { authorize } from '../authorize.ts';
import { errorDto } from '../contract/common.contract.ts';
import { customerCodeParams as codeParams } from '../contract/customers.contract.ts';
import { erasureDto, privacyExportDto } from '../contract/privacy.contract.ts';
import { customerServiceDeps } from './customers.routes.ts';

const errors = { 401: errorDto, 403: errorDto, 404: errorDto };

/** A file name that survives any customer code. */
function exportFileName(code: string): string {
  return `customer-${code.replace(/[^A-Za-z0-9_-]/g, '_')}.json`;
}

/** Data subject rights (docs/security.md): export one customer's data, erase it; admins only, audited. */
export async function registerPrivacyRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const svc = customerServiceDeps(deps);

  r.get(
    '/api/v1/customers/:code/privacy-export',
    {
      schema: {
        tags: ['privacy'],
        summary: 'Everything held on one customer, PII in plain text (audited) · 导出客户个人数据',
        params: codeParams,
        response: { 200: privacyExportDto, ...errors },
      },
    },
    async (request, reply) => {
      const principal = authorize(request, 'privacy.manage');
      const data = await exportCustomerData(svc, { principal, code: request.params.code });
      reply.header('content-disposition', `attachment; filename="${exportFileName(data.customer.code)}"`);
      reply.header('cache-control', 'no-store');
      return data;
    },
  );

  r.post(
    '/api/v1/customers/:code/erase',
    {
      schema: {
        tags: ['privacy'],
        summary: 'Erase a customer’s personal data, keep anonymised statistics (audited) · 删除客户个人信息',
        params: codeParams,
        response: { 200: erasureDto, ...errors },
      },
    },
    async (request) => {
      authorize(request, 'privacy.manage');
      const principal = authorize(request, 'customers.erase');
      return eraseCustomer(svc, { principal, code: request.params.code });
    },
  );
}
