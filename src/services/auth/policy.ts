import { KeleiError } from '../../core/errors.ts';

/**
 * Who may do what: the one declarative permission table (docs/security.md). Every route,
 * list filter, sort, search, export and import checks it on the server, and every view
 * that aggregates over customers asks it over which customers (`populationScope`).
 */

export type Role = 'admin' | 'manager' | 'sales' | 'service' | 'analyst';

export const ROLES: readonly Role[] = ['admin', 'manager', 'sales', 'service', 'analyst'];

export type Action =
  | 'customers.read'
  | 'customers.write'
  | 'customers.erase'
  | 'orders.read'
  | 'orders.write'
  | 'interactions.read'
  | 'interactions.write'
  | 'feedback.read'
  | 'feedback.write'
  | 'imports.run'
  | 'schemes.read'
  | 'schemes.write'
  | 'classification.read'
  | 'classification.run'
  | 'exports.run'
  | 'dashboard.read'
  | 'audit.read'
  | 'users.manage'
  | 'privacy.manage'
  | 'pii.view';

/** `own`: only customers whose owner_user_id is the user; `all`: every customer. */
export type RecordScope = 'all' | 'own';

/**
 * Views computed over many customers, and over which of them a role sees each one.
 * Record scope alone does not settle them: a count, a statistic or a preview over
 * everyone tells an own-scope role about customers it cannot open.
 * - `all`: over every customer; `own`: over the customers the caller owns only;
 *   `refused`: 403 for the whole view.
 * Statistics a published scheme stored with its run (`avg(r_score)` as its rules saw
 * it) are part of the scheme, not a view: every role that sees a customer's class sees
 * the thresholds that explain it.
 */
export type PopulationViews = {
  /** POST /schemes/:key/preview: classify every customer with a definition the caller sends */
  schemePreview: 'all' | 'refused';
  /** avg, median and p(…) in a rule the caller writes (list filter): computed over whom */
  ruleStatistics: 'all' | 'own' | 'refused';
  /** stored runs' population, counts per class, changes and transition matrix (/classification/runs, a scheme's last run) */
  runCounts: 'all' | 'own' | 'refused';
  /** customers per current class (/classification/distribution, the dashboard's distribution) */
  classDistribution: 'all' | 'own';
  /** every other figure of the dashboard: totals, heat map, scatter, trends, retention, satisfaction, tasks, last import */
  dashboard: 'all' | 'own';
  /** customers per region, tag and owner offered by the list's quick filters (the list itself follows record scope) */
  customerFacets: 'all' | 'own';
};

export type PopulationView = keyof PopulationViews;

export const POPULATION_VIEWS: readonly PopulationView[] = [
  'schemePreview',
  'ruleStatistics',
  'runCounts',
  'classDistribution',
  'dashboard',
  'customerFacets',
];

export type RolePolicy = { actions: readonly Action[]; scope: RecordScope; views: PopulationViews };

const EVERYONE: PopulationViews = {
  schemePreview: 'all',
  ruleStatistics: 'all',
  runCounts: 'all',
  classDistribution: 'all',
  dashboard: 'all',
  customerFacets: 'all',
};

const READ: readonly Action[] = [
  'customers.read',
  'orders.read',
  'interactions.read',
  'feedback.read',
  'schemes.read',
  'classification.read',
  'dashboard.read',
];

