import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lifecycleScheme, rfm8Scheme, valueTierScheme } from '../../src/core/schemes/builtin.schemes.ts';
import type { SchemeDefinition } from '../../src/core/schemes/scheme.ts';
import { loadDemo } from '../../src/services/demo/demo.loader.ts';
import { getSchemeView, publishSchemeDefinition } from '../../src/services/schemes/schemes.service.ts';
import { type ApiClient, type ApiTest, openApiTest } from '../support/api.ts';
import { DIALECTS } from '../support/databases.ts';

const AS_OF = '2024-06-30';

async function rowCounts(api: ApiTest): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of ['schemes', 'scheme_versions', 'classification_runs', 'audit_log'] as const) {
    const row = await api.t.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    out[table] = Number(row.n);
  }
  return out;
}

/** value_tier with the high threshold lowered: more customers become high value. */
const lowerHigh: SchemeDefinition = { ...valueTierScheme, params: { high: 5000, medium: 2000 } };

const custom: SchemeDefinition = {
  key: 'big_spenders',
  name: { zh: '大客户', en: 'Big spenders' },
  classes: [
    { key: 'big', name: { zh: '大客户', en: 'Big' }, color: '#f5222d', rule: 'total_amount >= 20000' },
    { key: 'rest', name: { zh: '其他', en: 'Rest' }, rule: 'true' },
  ],
};

