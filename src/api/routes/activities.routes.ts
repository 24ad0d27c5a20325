import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
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
import type { AppDeps } from '../app-deps.ts';
import { authorize } from '../authorize.ts';
import {
  createFeedbackBody,
  createInteractionBody,
  createOrderBody,
  feedbackDto,
  feedbackPageDto,
  activityIdParams as idParams,
  interactionDto,
  interactionPageDto,
  orderDto,
  orderPageDto,
  activityPagingQuery as pagingQuery,
  updateFeedbackBody,
  updateInteractionBody,
  updateOrderBody,
} from '../contract/activities.contract.ts';
import { deletedResponse, errorResponses as errors } from '../contract/common.contract.ts';
import { customerCodeParams as codeParams } from '../contract/customers.contract.ts';
import { customerServiceDeps } from './customers.routes.ts';

const deleted = { 204: deletedResponse, ...errors };

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
        response: { 200: orderPageDto, ...errors },
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
        body: createOrderBody,
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
        body: updateOrderBody,
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
        response: { 200: interactionPageDto, ...errors },
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
        body: createInteractionBody,
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
        body: updateInteractionBody,
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
        response: { 200: feedbackPageDto, ...errors },
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
        body: createFeedbackBody,
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
        body: updateFeedbackBody,
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
