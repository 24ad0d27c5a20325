import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Action,
  can,
  POLICY,
  type PopulationView,
  ROLES,
  type Role,
  scopeOf,
} from '../../src/services/auth/policy.ts';
import { type ApiClient, type ApiTest, openApiTest } from '../support/api.ts';
import { DIALECTS } from '../support/databases.ts';
import { tableSnapshot } from '../support/snapshot.ts';

/**
 * Every role × every route × own/other records, against the permission table in
 * src/services/auth/policy.ts: no 2xx the table does not allow, no 401/403 it does
 * allow, and after every refusal the database is unchanged.
 */

type Fixture = {
  own: string;
  other: string;
  orderId: Record<'own' | 'other', number>;
  interactionId: Record<'own' | 'other', number>;
  feedbackId: Record<'own' | 'other', number>;
  userId: number;
  tokenId: number;
};

type Case = {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** OpenAPI path, for the coverage check */
  route: string;
  action: Action | Action[] | 'signed-in';
  /** customer-bound: tried on an own and on another's record */
  scoped?: boolean;
  /** a population view the policy may refuse to a role that holds the action */
  view?: PopulationView;
  url(f: Fixture, which: 'own' | 'other'): string;
  body?(f: Fixture, which: 'own' | 'other'): unknown;
};

const c = (f: Fixture, w: 'own' | 'other') => (w === 'own' ? f.own : f.other);

