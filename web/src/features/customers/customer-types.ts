/** Shapes of the customers API (src/api/routes/customers.routes.ts, activities.routes.ts) as the pages read them. */

export type Pair = { zh: string; en: string };

export type Owner = { id: number; username: string | null; displayName: string | null } | null;

export type CustomerListItem = {
  code: string;
  name: string | null;
  kind: string;
  gender: string | null;
  region: string | null;
  city: string | null;
  owner: Owner;
  phone: string | null;
  email: string | null;
  metrics: {
    orderCount: number;
    totalAmount: number;
    avgOrderAmount: number | null;
    lastOrderDate: string | null;
    recencyDays: number | null;
    totalAmount365d: number;
  } | null;
  classes: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  version: number;
};

export type CustomerPage = { items: CustomerListItem[]; total: number; page: number; pageSize: number };

export type Facets = {
  regions: { value: string; count: number }[];
  tags: { name: string; count: number }[];
  owners: { id: number; username: string; displayName: string | null; count: number }[];
};

export type SchemeClass = { key: string; name: Pair; color?: string; rule: string };

export type Scheme = {
  key: string;
  name: Pair;
  active: boolean;
  classes: SchemeClass[];
  lastRun: { id: number; asOf: string } | null;
};

export type CustomerProfile = {
  code: string;
  name: string | null;
  kind: string;
  gender: string | null;
  age: number | null;
  birthDate: string | null;
  phone: string | null;
  email: string | null;
  address: string | null;
  region: string | null;
  province: string | null;
  city: string | null;
  source: string | null;
  owner: Owner;
  industry: string | null;
  companySize: string | null;
  ownershipType: string | null;
  priceSensitivity: string | null;
  paymentHabit: string | null;
  procurementMode: string | null;
  preference: string | null;
  attributes: Record<string, string | number | boolean | null> | null;
  consentMarketing: boolean;
  opening: { orderCount: number; amount: number; firstDate: string | null; lastDate: string | null };
  createdAt: string;
  updatedAt: string;
  version: number;
  erasedAt: string | null;
};

export type CustomerMetrics = {
  asOf: string;
  orderCount: number;
  totalAmount: number;
  avgOrderAmount: number | null;
  firstOrderDate: string | null;
  lastOrderDate: string | null;
  recencyDays: number | null;
  tenureDays: number | null;
  orderCount365d: number;
  totalAmount365d: number;
  grossProfit365d: number | null;
  amount180d: number;
  amountPrev180d: number;
  distinctCategories: number;
  avgInterpurchaseDays: number | null;
  satisfactionAvg: number | null;
  npsAvg: number | null;
  complaintCount365d: number;
  interactions90d: number;
  daysSinceContact: number | null;
  rScore: number | null;
  fScore: number | null;
  mScore: number | null;
  valueScore: number | null;
  potentialScore: number | null;
  computedAt: string;
} | null;

export type Condition = {
  depth: number;
  kind: 'all' | 'any' | 'not' | 'condition';
  result: boolean | null;
  rule: Pair;
  values: { role: 'actual' | 'threshold'; label: Pair; value: Pair }[];
};

export type ClassStep = {
  classKey: string;
  name: Pair;
  rule: string;
  result: boolean | null;
  lines: { zh: string[]; en: string[] };
  conditions: Condition[];
};

export type CustomerClass = {
  schemeKey: string;
  schemeName: Pair;
  classKey: string;
  className: Pair;
  since: string;
  asOf: string;
  runId: number;
  consistent: boolean;
  why: { zh: string[]; en: string[] };
  steps: ClassStep[];
  history: { runId: number; from: string | null; to: string; at: string }[];
};

export type CustomerDetail = {
  customer: CustomerProfile;
  metrics: CustomerMetrics;
  classes: CustomerClass[];
  tags: string[];
  counts: { orders: number; interactions: number; feedback: number };
  canReveal: boolean;
};

export type Revealed = {
  code: string;
  phone?: string | null;
  email?: string | null;
  address?: string | null;
};

export type Order = {
  id: number;
  externalId: string;
  orderedAt: string;
  orderDate: string;
  amount: number;
  cost: number | null;
  quantity: number | null;
  product: string | null;
  category: string | null;
  channel: string | null;
  status: string;
};

export type Interaction = {
  id: number;
  at: string;
  date: string;
  channel: string;
  direction: string | null;
  subject: string | null;
  request: string | null;
  solution: string | null;
  outcome: string | null;
  userId: number | null;
};

export type Feedback = {
  id: number;
  at: string;
  date: string;
  kind: string;
  satisfaction: number | null;
  nps: number | null;
  comment: string | null;
  suggestion: string | null;
  status: string;
  resolution: string | null;
};

export type Paged<T> = { items: T[]; total: number; page: number; pageSize: number };
