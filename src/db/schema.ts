import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * Table rows as the database returns them on both engines. Business dates are
 * 'YYYY-MM-DD' strings, instants are ISO-8601 UTC strings, money is integer fen,
 * booleans are 0/1 integers, JSON columns are strings (parsed in repositories).
 */

export type CustomersTable = {
  id: Generated<number>;
  code: string;
  name: string | null;
  kind: string; // 'individual' | 'company'
  gender: string | null;
  age: number | null;
  birth_date: string | null;
  phone_enc: string | null;
  phone_idx: string | null;
  email_enc: string | null;
  email_idx: string | null;
  address_enc: string | null;
  region: string | null;
  province: string | null;
  city: string | null;
  source: string | null;
  owner_user_id: number | null;
  industry: string | null;
  company_size: string | null;
  ownership_type: string | null;
  price_sensitivity: string | null;
  payment_habit: string | null;
  procurement_mode: string | null;
  preference: string | null;
  attributes: string | null;
  consent_marketing: number;
  opening_order_count: number;
  opening_amount: number;
  opening_first_date: string | null;
  opening_last_date: string | null;
  import_job_id: number | null;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
  erased_at: string | null;
};

export type OrdersTable = {
  id: Generated<number>;
  customer_id: number;
  source: string;
  external_id: string;
  ordered_at: string; // wall time in the workspace zone, 'YYYY-MM-DD HH:MM:SS'
  order_date: string; // 'YYYY-MM-DD'
  amount: number;
  cost: number | null;
  quantity: number | null;
  product: string | null;
  category: string | null;
  channel: string | null;
  status: string; // 'completed' | 'cancelled' | 'pending'
  import_job_id: number | null;
  created_at: string;
};

export type InteractionsTable = {
  id: Generated<number>;
  customer_id: number;
  external_id: string;
  at: string;
  interaction_date: string;
  channel: string;
  direction: string | null;
  subject: string | null;
  request: string | null;
  solution: string | null;
  outcome: string | null;
  user_id: number | null;
  import_job_id: number | null;
  created_at: string;
};

export type FeedbackTable = {
  id: Generated<number>;
  customer_id: number;
  external_id: string;
  at: string;
  feedback_date: string;
  kind: string; // 'feedback' | 'complaint'
  satisfaction: number | null;
  nps: number | null;
  comment: string | null;
  suggestion: string | null;
  status: string; // 'open' | 'handled'
  resolution: string | null;
  handled_by: number | null;
  import_job_id: number | null;
  created_at: string;
};

export type TagCategoriesTable = { id: Generated<number>; key: string; name_zh: string; name_en: string };

export type TagsTable = {
  id: Generated<number>;
  category_id: number | null;
  name: string;
  mode: string; // 'manual' | 'rule'
  rule: string | null;
  color: string | null;
  created_at: string;
};

export type CustomerTagsTable = {
  customer_id: number;
  tag_id: number;
  source: string; // 'manual' | 'rule'
  assigned_at: string;
};

export type SchemesTable = {
  id: Generated<number>;
  key: string;
  name_zh: string;
  name_en: string;
  description: string | null;
  builtin: number;
  active: number;
  current_version_id: number | null;
  created_at: string;
};

export type SchemeVersionsTable = {
  id: Generated<number>;
  scheme_id: number;
  version: number;
  definition: string;
  created_at: string;
  published_at: string | null;
  published_by: string | null;
};

export type ClassificationRunsTable = {
  id: Generated<number>;
  scheme_id: number;
  scheme_version_id: number;
  previous_run_id: number | null;
  as_of: string;
  started_at: string;
  finished_at: string | null;
  status: string; // 'running' | 'succeeded' | 'failed'
  population: Generated<number>;
  stats: Generated<string>; // JSON: population statistics
  counts: Generated<string>; // JSON: class_key → customers
  transitions: Generated<string>; // JSON: from → to → customers
  changed: Generated<number>;
};

export type CustomerClassesTable = {
  customer_id: number;
  scheme_id: number;
  class_key: string;
  run_id: number;
  since: string;
  scores: string | null;
};