const CASES: Case[] = [
  { method: 'GET', route: '/api/v1/auth/me', action: 'signed-in', url: () => '/api/v1/auth/me' },
  {
    method: 'PATCH',
    route: '/api/v1/auth/me/locale',
    action: 'signed-in',
    url: () => '/api/v1/auth/me/locale',
    body: () => ({ locale: 'en-US' }),
  },
  {
    method: 'POST',
    route: '/api/v1/auth/me/password',
    action: 'signed-in',
    url: () => '/api/v1/auth/me/password',
    // a wrong current password: allowed roles get a 400 sentence, nothing changes
    body: () => ({ currentPassword: 'not the password', newPassword: 'another long password' }),
  },
  { method: 'GET', route: '/api/v1/roles', action: 'signed-in', url: () => '/api/v1/roles' },
  {
    method: 'POST',
    route: '/api/v1/users/{id}/unlock',
    action: 'users.manage',
    url: (f) => `/api/v1/users/${f.userId}/unlock`,
  },
  { method: 'GET', route: '/api/v1/users', action: 'users.manage', url: () => '/api/v1/users' },
  {
    method: 'POST',
    route: '/api/v1/users',
    action: 'users.manage',
    url: () => '/api/v1/users',
    body: () => ({
      username: `new${Math.random().toString(36).slice(2, 8)}`,
      password: 'long enough password',
      role: 'analyst',
    }),
  },
  {
    method: 'PATCH',
    route: '/api/v1/users/{id}',
    action: 'users.manage',
    url: (f) => `/api/v1/users/${f.userId}`,
    body: () => ({ displayName: 'x', version: 1 }),
  },
  {
    method: 'POST',
    route: '/api/v1/users/{id}/password',
    action: 'users.manage',
    url: (f) => `/api/v1/users/${f.userId}/password`,
    body: () => ({ password: 'another long password' }),
  },
  { method: 'GET', route: '/api/v1/tokens', action: 'users.manage', url: () => '/api/v1/tokens' },
  {
    method: 'POST',
    route: '/api/v1/tokens',
    action: 'users.manage',
    url: () => '/api/v1/tokens',
    body: () => ({ name: 'ci', role: 'analyst' }),
  },
  {
    method: 'DELETE',
    route: '/api/v1/tokens/{id}',
    action: 'users.manage',
    url: (f) => `/api/v1/tokens/${f.tokenId}`,
  },
  { method: 'GET', route: '/api/v1/audit', action: 'audit.read', url: () => '/api/v1/audit' },

  { method: 'GET', route: '/api/v1/customers', action: 'customers.read', url: () => '/api/v1/customers' },
  {
    method: 'GET',
    route: '/api/v1/customer-facets',
    action: 'customers.read',
    url: () => '/api/v1/customer-facets',
  },
  {
    method: 'POST',
    route: '/api/v1/customers',
    action: 'customers.write',
    url: () => '/api/v1/customers',
    // no code: roles limited to their own customers get one assigned (docs/security.md)
    body: () => ({ name: '新客户' }),
  },
  {
    method: 'GET',
    route: '/api/v1/customers/{code}',
    action: 'customers.read',
    scoped: true,
    url: (f, w) => `/api/v1/customers/${c(f, w)}`,
  },
  {
    method: 'PATCH',
    route: '/api/v1/customers/{code}',
    action: 'customers.write',
    scoped: true,
    url: (f, w) => `/api/v1/customers/${c(f, w)}`,
    body: () => ({ city: '杭州', version: 1 }),
  },
  {
    method: 'POST',
    route: '/api/v1/customers/{code}/reveal',
    action: ['customers.read', 'pii.view'],
    scoped: true,
    url: (f, w) => `/api/v1/customers/${c(f, w)}/reveal`,
    body: () => ({}),
  },
  {
    method: 'GET',
    route: '/api/v1/customers/{code}/orders',
    action: 'orders.read',
    scoped: true,
    url: (f, w) => `/api/v1/customers/${c(f, w)}/orders`,
  },
  {
    method: 'POST',
    route: '/api/v1/customers/{code}/orders',
    action: 'orders.write',
    scoped: true,
    url: (f, w) => `/api/v1/customers/${c(f, w)}/orders`,
    body: () => ({ orderedAt: '2024-06-01 10:00', amount: 1000 }),
  },
  {
    method: 'PATCH',
    route: '/api/v1/orders/{id}',
    action: 'orders.write',
    scoped: true,
    url: (f, w) => `/api/v1/orders/${f.orderId[w]}`,
    body: () => ({ amount: 2000 }),
  },
  {
    method: 'DELETE',
    route: '/api/v1/orders/{id}',
    action: 'orders.write',
    scoped: true,
    url: (f, w) => `/api/v1/orders/${f.orderId[w]}`,
  },
  {
    method: 'GET',
    route: '/api/v1/customers/{code}/interactions',
    action: 'interactions.read',
    scoped: true,
    url: (f, w) => `/api/v1/customers/${c(f, w)}/interactions`,
  },
  {
    method: 'POST',
    route: '/api/v1/customers/{code}/interactions',
    action: 'interactions.write',
    scoped: true,
    url: (f, w) => `/api/v1/customers/${c(f, w)}/interactions`,
    body: () => ({ channel: 'phone', subject: '回访' }),
  },
  {
    method: 'PATCH',
    route: '/api/v1/interactions/{id}',
    action: 'interactions.write',
    scoped: true,
    url: (f, w) => `/api/v1/interactions/${f.interactionId[w]}`,
    body: () => ({ subject: '再次回访' }),
  },
  {
    method: 'DELETE',
    route: '/api/v1/interactions/{id}',
    action: 'interactions.write',
    scoped: true,
    url: (f, w) => `/api/v1/interactions/${f.interactionId[w]}`,
  },
  {
    method: 'GET',
    route: '/api/v1/customers/{code}/feedback',
    action: 'feedback.read',
    scoped: true,
    url: (f, w) => `/api/v1/customers/${c(f, w)}/feedback`,
  },
  {
    method: 'POST',
    route: '/api/v1/customers/{code}/feedback',
    action: 'feedback.write',
    scoped: true,
    url: (f, w) => `/api/v1/customers/${c(f, w)}/feedback`,
    body: () => ({ satisfaction: 4 }),
  },
  {
    method: 'PATCH',
    route: '/api/v1/feedback/{id}',
    action: 'feedback.write',
    scoped: true,
    url: (f, w) => `/api/v1/feedback/${f.feedbackId[w]}`,
    body: () => ({ satisfaction: 3 }),
  },
  {
    method: 'DELETE',
    route: '/api/v1/feedback/{id}',
    action: 'feedback.write',
    scoped: true,
    url: (f, w) => `/api/v1/feedback/${f.feedbackId[w]}`,
  },
  {
    method: 'GET',
    route: '/api/v1/customers/{code}/classes',
    action: 'classification.read',
    scoped: true,
    url: (f, w) => `/api/v1/customers/${c(f, w)}/classes`,
  },
  {
    method: 'GET',
    route: '/api/v1/customers/{code}/privacy-export',
    action: 'privacy.manage',
    scoped: true,
    url: (f, w) => `/api/v1/customers/${c(f, w)}/privacy-export`,
  },
  {
    method: 'POST',
    route: '/api/v1/customers/{code}/erase',
    action: ['privacy.manage', 'customers.erase'],
    scoped: true,
    url: (f, w) => `/api/v1/customers/${c(f, w)}/erase`,
    body: () => ({}),
  },

  { method: 'POST', route: '/api/v1/imports', action: 'imports.run', url: () => '/api/v1/imports' },
  {
    method: 'GET',
    route: '/api/v1/imports/history',
    action: 'imports.run',
    url: () => '/api/v1/imports/history',
  },
  {
    method: 'GET',
    route: '/api/v1/imports/{id}',
    action: 'imports.run',
    url: () => '/api/v1/imports/00000000-0000-4000-8000-000000000000',
  },
  {
    method: 'DELETE',
    route: '/api/v1/imports/{id}',
    action: 'imports.run',
    url: () => '/api/v1/imports/00000000-0000-4000-8000-000000000000',
  },
  {
    method: 'POST',
    route: '/api/v1/imports/{id}/dry-run',
    action: 'imports.run',
    url: () => '/api/v1/imports/00000000-0000-4000-8000-000000000000/dry-run',
    body: () => ({}),
  },
  {
    method: 'GET',
    route: '/api/v1/imports/{id}/errors',
    action: 'imports.run',
    url: () => '/api/v1/imports/00000000-0000-4000-8000-000000000000/errors',
  },
  {
    method: 'POST',
    route: '/api/v1/imports/{id}/commit',
    action: 'imports.run',
    url: () => '/api/v1/imports/00000000-0000-4000-8000-000000000000/commit',
    body: () => ({}),
  },
  {
    method: 'GET',
    route: '/api/v1/imports/jobs/{jobId}',
    action: 'imports.run',
    url: () => '/api/v1/imports/jobs/00000000-0000-4000-8000-000000000000',
  },
  {
    method: 'GET',
    route: '/api/v1/imports/jobs/{jobId}/errors',
    action: 'imports.run',
    url: () => '/api/v1/imports/jobs/00000000-0000-4000-8000-000000000000/errors',
  },

  { method: 'GET', route: '/api/v1/schemes', action: 'schemes.read', url: () => '/api/v1/schemes' },
  {
    method: 'POST',
    route: '/api/v1/schemes',
    action: 'schemes.write',
    url: () => '/api/v1/schemes',
    body: () => ({
      definition: {
        key: `s${Math.random().toString(36).slice(2, 8)}`,
        name: { zh: '新方案', en: 'New' },
        classes: [{ key: 'all', name: { zh: '全部', en: 'All' }, rule: 'true' }],
      },
    }),
  },
  {
    method: 'GET',
    route: '/api/v1/schemes/{key}',
    action: 'schemes.read',
    url: () => '/api/v1/schemes/value_tier',
  },
  {
    method: 'GET',
    route: '/api/v1/schemes/{key}/versions',
    action: 'schemes.read',
    url: () => '/api/v1/schemes/value_tier/versions',
  },
  {
    method: 'GET',
    route: '/api/v1/schemes/{key}/draft',
    action: 'schemes.read',
    url: () => '/api/v1/schemes/value_tier/draft',
  },
  {
    method: 'PUT',
    route: '/api/v1/schemes/{key}/draft',
    action: 'schemes.write',
    url: () => '/api/v1/schemes/value_tier/draft',
    body: () => ({
      definition: {
        key: 'value_tier',
        name: { zh: '价值分层', en: 'Value tier' },
        params: { high: 9000, medium: 2000 },
        classes: [
          { key: 'high', name: { zh: '高', en: 'High' }, rule: 'total_amount >= $high' },
          { key: 'low', name: { zh: '低', en: 'Low' }, rule: 'true' },
        ],
      },
    }),
  },
  {
    method: 'DELETE',
    route: '/api/v1/schemes/{key}/draft',
    action: 'schemes.write',
    url: () => '/api/v1/schemes/value_tier/draft',
  },
  {
    method: 'POST',
    route: '/api/v1/schemes/{key}/preview',
    action: 'schemes.read',
    view: 'schemePreview',
    url: () => '/api/v1/schemes/value_tier/preview',
    body: () => ({ asOf: '2024-06-30' }),
  },
  {
    method: 'POST',
    route: '/api/v1/schemes/{key}/publish',
    action: 'schemes.write',
    url: () => '/api/v1/schemes/value_tier/publish',
    body: () => ({}),
  },
  {
    method: 'POST',
    route: '/api/v1/classification/runs',
    action: 'classification.run',
    url: () => '/api/v1/classification/runs',
    body: () => ({ asOf: '2024-06-30', schemeKeys: ['value_tier'] }),
  },
  {
    method: 'GET',
    route: '/api/v1/classification/runs',
    action: 'classification.read',
    url: () => '/api/v1/classification/runs',
  },
  {
    method: 'GET',
    route: '/api/v1/classification/runs/{id}',
    action: 'classification.read',
    url: () => '/api/v1/classification/runs/1',
  },
  {
    method: 'GET',
    route: '/api/v1/classification/distribution',
    action: 'classification.read',
    url: () => '/api/v1/classification/distribution',
  },
  {
    method: 'GET',
    route: '/api/v1/exports/{table}',
    action: 'exports.run',
    url: () => '/api/v1/exports/orders?format=csv',
  },
  { method: 'GET', route: '/api/v1/dashboard', action: 'dashboard.read', url: () => '/api/v1/dashboard' },
  {
    method: 'GET',
    route: '/api/v1/rules/fields',
    action: 'customers.read',
    url: () => '/api/v1/rules/fields',
  },
  {
    method: 'POST',
    route: '/api/v1/rules/check',
    action: 'customers.read',
    url: () => '/api/v1/rules/check',
    body: () => ({ expression: '累计消费金额 >= 10000' }),
  },
];

