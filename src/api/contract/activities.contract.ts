/** A customer's orders, interactions and feedback: listed and added under the customer, changed by id. */

import { z } from 'zod';
import { pageOf, pagingQueryOf } from './common.contract.ts';
import { MAX_PAGE_SIZE } from './customers.contract.ts';

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

export const orderPageDto = pageOf(orderDto);
export const interactionPageDto = pageOf(interactionDto);
export const feedbackPageDto = pageOf(feedbackDto);

export const activityPagingQuery = pagingQueryOf({ max: MAX_PAGE_SIZE, defaultSize: 50 });

export const activityIdParams = z.object({ id: z.coerce.number().int().positive() });

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

export const createOrderBody = z.object({
  orderedAt: when,
  amount: fen.describe('fen, net; negative for a return'),
  externalId: z.string().min(1).max(100).optional().describe('your order number; unique'),
  ...orderFields,
});

export const updateOrderBody = z
  .object({ orderedAt: when.optional(), amount: fen.optional(), ...orderFields })
  .refine(someField, nothingToChange);

export const createInteractionBody = z.object(interactionFields);
export const updateInteractionBody = z.object(interactionFields).refine(someField, nothingToChange);

export const createFeedbackBody = z.object(feedbackFields);
export const updateFeedbackBody = z.object(feedbackFields).refine(someField, nothingToChange);

export type Order = z.output<typeof orderDto>;
export type Interaction = z.output<typeof interactionDto>;
export type Feedback = z.output<typeof feedbackDto>;
export type CreateOrderInput = z.input<typeof createOrderBody>;
export type CreateInteractionInput = z.input<typeof createInteractionBody>;
export type CreateFeedbackInput = z.input<typeof createFeedbackBody>;
