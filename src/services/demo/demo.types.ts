import type { ChannelName } from './demo-vocabulary.data.ts';

/**
 * How the generator made a customer behave; kept on the record so tests and docs can
 * compare what the classification finds with what was planted.
 */
export type DemoPersona = 'loyal' | 'regular' | 'occasional' | 'one_time' | 'prospect' | 'account';

export type DemoCustomer = {
  code: string;
  name: string;
  kind: 'individual' | 'company';
  gender: '男' | '女' | null;
  age: number | null;
  birthDate: string | null;
  /** 11 digits */
  phone: string;
  email: string | null;
  address: string;
  region: string;
  province: string;
  city: string;
  source: ChannelName;
  industry: string | null;
  companySize: '小型' | '中型' | '大型' | null;
  ownershipType: string | null;
  priceSensitivity: string | null;
  paymentHabit: string | null;
  procurementMode: string | null;
  /** favourite category */
  preference: string | null;
  consentMarketing: boolean;
  /** ISO-8601 UTC */
  createdAt: string;
  persona: DemoPersona;
};

export type DemoOrder = {
  /** `D000001`, numbered in time order */
  externalId: string;
  customerCode: string;
  /** 'YYYY-MM-DD HH:MM:SS', Shanghai wall time */
  orderedAt: string;
  orderDate: string;
  /** fen; negative for a return */
  amount: number;
  cost: number;
  quantity: number;
  product: string;
  category: string;
  channel: ChannelName;
  status: 'completed' | 'cancelled';
  /** for a return, the order it returns */
  returnOf: string | null;
};

export type DemoInteraction = {
  externalId: string;
  customerCode: string;
  at: string;
  date: string;
  channel: 'phone' | 'wechat' | 'email' | 'visit';
  direction: 'inbound' | 'outbound';
  subject: string;
  request: string;
  solution: string;
  outcome: string;
};

export type DemoFeedback = {
  externalId: string;
  customerCode: string;
  at: string;
  date: string;
  kind: 'feedback' | 'complaint';
  satisfaction: number;
  nps: number;
  comment: string | null;
  suggestion: string | null;
  status: 'open' | 'handled';
  resolution: string | null;
};

export type DemoDataSet = {
  seed: number | string;
  /** first day of the order history, 'YYYY-MM-DD' */
  from: string;
  asOf: string;
  customers: DemoCustomer[];
  orders: DemoOrder[];
  interactions: DemoInteraction[];
  feedback: DemoFeedback[];
};

export type GenerateDemoOptions = {
  seed: number | string;
  /** default 2,000 */
  customers?: number;
  /** years of order history ending at asOf; default 3 */
  years?: number;
  /** last day of the history, 'YYYY-MM-DD'; default today in Asia/Shanghai */
  asOf?: string;
};

export type Behaviour = { ordersPerYear: number; dropout: number; spendScale: number };

export type DraftOrder = Omit<DemoOrder, 'externalId' | 'returnOf'> & {
  customerIndex: number;
  seq: number;
  returnOf: DraftOrder | null;
};
export type Draft<T extends { externalId: string }> = Omit<T, 'externalId'> & {
  customerIndex: number;
  seq: number;
};

/** Names and contacts already handed out: phones and e-mails must stay unique. */
export type Taken = { phones: Set<string>; emails: Set<string>; companies: Set<string> };