export type ClassChangesTable = {
  id: Generated<number>;
  customer_id: number;
  scheme_id: number;
  run_id: number;
  from_class: string | null;
  to_class: string;
  at: string;
};

export type CustomerMetricsTable = {
  customer_id: number;
  as_of: string;
  order_count: number;
  total_amount: number;
  avg_order_amount: number | null;
  first_order_date: string | null;
  last_order_date: string | null;
  recency_days: number | null;
  tenure_days: number | null;
  order_count_365d: number;
  total_amount_365d: number;
  gross_profit_365d: number | null;
  amount_180d: number;
  amount_prev_180d: number;
  distinct_categories: number;
  avg_interpurchase_days: number | null;
  satisfaction_avg: number | null;
  nps_avg: number | null;
  complaint_count_365d: number;
  interactions_90d: number;
  days_since_contact: number | null;
  r_score: number | null;
  f_score: number | null;
  m_score: number | null;
  value_score: number | null;
  potential_score: number | null;
  computed_at: string;
};

export type SegmentsTable = {
  id: Generated<number>;
  name: string;
  rule: string;
  created_at: string;
};

export type PlansTable = {
  id: Generated<number>;
  scheme_id: number;
  class_key: string;
  goal: string | null;
  actions: string | null;
  contact_every_days: number | null;
  owner_role: string | null;
};

export type TasksTable = {
  id: Generated<number>;
  customer_id: number;
  type: string;
  due_date: string;
  status: string;
  assignee_user_id: number | null;
  note: string | null;
  created_at: string;
};

export type ImportJobsTable = {
  id: Generated<number>;
  entity: string;
  file_name: string;
  file_size: number;
  file_hash: string;
  mapping: string | null;
  options: string | null;
  status: string; // 'running' | 'dry_run' | 'committed' | 'failed'
  counts: string | null;
  errors: string | null;
  started_at: string;
  finished_at: string | null;
};

export type AuditLogTable = {
  id: Generated<number>;
  at: string;
  actor: string;
  action: string;
  entity: string | null;
  entity_id: string | null;
  details: string | null;
};

export type UsersTable = {
  id: Generated<number>;
  username: string;
  display_name: string | null;
  role: string;
  password_hash: string;
  disabled: number;
  locale: string;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
};

export type SessionsTable = {
  id: Generated<number>;
  user_id: number;
  token_hash: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
};

export type ApiTokensTable = {
  id: Generated<number>;
  name: string;
  role: string;
  token_hash: string;
  created_by: number;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
};

export type LoginAttemptsTable = {
  id: Generated<number>;
  username: string;
  at: string;
  success: number;
};

/** The score populations of the latest full run (JSON of PopulationSummary by indicator). */
export type PopulationSummariesTable = {
  id: Generated<number>;
  as_of: string;
  computed_at: string;
  summary: string;
};

export type Database = {
  customers: CustomersTable;
  orders: OrdersTable;
  interactions: InteractionsTable;
  feedback: FeedbackTable;
  tag_categories: TagCategoriesTable;
  tags: TagsTable;
  customer_tags: CustomerTagsTable;
  schemes: SchemesTable;
  scheme_versions: SchemeVersionsTable;
  classification_runs: ClassificationRunsTable;
  customer_classes: CustomerClassesTable;
  class_changes: ClassChangesTable;
  customer_metrics: CustomerMetricsTable;
  segments: SegmentsTable;
  plans: PlansTable;
  tasks: TasksTable;
  import_jobs: ImportJobsTable;
  audit_log: AuditLogTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  login_attempts: LoginAttemptsTable;
  population_summaries: PopulationSummariesTable;
};

export type CustomerRow = Selectable<CustomersTable>;
export type NewCustomerRow = Insertable<CustomersTable>;
export type CustomerUpdate = Updateable<CustomersTable>;
export type OrderRow = Selectable<OrdersTable>;
export type NewOrderRow = Insertable<OrdersTable>;
export type MetricsRow = Selectable<CustomerMetricsTable>;