/** Routes that need no permission beyond being reachable. */
const PUBLIC = new Set(['POST /api/v1/auth/login', 'POST /api/v1/auth/logout']);

const WATCHED = [
  'customers',
  'orders',
  'interactions',
  'feedback',
  'users',
  'api_tokens',
  'schemes',
  'scheme_versions',
  'classification_runs',
  'customer_classes',
  'import_jobs',
  'audit_log',
];

function allowed(role: Role, action: Case['action'], view?: PopulationView): boolean {
  if (view !== undefined && POLICY[role].views[view] === 'refused') return false;
  if (action === 'signed-in') return true;
  return (Array.isArray(action) ? action : [action]).every((a) => can(role, a));
}

async function seed(api: ApiTest, admin: ApiClient, salesUserId: number): Promise<Fixture> {
  const mk = async (code: string, phone: string, owner: number | null) => {
    const res = await admin.post('/api/v1/customers', {
      code,
      name: `客户${code}`,
      phone,
      ownerUserId: owner,
    });
    if (res.statusCode !== 201) throw new Error(`seed ${code}: ${res.body}`);
  };
  await mk('OWN', '13912345601', salesUserId);
  await mk('OTH', '13912345602', null);
  const ids = async (code: string, kind: 'orders' | 'interactions' | 'feedback', body: unknown) => {
    const res = await admin.post(`/api/v1/customers/${code}/${kind}`, body);
    if (res.statusCode !== 201) throw new Error(`seed ${kind}: ${res.body}`);
    return Number(res.json().id);
  };
  const fixture: Fixture = {
    own: 'OWN',
    other: 'OTH',
    orderId: {
      own: await ids('OWN', 'orders', { orderedAt: '2024-05-01 10:00', amount: 50_000 }),
      other: await ids('OTH', 'orders', { orderedAt: '2024-05-01 10:00', amount: 60_000 }),
    },
    interactionId: {
      own: await ids('OWN', 'interactions', { channel: 'phone', subject: '首次联系' }),
      other: await ids('OTH', 'interactions', { channel: 'phone', subject: '首次联系' }),
    },
    feedbackId: {
      own: await ids('OWN', 'feedback', { satisfaction: 5 }),
      other: await ids('OTH', 'feedback', { satisfaction: 4 }),
    },
    userId: 0,
    tokenId: 0,
  };
  const target = await api.as('analyst', { username: 'matrix-target' });
  fixture.userId = target.userId;
  const token = await admin.post('/api/v1/tokens', { name: 'matrix', role: 'analyst' });
  fixture.tokenId = Number(token.json().id);
  await admin.post('/api/v1/classification/runs', { asOf: '2024-06-30' });
  return fixture;
}

