/**
 * Who may do what: the one declarative permission table (DESIGN.md §7). Every route,
 * list filter, sort, search, export and import checks it on the server.
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

export type RolePolicy = { actions: readonly Action[]; scope: RecordScope };

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
  sales: {
    scope: 'own',
    actions: [...READ, 'customers.write', 'orders.write', 'interactions.write', 'feedback.write', 'pii.view'],
  },
  service: {
    scope: 'all',
    actions: [...READ, 'interactions.write', 'feedback.write', 'pii.view'],
  },
  analyst: {
    scope: 'all',
    actions: [...READ, 'exports.run'],
  },
};

export function can(role: Role, action: Action): boolean {
  return POLICY[role].actions.includes(action);
}

export function scopeOf(role: Role): RecordScope {
  return POLICY[role].scope;
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
