import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createFeedback,
  createInteraction,
  createOrder,
  listCustomerFeedback,
  listCustomerInteractions,
  listCustomerOrders,
  patchFeedback,
  patchInteraction,
  patchOrder,
  removeFeedback,
  removeInteraction,
  removeOrder,
} from '../../services/customers/activities.service.ts';
import { accessOf } from '../../services/customers/customer-access.ts';
import { MAX_PAGE_SIZE } from '../../services/customers/customer-list.service.ts';
import type { AppDeps } from '../app-deps.ts';
import { authorize } from '../authorize.ts';
import { customerServiceDeps, errorDto } from './customers.routes.ts';

export const orderDto = z.object({
  id: z.number(),
  customerCode: z.string(),
  source: z.string(),
  externalId: z.string(),
  orderedAt: z.string().describe('wall time in the workspace zone, YYYY-MM-DD HH:MM:SS'),
  orderDate: z.string(),
  amount: z.number().int().describe('fen, net; negative for a return'),
  cost: z.number().int().nullable().describe('fen'),
  quantity: z.number().nullable(),
  product: z.string().nullable(),
  category: z.string().nullable(),
  channel: z.string().nullable(),
  status: z.string(),
  createdAt: z.string(),
});

export const interactionDto = z.object({
  id: z.number(),
  customerCode: z.string(),
  at: z.string(),
  date: z.string(),
  channel: z.string(),
  direction: z.string().nullable(),
  subject: z.string().nullable(),
  request: z.string().nullable(),
  solution: z.string().nullable(),
  outcome: z.string().nullable(),
  userId: z.number().nullable(),
  createdAt: z.string(),
});

export const feedbackDto = z.object({
  id: z.number(),
  customerCode: z.string(),
  at: z.string(),
  date: z.string(),
  kind: z.string(),
  satisfaction: z.number().nullable(),
  nps: z.number().nullable(),
  comment: z.string().nullable(),
  suggestion: z.string().nullable(),
  status: z.string(),
  resolution: z.string().nullable(),
  handledBy: z.number().nullable(),
  createdAt: z.string(),
});

const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number(), page: z.number(), pageSize: z.number() });

const pagingQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(50),
});

const codeParams = z.object({ code: z.string().min(1).max(64) });
const idParams = z.object({ id: z.coerce.number().int().positive() });
const errors = { 400: errorDto, 401: errorDto, 403: errorDto, 404: errorDto, 409: errorDto };
const deleted = { 204: z.null().describe('deleted'), ...errors };

const when = z.string().min(1).max(40).describe('e.g. 2024-01-05 13:45 (workspace time zone)');
const text = (max: number) => z.string().max(max).nullable().optional();
const fen = z.number().int().min(-1e13).max(1e13);

const orderFields = {
  cost: fen.nullable().optional(),
  quantity: z.number().min(-1e9).max(1e9).nullable().optional(),
  product: text(200),
  category: text(100),
  channel: text(100),
  status: z.enum(['completed', 'cancelled', 'pending']).optional(),
};

const interactionFields = {
  at: when.optional().describe('defaults to now'),
  channel: z.enum(['phone', 'email', 'wechat', 'visit', 'chat', 'other']).optional(),
  direction: z.enum(['inbound', 'outbound']).nullable().optional(),
  subject: text(200),
  request: text(4000),
  solution: text(4000),
  outcome: text(1000),
};

const feedbackFields = {
  at: when.optional().describe('defaults to now'),
  kind: z.enum(['feedback', 'complaint']).optional(),
  satisfaction: z.number().int().min(1).max(5).nullable().optional(),
  nps: z.number().int().min(0).max(10).nullable().optional(),
  comment: text(4000),
  suggestion: text(4000),
  status: z.enum(['open', 'handled']).optional(),
  resolution: text(4000),
};

/** A PATCH body must change something. */
const someField = (o: object) => Object.values(o).some((v) => v !== undefined);
const nothingToChange = { message: 'give at least one field to change · 至少提供一个要修改的字段' };

