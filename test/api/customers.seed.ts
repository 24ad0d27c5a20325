import { expect } from 'vitest';
import { runClassification } from '../../src/services/classification/classification.service.ts';
import type { ApiClient, ApiTest } from '../support/api.ts';

/** Seeding through the API, as a client would: `await seedCustomer(admin, { code: 'C1', name: '张三' })`. */
export async function seedCustomer(client: ApiClient, body: Record<string, unknown>): Promise<void> {
  const res = await client.post('/api/v1/customers', body);
  expect(res.statusCode, res.body).toBe(201);
}

export async function seedOrder(
  client: ApiClient,
  code: string,
  order: { orderedAt: string; amount: number; product?: string },
): Promise<number> {
  const res = await client.post(`/api/v1/customers/${encodeURIComponent(code)}/orders`, order);
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

/** Metrics and classes of every customer as of a pinned date. */
export async function classify(api: ApiTest, asOf = '2024-06-30'): Promise<void> {
  await runClassification(api.t, { asOf, now: () => new Date() });
}

/** Mobile numbers that must never appear unmasked where they are not allowed. */
export const CANARY_PHONES = ['13912345678', '15887654321', '18600001111', '13700002222'];