for (const dialect of DIALECTS) {
  describe(`authorization matrix on ${dialect}`, () => {
    it('covers every route of the API', async () => {
      const api = await openApiTest(dialect);
      try {
        const doc = (await api.app.inject({ method: 'GET', url: '/api/docs/json' })).json() as {
          paths: Record<string, Record<string, unknown>>;
        };
        const routes = Object.entries(doc.paths).flatMap(([p, ops]) =>
          Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
        );
        const covered = new Set([...CASES.map((k) => `${k.method} ${k.route}`), ...PUBLIC]);
        expect(routes.filter((r) => !covered.has(r))).toEqual([]);
      } finally {
        await api.close();
      }
    });

    for (const role of ROLES) {
      describe(`as ${role}`, () => {
        let api: ApiTest;
        let fixture: Fixture;
        let me: ApiClient;
        beforeAll(async () => {
          api = await openApiTest(dialect);
          const admin = await api.as('admin', { username: 'matrix-admin' });
          me = await api.as(role, { username: `matrix-me-${role}` });
          fixture = await seed(api, admin, me.userId);
        });
        afterAll(async () => api?.close());

        it('gets exactly what the permission table allows, and a refusal changes nothing', async () => {
          const problems: string[] = [];
          for (const k of CASES) {
            for (const which of k.scoped ? (['own', 'other'] as const) : (['own'] as const)) {
              const url = k.url(fixture, which);
              const hidden = k.scoped === true && scopeOf(role) === 'own' && which === 'other';
              const ok = allowed(role, k.action, k.view) && !hidden;
              const before = ok ? null : await tableSnapshot(api.t.db, WATCHED);
              const res = await me.inject({
                method: k.method,
                url,
                payload: k.body?.(fixture, which) as object | undefined,
              });
              const label = `${k.method} ${url} (${which}) → ${res.statusCode}`;
              if (ok) {
                if (res.statusCode === 401 || res.statusCode === 403)
                  problems.push(`${label}: refused but allowed`);
                if (res.statusCode >= 500) problems.push(`${label}: ${res.body.slice(0, 200)}`);
              } else {
                if (res.statusCode < 400) problems.push(`${label}: unexpected success`);
                const expected = hidden && allowed(role, k.action) ? [403, 404] : [403];
                if (!expected.includes(res.statusCode))
                  problems.push(`${label}: expected ${expected.join('/')}`);
                const after = await tableSnapshot(api.t.db, WATCHED);
                if (JSON.stringify(after) !== JSON.stringify(before))
                  problems.push(`${label}: database changed`);
              }
            }
          }
          expect(problems).toEqual([]);
        });

        it('refuses every route without credentials', async () => {
          const statuses = new Set<number>();
          for (const k of CASES) {
            const res = await api.anonymous.inject({
              method: k.method,
              url: k.url(fixture, 'own'),
              payload: k.body?.(fixture, 'own') as object | undefined,
            });
            statuses.add(res.statusCode);
          }
          expect([...statuses]).toEqual([401]);
        });
      });
    }
  });
}
