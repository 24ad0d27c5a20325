/** Data subject rights: everything held on one customer, and the erasure of its personal data. */

import { z } from 'zod';
import { feedbackDto, interactionDto, orderDto } from './activities.contract.ts';
import { customerMetricsDto, customerProfileDto } from './customers.contract.ts';

export const privacyExportDto = z.object({
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

export const erasureDto = z.object({
  code: z.string(),
  erasedAt: z.string(),
  alreadyErased: z.boolean(),
  kept: z.object({ orders: z.number(), interactions: z.number(), feedback: z.number() }),
  purge: z
    .enum(['complete', 'pending'])
    .describe(
      'pending: another connection holds the database back; the erased bytes are purged in the background as soon as it lets go',
    ),
});

export type PrivacyExport = z.output<typeof privacyExportDto>;
export type Erasure = z.output<typeof erasureDto>;