for (const dialect of DIALECTS) {
  describe(`schemes API on ${dialect}`, () => {
    let api: ApiTest;
    let manager: ApiClient;
    let analyst: ApiClient;
    beforeAll(async () => {
      api = await openApiTest(dialect);
      await loadDemo({ handle: api.t, cipher: api.cipher, seed: 7, customers: 300, asOf: AS_OF });
      manager = await api.as('manager');
      analyst = await api.as('analyst');
    });
    afterAll(async () => api?.close());

    it('lists the built-in schemes with their current version, classes and parameters', async () => {
      const res = await analyst.get('/api/v1/schemes');
      expect(res.statusCode).toBe(200);
      const schemes = res.json().schemes;
      expect(schemes.map((s: { key: string }) => s.key)).toEqual([
        'value_tier',
        'lifecycle',
        'rfm8',
        'value_potential',
      ]);
      const tier = schemes[0];
      expect(tier).toMatchObject({
        version: 1,
        builtin: true,
        active: true,
        hasDraft: false,
        params: { high: 10000, medium: 2000 },
        lastRun: null,
      });
      expect(tier.classes[0]).toMatchObject({ key: 'high', name: { zh: '高价值客户' }, color: '#cf1322' });
      // Thresholds say what they limit, so the web form shows money in yuan.
      expect(tier.paramUses).toEqual({
        high: { type: 'money', fields: ['total_amount'] },
        medium: { type: 'money', fields: ['total_amount'] },
      });
      const lifecycle = schemes[1];
      expect(lifecycle.paramUses.churn_days).toEqual({ type: 'number', fields: ['recency_days'] });
    });

    it('refuses a draft with a bad rule, naming the class, line and column', async () => {
      const bad: SchemeDefinition = {
        ...valueTierScheme,
        classes: [
          { ...valueTierScheme.classes[0], rule: 'order_count >= 1 and\n  total_amout >= $high' },
          ...valueTierScheme.classes.slice(1),
        ],
      };
      const res = await manager.inject({
        method: 'PUT',
        url: '/api/v1/schemes/value_tier/draft',
        payload: { definition: bad },
      });
      expect(res.statusCode).toBe(400);
      const { error } = res.json();
      expect(error.code).toBe('InvalidRule');
      expect(error.details[0]).toMatchObject({
        classKey: 'high',
        code: 'UnknownField',
        line: 2,
        column: 3,
        suggestion: 'total_amount',
      });
      expect(error.message).toContain('line 2, column 3');
      expect(error.message_zh).toContain('第 2 行第 3 列');
    });

    it('refuses a definition that breaks the schema with InvalidScheme and the path', async () => {
      const res = await manager.inject({
        method: 'PUT',
        url: '/api/v1/schemes/value_tier/draft',
        payload: { definition: { ...valueTierScheme, classes: [] } },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'InvalidScheme' });
      expect(res.json().error.details[0].path).toBe('definition.classes');
      const dup = await manager.inject({
        method: 'PUT',
        url: '/api/v1/schemes/value_tier/draft',
        payload: { definition: { ...valueTierScheme, classes: [custom.classes[1], custom.classes[1]] } },
      });
      expect(dup.statusCode).toBe(400);
      expect(dup.json().error.code).toBe('InvalidScheme');
      const otherKey = await manager.inject({
        method: 'PUT',
        url: '/api/v1/schemes/value_tier/draft',
        payload: { definition: custom },
      });
      expect(otherKey.statusCode).toBe(400);
    });

    it('refuses roles without schemes.write and changes nothing', async () => {
      const before = await rowCounts(api);
      for (const client of [analyst, await api.as('sales'), await api.as('service')]) {
        const put = await client.inject({
          method: 'PUT',
          url: '/api/v1/schemes/value_tier/draft',
          payload: { definition: lowerHigh },
        });
        expect(put.statusCode).toBe(403);
        expect((await client.post('/api/v1/schemes/value_tier/publish')).statusCode).toBe(403);
        expect((await client.post('/api/v1/schemes', { definition: custom })).statusCode).toBe(403);
      }
      // Sign-ins above wrote their own audit rows; compare from here on.
      const afterLogins = await rowCounts(api);
      expect(afterLogins.scheme_versions).toBe(before.scheme_versions);
      expect(afterLogins.schemes).toBe(before.schemes);
      const put = await analyst.inject({
        method: 'PUT',
        url: '/api/v1/schemes/value_tier/draft',
        payload: { definition: lowerHigh },
      });
      expect(put.statusCode).toBe(403);
      expect(await rowCounts(api)).toEqual(afterLogins);
    });

    it('saves a draft, previews it against the current classes and publishes it as version 2', async () => {
      const run = await manager.post('/api/v1/classification/runs', {
        asOf: AS_OF,
        schemeKeys: ['value_tier'],
      });
      expect(run.statusCode).toBe(200);
      const current = run.json().runs[0].counts as Record<string, number>;

      const put = await manager.inject({
        method: 'PUT',
        url: '/api/v1/schemes/value_tier/draft',
        payload: { definition: lowerHigh },
      });
      expect(put.statusCode).toBe(200);
      const draft = await analyst.get('/api/v1/schemes/value_tier/draft');
      expect(draft.json().definition.params).toEqual({ high: 5000, medium: 2000 });
      const listed = (await analyst.get('/api/v1/schemes/value_tier')).json();
      expect(listed).toMatchObject({ version: 1, hasDraft: true, params: { high: 10000 } });

      const preview = await analyst.post('/api/v1/schemes/value_tier/preview', { asOf: AS_OF });
      expect(preview.statusCode).toBe(200);
      const p = preview.json();
      expect(p.population).toBe(300);
      expect(Object.values(p.counts as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(300);
      expect(p.currentCounts).toEqual(Object.fromEntries(Object.entries(current).filter(([, n]) => n > 0)));
      expect(p.counts.high).toBeGreaterThan(current.high);
      expect(p.transitions.medium.high).toBeGreaterThan(0);
      expect(p.classNames.high).toEqual({ zh: '高价值客户', en: 'High value' });

      // A definition in the body is previewed instead of the draft; nothing is stored.
      const before = await rowCounts(api);
      const adHoc = await analyst.post('/api/v1/schemes/value_tier/preview', {
        asOf: AS_OF,
        definition: valueTierScheme,
      });
      expect(adHoc.json().counts).toEqual(current);
      expect(adHoc.json().changed).toBe(0);
      expect(await rowCounts(api)).toEqual(before);

      const ran = (await analyst.get('/api/v1/schemes/value_tier')).json();
      expect(ran.lastRun).toMatchObject({ schemeVersion: 1, asOf: AS_OF, population: 300, counts: current });

      const stale = await manager.post('/api/v1/schemes/value_tier/publish', { version: 7 });
      expect(stale.statusCode).toBe(409);
      // The same refusal as `kelei scheme publish --expected-version 7` (test/cli/scheme-publish.test.ts).
      expect(stale.json().error).toMatchObject({
        code: 'Conflict',
        message: expect.stringContaining('value_tier is at version 1 now, not 7'),
        details: { currentVersion: 1 },
      });
      expect(await rowCounts(api)).toEqual(before);
      const publish = await manager.post('/api/v1/schemes/value_tier/publish', {
        version: 1,
        note: '高价值门槛降到 5000 元',
      });
      expect(publish.statusCode).toBe(200);
      expect(publish.json()).toMatchObject({
        version: 2,
        hasDraft: false,
        params: { high: 5000 },
        publishedBy: manager.username,
      });
      const versions = (await analyst.get('/api/v1/schemes/value_tier/versions')).json();
      expect(versions.currentVersion).toBe(2);
      expect(
        versions.versions.map((v: { version: number; current: boolean }) => [v.version, v.current]),
      ).toEqual([
        [2, true],
        [1, false],
      ]);
      expect(versions.versions.map((v: { note: string | null }) => v.note)).toEqual([
        '高价值门槛降到 5000 元',
        null,
      ]);
      expect(versions.draft).toBeNull();
      const audits = await api.t.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'scheme.publish')
        .execute();
      expect(audits).toHaveLength(1);
      expect(JSON.parse(audits[0].details ?? '{}')).toMatchObject({
        version: 2,
        previousVersion: 1,
        note: '高价值门槛降到 5000 元',
      });
      expect((await manager.post('/api/v1/schemes/value_tier/publish')).statusCode).toBe(404);
      expect((await analyst.post('/api/v1/schemes/value_tier/preview', {})).statusCode).toBe(404);
    });

    it('creates a custom scheme as version 1 and refuses a second one with the same key', async () => {
      const res = await manager.post('/api/v1/schemes', { definition: custom });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ key: 'big_spenders', version: 1, builtin: false, active: true });
      expect((await manager.post('/api/v1/schemes', { definition: custom })).statusCode).toBe(409);
      // One publication, one audit row; the refused second one writes none.
      const audits = await api.t.db
        .selectFrom('audit_log')
        .select(['actor', 'details'])
        .where('action', '=', 'scheme.publish')
        .where('entity_id', '=', 'big_spenders')
        .execute();
      expect(audits.map((a) => [a.actor, JSON.parse(a.details ?? '{}')])).toEqual([
        [manager.username, { version: 1, created: true }],
      ]);
      const run = await manager.post('/api/v1/classification/runs', {
        asOf: AS_OF,
        schemeKeys: ['big_spenders'],
      });
      expect(run.json().runs[0].population).toBe(300);
      const unknown = await analyst.get('/api/v1/schemes/nope/versions');
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().error.code).toBe('SchemeNotFound');
    });

    it('lets exactly one of several concurrent publications from one version win; the others get 409', async () => {
      const before = (await analyst.get('/api/v1/schemes/lifecycle')).json().version as number;
      const put = await manager.inject({
        method: 'PUT',
        url: '/api/v1/schemes/lifecycle/draft',
        payload: { definition: lifecycleScheme },
      });
      expect(put.statusCode).toBe(200);
      const answers = await Promise.all(
        Array.from({ length: 5 }, () =>
          manager.post('/api/v1/schemes/lifecycle/publish', { version: before }),
        ),
      );
      expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409, 409, 409, 409]);
      for (const a of answers.filter((x) => x.statusCode === 409))
        expect(a.json().error.code).toBe('Conflict');
      expect((await analyst.get('/api/v1/schemes/lifecycle')).json().version).toBe(before + 1);
      const audits = await api.t.db
        .selectFrom('audit_log')
        .select('details')
        .where('action', '=', 'scheme.publish')
        .where('entity_id', '=', 'lifecycle')
        .execute();
      expect(audits.map((a) => JSON.parse(a.details ?? '{}').version)).toEqual([before + 1]);
    });

    it('publishes one of several concurrent file publications from one version; the others are refused as stale', async () => {
      const deps = { handle: api.t, clock: () => new Date(), timeZone: 'Asia/Shanghai' };
      const before = (await getSchemeView(deps, 'rfm8')).version;
      const outcomes = await Promise.allSettled(
        Array.from({ length: 6 }, (_, i) =>
          publishSchemeDefinition(deps, {
            definition: { ...rfm8Scheme, name: { zh: `RFM 八类 ${i}`, en: `RFM eight ${i}` } },
            actor: 'cli',
            expectedVersion: before,
          }),
        ),
      );
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      for (const o of outcomes) {
        if (o.status === 'rejected') expect(o.reason).toMatchObject({ code: 'Conflict' });
      }
      expect((await getSchemeView(deps, 'rfm8')).version).toBe(before + 1);
      const versions = await api.t.db
        .selectFrom('scheme_versions')
        .innerJoin('schemes', 'schemes.id', 'scheme_versions.scheme_id')
        .select('scheme_versions.version')
        .where('schemes.key', '=', 'rfm8')
        .execute();
      expect(versions.map((v) => Number(v.version)).sort()).toEqual([before, before + 1]);
    });

    it('discards a draft', async () => {
      await manager.inject({
        method: 'PUT',
        url: '/api/v1/schemes/rfm8/draft',
        payload: {
          definition: (await analyst.get('/api/v1/schemes/rfm8/versions')).json().versions[0].definition,
        },
      });
      expect((await manager.delete('/api/v1/schemes/rfm8/draft')).statusCode).toBe(200);
      expect((await analyst.get('/api/v1/schemes/rfm8/draft')).statusCode).toBe(404);
    });
  });
}
