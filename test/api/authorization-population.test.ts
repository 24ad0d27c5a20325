import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  POLICY,
  POPULATION_VIEWS,
  type PopulationView,
  ROLES,
  type Role,
  scopeOf,
} from '../../src/services/auth/policy.ts';
import { type ApiClient, type ApiTest, openApiTest } from '../support/api.ts';
import { DIALECTS } from '../support/databases.ts';

/**
 * Population views: every role × every view that aggregates over customers, against
 * the policy's `views` in src/services/auth/policy.ts. What each answer shows is
 * compared with the same figure counted straight from the tables, over every customer
 * or over the role's own ones as the policy says; the fixture gives every role
 * customers of its own and leaves others to a rival, so the two always differ and an
 * unscoped answer fails.
 */

type Counter = { owner: number | undefined; visible: number | undefined };

type ViewProbe = {
  view: PopulationView;
  method: 'GET' | 'POST';
  url: string;
  body?: unknown;
  /** the figures of an answer, reduced to something comparable */
  shown(body: Record<string, unknown>): unknown;
  /** the same figures from the tables: `owner` narrows the aggregate, `visible` the rows the role may list */
  counted(api: ApiTest, over: Counter): Promise<unknown>;
};

const POP_AS_OF = '2024-06-30';

/** value_tier class → customers now, over everyone or one owner's live customers. */
async function classCounts(api: ApiTest, owner: number | undefined): Promise<Record<string, number>> {
  const rows = await api.t.db
    .selectFrom('customer_classes as cc')
    .innerJoin('schemes as s', 's.id', 'cc.scheme_id')
    .innerJoin('customers as c', 'c.id', 'cc.customer_id')
    .select(['cc.class_key as k', (eb) => eb.fn.countAll<number>().as('n')])
    .where('s.key', '=', 'value_tier')
    .where('c.erased_at', 'is', null)
    .$if(owner !== undefined, (q) => q.where('c.owner_user_id', '=', owner ?? 0))
    .groupBy('cc.class_key')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.k, Number(r.n)]).sort());
}

