import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { eraseCustomer, exportCustomerData } from '../../services/privacy/privacy.service.ts';
import type { AppDeps } from '../app-deps.ts';
import { authorize } from '../authorize.ts';
import { feedbackDto, interactionDto, orderDto } from './activities.routes.ts';
import { customerMetricsDto, customerProfileDto, customerServiceDeps, errorDto } from './customers.routes.ts';

const codeParams = z.object({ code: z.string().min(1).max(64) });
const errors = { 401: errorDto, 403: errorDto, 404: errorDto };

const exportDto = z.object({
  exportedAt: z.string(),
  customer: customerProfileDto.describe('with phone, e-mail and address in plain text'),
  metrics: customerMetricsDto,
  classes: z.array(
    z.object({ schemeKey: z.string(), classKey: z.string(), since: z.string(), runId: z.number() }),
  ),
  classHistory: z.array(
    z.object({
      schemeKey: z.string(),
      runId: z.number(),
      from: z.string().nullable(),
      to: z.string(),
      at: z.string(),
    }),
  ),
  tags: z.array(z.object({ name: z.string(), source: z.string(), assignedAt: z.string() })),
  orders: z.array(orderDto),
  interactions: z.array(interactionDto),
  feedback: z.array(feedbackDto),
  tasks: z.array(
    z.object({
      id: z.number(),
      type: z.string(),
      dueDate: z.string(),
      status: z.string(),
      assigneeUserId: z.number().nullable(),
      note: z.string().nullable(),
      createdAt: z.string(),
    }),
  ),
});

/** A file name that survives any customer code. */
function exportFileName(code: string): string {
  return `customer-${code.replace(/[^A-Za-z0-9_-]/g, '_')}.json`;
}

/** Data subject rights (DESIGN.md §7): export one customer's data, erase it; admins only, audited. */
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
        response: { 200: exportDto, ...errors },
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
        response: {
          200: z.object({
            code: z.string(),
            erasedAt: z.string(),
            alreadyErased: z.boolean(),
            kept: z.object({ orders: z.number(), interactions: z.number(), feedback: z.number() }),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      authorize(request, 'privacy.manage');
      const principal = authorize(request, 'customers.erase');
      return eraseCustomer(svc, { principal, code: request.params.code });
    },
  );
}
