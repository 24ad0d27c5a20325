/**
 * The columns every customers row needs, for tests that insert customers directly:
 * `db.insertInto('customers').values({ ...customerRow('C1', now), name: '张三' })`.
 */
export function customerRow(code: string, now: string = new Date().toISOString()) {
  return {
    code,
    kind: 'individual',
    consent_marketing: 0,
    opening_order_count: 0,
    opening_amount: 0,
    created_at: now,
    updated_at: now,
  };
}