export const POLICY: Readonly<Record<Role, RolePolicy>> = {
  admin: {
    scope: 'all',
    views: EVERYONE,
    actions: [
      ...READ,
      'customers.write',
      'customers.erase',
      'orders.write',
      'interactions.write',
      'feedback.write',
      'imports.run',
      'schemes.write',
      'classification.run',
      'exports.run',
      'audit.read',
      'users.manage',
      'privacy.manage',
      'pii.view',
    ],
  },
  manager: {
    scope: 'all',
    views: EVERYONE,
    actions: [
      ...READ,
      'customers.write',
      'orders.write',
      'interactions.write',
      'feedback.write',
      'imports.run',
      'schemes.write',
      'classification.run',
      'exports.run',
      'pii.view',
    ],
  },
  // Exports are whole tables, so a role limited to its own customers does not get them.
  // A preview classifies everyone, so it is refused rather than narrowed: a definition
  // is the caller's rule, and one-class rules would read other customers one by one.
  sales: {
    scope: 'own',
    views: {
      schemePreview: 'refused',
      ruleStatistics: 'own',
      runCounts: 'own',
      classDistribution: 'own',
      dashboard: 'own',
      customerFacets: 'own',
    },
    actions: [...READ, 'customers.write', 'orders.write', 'interactions.write', 'feedback.write', 'pii.view'],
  },
  service: {
    scope: 'all',
    views: EVERYONE,
    actions: [...READ, 'interactions.write', 'feedback.write', 'pii.view'],
  },
  analyst: {
    scope: 'all',
    views: EVERYONE,
    actions: [...READ, 'exports.run'],
  },
};

export function can(role: Role, action: Action): boolean {
  return POLICY[role].actions.includes(action);
}

export function scopeOf(role: Role): RecordScope {
  return POLICY[role].scope;
}

/** Who asks for a population view: enough of a {@link Principal} to decide. */
export type Viewer = { role: Role; userId: number };

/**
 * Over which customers `viewer` sees `view`: `{ ownerUserId: undefined }` for all,
 * `{ ownerUserId: viewer.userId }` for their own; Forbidden when the policy refuses it.
 * `populationScope(sales, 'ruleStatistics')` → `{ ownerUserId: 7 }`.
 */
export function populationScope(viewer: Viewer, view: PopulationView): { ownerUserId: number | undefined } {
  const scope = POLICY[viewer.role].views[view];
  if (scope === 'refused') throw viewRefused(view);
  return { ownerUserId: scope === 'own' ? viewer.userId : undefined };
}

const VIEW_NAMES: Record<PopulationView, { en: string; zh: string }> = {
  schemePreview: { en: 'previewing a scheme over every customer', zh: '按全部客户预览分类方案' },
  ruleStatistics: { en: 'population statistics in rules', zh: '在规则中使用总体统计' },
  runCounts: { en: 'class counts of classification runs', zh: '查看分类运行的各类人数' },
  classDistribution: { en: 'the class distribution', zh: '查看类别分布' },
  dashboard: { en: 'the dashboard', zh: '查看概览' },
  customerFacets: {
    en: 'customer counts by region, tag and owner',
    zh: '查看按地区、标签和负责人的客户计数',
  },
};

function viewRefused(view: PopulationView): KeleiError {
  const what = VIEW_NAMES[view];
  return new KeleiError('Forbidden', {
    en: `${what.en} is not open to your role: it is computed over customers you do not own`,
    zh: `您的角色不能${what.zh}：其结果涉及不归您负责的客户`,
  });
}

/** The authenticated caller of a request: a signed-in user or an API token. */
export type Principal = {
  kind: 'user' | 'token';
  userId: number;
  username: string;
  role: Role;
  /** id of the session or token that authenticated the request */
  credentialId: number;
  /** true when authenticated by session cookie: unsafe methods then need the CSRF header */
  viaCookie: boolean;
};

/** Roles that may act on work other users started: their uploads and import jobs. */
const ACTS_ON_OTHERS_WORK: readonly Role[] = ['admin'];

/**
 * Whether `who` may see and use work that `owner` (a username) started, such as an
 * upload or a background import: their own always, anyone's for the roles above.
 * To everyone else that work does not exist (NotFound, not Forbidden).
 */
export function mayActOnWorkOf(who: Principal, owner: string): boolean {
  return who.username === owner || ACTS_ON_OTHERS_WORK.includes(who.role);
}
