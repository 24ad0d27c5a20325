import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SchemeDefinition } from '../../src/core/schemes/scheme.ts';
import { type ApiClient, type ApiTest, openApiTest } from '../support/api.ts';
import { DIALECTS } from '../support/databases.ts';
import { seedCustomer, seedOrder } from './customers.seed.ts';

/**
 * Attacks on row scope through figures computed over many customers, and through the
 * duplicate check of customer writes, by a sales user against a customer of another
 * rep: each must tell them nothing about that customer.
 */

const AS_OF = '2024-06-30';

/** A one-class probe: is O1's lifetime spend at least `yuan`? */
function probe(rule: string): { definition: SchemeDefinition; asOf: string } {
  return {
    asOf: AS_OF,
    definition: {
      key: 'value_tier',
      name: { zh: '探测', en: 'Probe' },
      classes: [
        { key: 'hit', name: { zh: '命中', en: 'Hit' }, rule },
        { key: 'miss', name: { zh: '其他', en: 'Miss' }, rule: 'true' },
      ],
    },
  };
}

for (const dialect of DIALECTS) {
  describe(`population figures and duplicates keep row scope on ${dialect}`, () => {
    let api: ApiTest;
    let admin: ApiClient;
    let manager: ApiClient;
    let mine: ApiClient;
    let other: ApiClient;

    beforeAll(async () => {
      api = await openApiTest(dialect);
      admin = await api.as('admin');
      manager = await api.as('manager');
      mine = await api.as('sales');
      other = await api.as('sales');
      await seedCustomer(admin, { code: 'M1', name: '我的客户', ownerUserId: mine.userId });
      await seedCustomer(admin, { code: 'M2', name: '我的小客户', ownerUserId: mine.userId });
      await seedCustomer(admin, {
        code: 'O1',
        name: '别人的大客户',
        phone: '13500000002',
        email: 'o1@example.com',
        ownerUserId: other.userId,
      });
      await seedCustomer(admin, { code: 'N1', name: '无人负责' });
      await seedOrder(admin, 'M1', { orderedAt: '2024-03-01', amount: 300_000 });
      await seedOrder(admin, 'M2', { orderedAt: '2024-03-01', amount: 50_000 });
      await seedOrder(admin, 'O1', { orderedAt: '2024-03-01', amount: 500_000 });
      await seedOrder(admin, 'N1', { orderedAt: '2024-03-01', amount: 100_000 });
      const run = await admin.post('/api/v1/classification/runs', { asOf: '2024-04-30' });
      expect(run.statusCode, run.body).toBe(200);
      // O1 moves up between the runs: the second run's matrix has a move of another rep's customer.
      await seedOrder(admin, 'O1', { orderedAt: '2024-05-01', amount: 10_000_000 });
      await seedOrder(admin, 'M1', { orderedAt: '2024-05-01', amount: 800_000 });
      const again = await admin.post('/api/v1/classification/runs', { asOf: AS_OF });
      expect(again.statusCode, again.body).toBe(200);
    });
    afterAll(async () => api?.close());

    it('refuses a sales user every preview, so one-class rules cannot read another rep’s customer', async () => {
      const answers = new Set<string>();
      for (const rule of [
        'code = "O1" and total_amount * 100 >= 2000000',
        'code = "O1" and total_amount * 100 >= 99999999',
        'code = "O1" and name = "别人的大客户"',
        'code = "O1" and name = "猜错的名字"',
      ]) {
        const res = await mine.post('/api/v1/schemes/value_tier/preview', probe(rule));
        expect(res.statusCode, res.body).toBe(403);
        expect(res.json().error.code).toBe('Forbidden');
        answers.add(res.body);
      }
      // The draft (none here) is not looked at either: the refusal comes first.
      const draft = await mine.post('/api/v1/schemes/value_tier/preview', { asOf: AS_OF });
      expect(draft.statusCode).toBe(403);
      answers.add(draft.body);
      expect(answers.size).toBe(1);
      // Where the policy opens previews, the same probe works: it is a real question.
      const hit = await manager.post(
        '/api/v1/schemes/value_tier/preview',
        probe('code = "O1" and total_amount * 100 >= 2000000'),
      );
      expect(hit.statusCode, hit.body).toBe(200);
      expect(hit.json().counts).toEqual({ hit: 1, miss: 3 });
    });

    it('computes the statistics of a sales user’s list filter over their own customers only', async () => {
      const codes = async (client: ApiClient, filter: string) => {
        const res = await client.get(`/api/v1/customers?sort=code&filter=${encodeURIComponent(filter)}`);
        expect(res.statusCode, res.body).toBe(200);
        return res.json().items.map((i: { code: string }) => i.code);
      };
      // Over everyone the top spend is O1's ¥105,000; over the salesperson's it is M1's ¥11,000.
      expect(await codes(mine, 'total_amount = p(100, total_amount)')).toEqual(['M1']);
      expect(await codes(manager, 'total_amount = p(100, total_amount)')).toEqual(['O1']);
      // A threshold probe on the population maximum answers from their own customers only.
      expect(await codes(mine, 'p(100, total_amount) >= 50000')).toEqual([]);
      expect(await codes(mine, 'p(100, total_amount) >= 11000')).toEqual(['M1', 'M2']);
      expect(await codes(mine, 'avg(total_amount) = 5750')).toEqual(['M1', 'M2']);
      expect(await codes(mine, 'median(total_amount) = 5750')).toEqual(['M1', 'M2']);
    });

    it('shows a sales user run counts and transitions of their own customers only', async () => {
      const runs = (await mine.get('/api/v1/classification/runs?scheme=value_tier')).json().runs;
      expect(runs).toHaveLength(2);
      const [latest, first] = runs;
      expect(first.population).toBe(2);
      expect(first.counts).toEqual({ high: 0, medium: 1, low: 1, none: 0 });
      expect(first.transitions).toEqual({ '(none)': { medium: 1, low: 1 } });
      expect(latest.population).toBe(2);
      expect(latest.counts).toEqual({ high: 1, medium: 0, low: 1, none: 0 });
      expect(latest.transitions).toEqual({ medium: { high: 1 }, low: { low: 1 } });
      expect(latest.changed).toBe(1);
      const one = (await mine.get(`/api/v1/classification/runs/${latest.id}`)).json();
      expect(one).toEqual(latest);
      const scheme = (await mine.get('/api/v1/schemes/value_tier')).json();
      expect(scheme.lastRun).toMatchObject({
        id: latest.id,
        population: 2,
        changed: 1,
        counts: latest.counts,
      });
      const listed = (await mine.get('/api/v1/schemes')).json().schemes[0];
      expect(listed.lastRun).toEqual(scheme.lastRun);
      // A manager sees what the run stored over everyone.
      const all = (await manager.get(`/api/v1/classification/runs/${latest.id}`)).json();
      expect(all.population).toBe(4);
      expect(all.transitions).toEqual({ medium: { high: 2 }, low: { low: 2 } });
    });

    it('accepts a sales user’s customer with another rep’s phone or e-mail without saying so, and flags it', async () => {
      const before = await api.t.db
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('action', '=', 'customer.possible-duplicate')
        .executeTakeFirstOrThrow();
      expect(Number(before.n)).toBe(0);
      const taken = await mine.post('/api/v1/customers', { name: '新客户甲', phone: '13500000002' });
      const fresh = await mine.post('/api/v1/customers', { name: '新客户乙', phone: '13500000009' });
      expect(taken.statusCode, taken.body).toBe(201);
      expect(fresh.statusCode, fresh.body).toBe(201);
      // The two answers differ only in what the caller sent and the codes and times assigned.
      const shape = (body: Record<string, unknown>) =>
        Object.keys(body)
          .filter((k) => !['code', 'name', 'phone', 'createdAt', 'updatedAt'].includes(k))
          .map((k) => [k, body[k]]);
      expect(shape(taken.json())).toEqual(shape(fresh.json()));
      expect(taken.body).not.toContain('O1');
      const code = taken.json().code as string;
      const mineDetail = (await mine.get(`/api/v1/customers/${code}`)).json();
      expect(mineDetail.possibleDuplicates).toEqual([]);

      // An e-mail on an update works the same way.
      const patched = await mine.patch(`/api/v1/customers/${fresh.json().code}`, {
        version: 1,
        email: 'O1@example.com',
      });
      expect(patched.statusCode, patched.body).toBe(200);
      expect(patched.body).not.toContain('O1"');

      // The manager sees both sides and can resolve them.
      const o1 = (await manager.get('/api/v1/customers/O1')).json();
      expect(o1.possibleDuplicates).toEqual(
        expect.arrayContaining([
          { code, by: 'phone' },
          { code: fresh.json().code, by: 'email' },
        ]),
      );
      const flags = await api.t.db
        .selectFrom('audit_log')
        .select(['actor', 'entity_id', 'details'])
        .where('action', '=', 'customer.possible-duplicate')
        .orderBy('id')
        .execute();
      expect(flags.map((f) => [f.actor, f.entity_id, JSON.parse(f.details ?? '{}')])).toEqual([
        [mine.username, code, { matches: [{ code: 'O1', by: 'phone' }] }],
        [mine.username, fresh.json().code, { matches: [{ code: 'O1', by: 'email' }] }],
      ]);
      // The phone is never written into the flag.
      expect(JSON.stringify(flags)).not.toContain('13500000002');
    });

    it('still answers 409 with the code for a duplicate the caller can see', async () => {
      await admin.patch('/api/v1/customers/M2', { version: 1, phone: '13500000005' });
      const own = await mine.post('/api/v1/customers', { name: '重复', phone: '135 0000 0005' });
      expect(own.statusCode).toBe(409);
      expect(own.json().error.details).toEqual({ field: 'phone', existingCode: 'M2' });
      const byManager = await manager.post('/api/v1/customers', { name: '重复', phone: '13500000002' });
      expect(byManager.statusCode).toBe(409);
      expect(byManager.json().error.details).toEqual({ field: 'phone', existingCode: 'O1' });
    });
  });
}