async function liveCustomers(api: ApiTest, owner: number | undefined): Promise<number> {
  const row = await api.t.db
    .selectFrom('customers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('erased_at', 'is', null)
    .$if(owner !== undefined, (q) => q.where('owner_user_id', '=', owner ?? 0))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

const nonZero = (counts: Record<string, number>) =>
  Object.fromEntries(
    Object.entries(counts)
      .filter(([, n]) => n > 0)
      .sort(),
  );

const PROBES: ViewProbe[] = [
  {
    view: 'schemePreview',
    method: 'POST',
    url: '/api/v1/schemes/value_tier/preview',
    body: {
      asOf: POP_AS_OF,
      definition: {
        key: 'value_tier',
        name: { zh: '全部', en: 'All' },
        classes: [{ key: 'all', name: { zh: '全部', en: 'All' }, rule: 'true' }],
      },
    },
    shown: (b) => ({ population: b.population, counts: b.counts }),
    counted: async (api, { owner }) => {
      const n = await liveCustomers(api, owner);
      return { population: n, counts: { all: n } };
    },
  },
  {
    view: 'ruleStatistics',
    method: 'GET',
    url: `/api/v1/customers?sort=code&filter=${encodeURIComponent('total_amount = p(100, total_amount)')}`,
    shown: (b) => (b.items as { code: string }[]).map((i) => i.code),
    counted: async (api, { owner, visible }) => {
      const top = await api.t.db
        .selectFrom('customers as c')
        .innerJoin('customer_metrics as m', 'm.customer_id', 'c.id')
        .select((eb) => eb.fn.max('m.total_amount').as('v'))
        .where('c.erased_at', 'is', null)
        .$if(owner !== undefined, (q) => q.where('c.owner_user_id', '=', owner ?? 0))
        .executeTakeFirstOrThrow();
      const rows = await api.t.db
        .selectFrom('customers as c')
        .innerJoin('customer_metrics as m', 'm.customer_id', 'c.id')
        .select('c.code')
        .where('c.erased_at', 'is', null)
        .where('m.total_amount', '=', Number(top.v))
        .$if(visible !== undefined, (q) => q.where('c.owner_user_id', '=', visible ?? 0))
        .orderBy('c.code')
        .execute();
      return rows.map((r) => r.code);
    },
  },
  {
    view: 'runCounts',
    method: 'GET',
    url: '/api/v1/classification/runs?scheme=value_tier',
    shown: (b) => {
      const [latest] = b.runs as {
        population: number;
        counts: Record<string, number>;
        transitions: Matrix;
      }[];
      const moved = Object.values(latest.transitions).flatMap((row) => Object.values(row));
      return {
        population: latest.population,
        counts: nonZero(latest.counts),
        moved: moved.reduce((a, n) => a + n, 0),
      };
    },
    counted: async (api, { owner }) => {
      const counts = await classCounts(api, owner);
      const n = Object.values(counts).reduce((a, x) => a + x, 0);
      return { population: n, counts, moved: n };
    },
  },
  {
    view: 'runCounts',
    method: 'GET',
    url: '/api/v1/schemes/value_tier',
    shown: (b) => {
      const run = b.lastRun as { population: number; counts: Record<string, number> };
      return { population: run.population, counts: nonZero(run.counts) };
    },
    counted: async (api, { owner }) => {
      const counts = await classCounts(api, owner);
      return { population: Object.values(counts).reduce((a, x) => a + x, 0), counts };
    },
  },
  {
    view: 'classDistribution',
    method: 'GET',
    url: '/api/v1/classification/distribution?scheme=value_tier',
    shown: (b) => {
      const [scheme] = b.schemes as { classes: { key: string; customers: number }[] }[];
      return nonZero(Object.fromEntries(scheme.classes.map((c) => [c.key, c.customers])));
    },
    counted: (api, { owner }) => classCounts(api, owner),
  },
  {
    view: 'classDistribution',
    method: 'GET',
    url: `/api/v1/dashboard?asOf=${POP_AS_OF}`,
    shown: (b) => {
      const scheme = (
        b.distribution as { schemeKey: string; classes: { key: string; customers: number }[] }[]
      ).find((s) => s.schemeKey === 'value_tier');
      return nonZero(Object.fromEntries((scheme?.classes ?? []).map((c) => [c.key, c.customers])));
    },
    counted: (api, { owner }) => classCounts(api, owner),
  },
  {
    view: 'dashboard',
    method: 'GET',
    url: `/api/v1/dashboard?asOf=${POP_AS_OF}`,
    shown: (b) => ({
      customers: (b.totals as { customers: number }).customers,
      lastImportShown: b.lastImport !== null,
    }),
    counted: async (api, { owner }) => ({
      customers: await liveCustomers(api, owner),
      // the fixture ran one import: a whole-table job, shown only to roles that see everyone
      lastImportShown: owner === undefined,
    }),
  },
  {
    view: 'runCounts',
    method: 'GET',
    url: `/api/v1/dashboard?asOf=${POP_AS_OF}`,
    shown: (b) => {
      const trend = (
        b.classTrend as { schemeKey: string; runs: { counts: Record<string, number> }[] }[]
      ).find((t) => t.schemeKey === 'value_tier');
      const runs = trend?.runs ?? [];
      return nonZero(runs[runs.length - 1]?.counts ?? {});
    },
    counted: (api, { owner }) => classCounts(api, owner),
  },
  {
    view: 'customerFacets',
    method: 'GET',
    url: '/api/v1/customer-facets',
    shown: (b) =>
      Object.fromEntries(
        (b.regions as { value: string; count: number }[]).map((r) => [r.value, r.count]).sort(),
      ),
    counted: async (api, { owner }) => {
      const rows = await api.t.db
        .selectFrom('customers')
        .select(['region', (eb) => eb.fn.countAll<number>().as('n')])
        .where('erased_at', 'is', null)
        .where('region', 'is not', null)
        .$if(owner !== undefined, (q) => q.where('owner_user_id', '=', owner ?? 0))
        .groupBy('region')
        .execute();
      return Object.fromEntries(rows.map((r) => [String(r.region), Number(r.n)]).sort());
    },
  },
];

type Matrix = Record<string, Record<string, number>>;

for (const dialect of DIALECTS) {
  describe(`population views on ${dialect}`, () => {
    let api: ApiTest;
    const users = {} as Record<Role, ApiClient>;

    beforeAll(async () => {
      api = await openApiTest(dialect);
      const admin = await api.as('admin', { username: 'views-seeder' });
      const rival = await api.as('sales', { username: 'views-rival' });
      for (const role of ROLES) users[role] = await api.as(role, { username: `views-${role}` });
      const mk = async (body: Record<string, unknown>, amount: number) => {
        const res = await admin.post('/api/v1/customers', body);
        if (res.statusCode !== 201) throw new Error(`seed ${body.code}: ${res.body}`);
        const order = await admin.post(`/api/v1/customers/${body.code}/orders`, {
          orderedAt: '2024-03-01 10:00',
          amount,
        });
        if (order.statusCode !== 201) throw new Error(`seed order: ${order.body}`);
      };
      for (const role of ROLES) {
        await mk({ code: `A-${role}`, region: '华东', ownerUserId: users[role].userId }, 300_000);
        await mk({ code: `B-${role}`, ownerUserId: users[role].userId }, 50_000);
      }
      await mk({ code: 'R1', region: '华北', ownerUserId: rival.userId }, 2_000_000);
      await mk({ code: 'U1', region: '华南' }, 100_000);
      const first = await admin.post('/api/v1/classification/runs', {
        asOf: '2024-04-30',
        schemeKeys: ['value_tier'],
      });
      if (first.statusCode !== 200) throw new Error(first.body);
      await admin.post('/api/v1/customers/A-sales/orders', {
        orderedAt: '2024-05-01 10:00',
        amount: 800_000,
      });
      const second = await admin.post('/api/v1/classification/runs', {
        asOf: POP_AS_OF,
        schemeKeys: ['value_tier'],
      });
      if (second.statusCode !== 200) throw new Error(second.body);
      // One import job, so the dashboard has a last import to show or to leave out.
      await api.t.db
        .insertInto('import_jobs')
        .values({
          entity: 'customers',
          file_name: 'everyone.csv',
          file_size: 1,
          file_hash: 'x',
          mapping: null,
          options: null,
          status: 'committed',
          counts: null,
          errors: null,
          started_at: new Date().toISOString(),
          finished_at: null,
        })
        .execute();
    });
    afterAll(async () => api?.close());

    it('never lets a role limited to its own customers see a population view over everyone', () => {
      for (const role of ROLES) {
        if (scopeOf(role) !== 'own') continue;
        for (const view of POPULATION_VIEWS)
          expect(POLICY[role].views[view], `${role} ${view}`).not.toBe('all');
      }
      // Every view has a probe below.
      expect(new Set(PROBES.map((p) => p.view))).toEqual(new Set(POPULATION_VIEWS));
    });

    for (const role of ROLES) {
      it(`shows ${role} each population view over the customers the policy names`, async () => {
        const me = users[role];
        const problems: string[] = [];
        for (const probe of PROBES) {
          const scope = POLICY[role].views[probe.view];
          const res = await me.inject({
            method: probe.method,
            url: probe.url,
            payload: probe.body as object,
          });
          const label = `${probe.view} ${probe.method} ${probe.url.split('?')[0]} (${scope}) → ${res.statusCode}`;
          if (scope === 'refused') {
            if (res.statusCode !== 403) problems.push(`${label}: expected 403`);
            continue;
          }
          if (res.statusCode !== 200) {
            problems.push(`${label}: ${res.body.slice(0, 200)}`);
            continue;
          }
          const visible = scopeOf(role) === 'own' ? me.userId : undefined;
          const owner = scope === 'own' ? me.userId : undefined;
          const expected = await probe.counted(api, { owner, visible });
          // The fixture must tell the two scopes apart, or the check proves nothing.
          const other = await probe.counted(api, {
            owner: owner === undefined ? me.userId : undefined,
            visible,
          });
          if (JSON.stringify(other) === JSON.stringify(expected))
            problems.push(`${label}: fixture does not separate scopes`);
          const shown = probe.shown(res.json());
          if (JSON.stringify(shown) !== JSON.stringify(expected))
            problems.push(`${label}: shows ${JSON.stringify(shown)}, counted ${JSON.stringify(expected)}`);
        }
        expect(problems).toEqual([]);
      });
    }
  });
}
