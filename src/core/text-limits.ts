/**
 * The longest text each customer field takes, in characters: the API refuses longer
 * values and an import reports them as a row error at their row and column, so both
 * ways in share one limit (counted like JavaScript string length, in UTF-16 units).
 */
export const CUSTOMER_TEXT_LIMITS = {
  name: 200,
  region: 50,
  province: 50,
  city: 50,
  source: 100,
  industry: 100,
  company_size: 50,
  ownership_type: 50,
  price_sensitivity: 50,
  payment_habit: 100,
  procurement_mode: 100,
  preference: 500,
  address: 500,
} as const;