/** Orders, interactions and feedback: listed and added under their customer, changed and deleted by id. */
export async function registerActivitiesRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const svc = customerServiceDeps(deps);

  // Orders -------------------------------------------------------------------------------

  r.get(
    '/api/v1/customers/:code/orders',
    {
      schema: {
        tags: ['orders'],
        summary: "A customer's orders, newest first · 客户消费记录",
        params: codeParams,
        querystring: pagingQuery,
        response: { 200: pageOf(orderDto), ...errors },
      },
    },
    async (request) =>
      listCustomerOrders(svc, {
        access: accessOf(authorize(request, 'orders.read')),
        code: request.params.code,
        paging: request.query,
      }),
  );

  r.post(
    '/api/v1/customers/:code/orders',
    {
      schema: {
        tags: ['orders'],
        summary: 'Add an order · 新增消费记录',
        params: codeParams,
        body: z.object({
          orderedAt: when,
          amount: fen.describe('fen, net; negative for a return'),
          externalId: z.string().min(1).max(100).optional().describe('your order number; unique'),
          ...orderFields,
        }),
        response: { 201: orderDto, ...errors },
      },
    },
    async (request, reply) => {
      const access = accessOf(authorize(request, 'orders.write'));
      const order = await createOrder(svc, { access, code: request.params.code, input: request.body });
      return reply.status(201).send(order);
    },
  );

  r.patch(
    '/api/v1/orders/:id',
    {
      schema: {
        tags: ['orders'],
        summary: 'Change an order · 修改消费记录',
        params: idParams,
        body: z
          .object({ orderedAt: when.optional(), amount: fen.optional(), ...orderFields })
          .refine(someField, nothingToChange),
        response: { 200: orderDto, ...errors },
      },
    },
    async (request) =>
      patchOrder(svc, {
        access: accessOf(authorize(request, 'orders.write')),
        id: request.params.id,
        input: request.body,
      }),
  );

  r.delete(
    '/api/v1/orders/:id',
    {
      schema: {
        tags: ['orders'],
        summary: 'Delete an order · 删除消费记录',
        params: idParams,
        response: deleted,
      },
    },
    async (request, reply) => {
      await removeOrder(svc, { access: accessOf(authorize(request, 'orders.write')), id: request.params.id });
      return reply.status(204).send(null);
    },
  );

  // Interactions -------------------------------------------------------------------------

  r.get(
    '/api/v1/customers/:code/interactions',
    {
      schema: {
        tags: ['interactions'],
        summary: "A customer's interactions, newest first · 客户互动记录",
        params: codeParams,
        querystring: pagingQuery,
        response: { 200: pageOf(interactionDto), ...errors },
      },
    },
    async (request) =>
      listCustomerInteractions(svc, {
        access: accessOf(authorize(request, 'interactions.read')),
        code: request.params.code,
        paging: request.query,
      }),
  );

  r.post(
    '/api/v1/customers/:code/interactions',
    {
      schema: {
        tags: ['interactions'],
        summary: 'Log an interaction · 新增互动记录',
        params: codeParams,
        body: z.object(interactionFields),
        response: { 201: interactionDto, ...errors },
      },
    },
    async (request, reply) => {
      const access = accessOf(authorize(request, 'interactions.write'));
      const created = await createInteraction(svc, {
        access,
        code: request.params.code,
        input: request.body,
      });
      return reply.status(201).send(created);
    },
  );

  r.patch(
    '/api/v1/interactions/:id',
    {
      schema: {
        tags: ['interactions'],
        summary: 'Change an interaction · 修改互动记录',
        params: idParams,
        body: z.object(interactionFields).refine(someField, nothingToChange),
        response: { 200: interactionDto, ...errors },
      },
    },
    async (request) =>
      patchInteraction(svc, {
        access: accessOf(authorize(request, 'interactions.write')),
        id: request.params.id,
        input: request.body,
      }),
  );

  r.delete(
    '/api/v1/interactions/:id',
    {
      schema: {
        tags: ['interactions'],
        summary: 'Delete an interaction · 删除互动记录',
        params: idParams,
        response: deleted,
      },
    },
    async (request, reply) => {
      await removeInteraction(svc, {
        access: accessOf(authorize(request, 'interactions.write')),
        id: request.params.id,
      });
      return reply.status(204).send(null);
    },
  );

  // Feedback -----------------------------------------------------------------------------

  r.get(
    '/api/v1/customers/:code/feedback',
    {
      schema: {
        tags: ['feedback'],
        summary: "A customer's feedback, newest first · 客户服务反馈",
        params: codeParams,
        querystring: pagingQuery,
        response: { 200: pageOf(feedbackDto), ...errors },
      },
    },
    async (request) =>
      listCustomerFeedback(svc, {
        access: accessOf(authorize(request, 'feedback.read')),
        code: request.params.code,
        paging: request.query,
      }),
  );

  r.post(
    '/api/v1/customers/:code/feedback',
    {
      schema: {
        tags: ['feedback'],
        summary: 'Record feedback or a complaint · 新增服务反馈',
        params: codeParams,
        body: z.object(feedbackFields),
        response: { 201: feedbackDto, ...errors },
      },
    },
    async (request, reply) => {
      const access = accessOf(authorize(request, 'feedback.write'));
      const created = await createFeedback(svc, { access, code: request.params.code, input: request.body });
      return reply.status(201).send(created);
    },
  );

  r.patch(
    '/api/v1/feedback/:id',
    {
      schema: {
        tags: ['feedback'],
        summary: 'Change feedback (e.g. mark handled) · 修改服务反馈',
        params: idParams,
        body: z.object(feedbackFields).refine(someField, nothingToChange),
        response: { 200: feedbackDto, ...errors },
      },
    },
    async (request) =>
      patchFeedback(svc, {
        access: accessOf(authorize(request, 'feedback.write')),
        id: request.params.id,
        input: request.body,
      }),
  );

  r.delete(
    '/api/v1/feedback/:id',
    {
      schema: {
        tags: ['feedback'],
        summary: 'Delete feedback · 删除服务反馈',
        params: idParams,
        response: deleted,
      },
    },
    async (request, reply) => {
      await removeFeedback(svc, {
        access: accessOf(authorize(request, 'feedback.write')),
        id: request.params.id,
      });
      return reply.status(204).send(null);
    },
  );
}
