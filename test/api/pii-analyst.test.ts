import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findField } from '../../src/core/fields.ts';
import { type ApiClient, type ApiTest, openApiTest } from '../support/api.ts';
import { DIALECTS } from '../support/databases.ts';
import { leakedFields, piiLeaks } from '../support/pii-detector.ts';
import { CANARY_PHONES, classify, seedCustomer, seedOrder } from './customers.seed.ts';

const [PHONE, ALT_PHONE, NOTE_PHONE, COMMENT_PHONE] = CANARY_PHONES;
// How people type numbers and addresses into notes: the scrubber must hide every one of them.
const REQUEST_TEXT =
  '换号了，新号码 +86 186-0000-1111，座机 (010) 6552-8888，旧号 １３７．００００．２２２２，' +
  '邮箱 wangwu@example.com，备用 wangwu＠example．com';
const SOLUTION_TEXT = '已回电（１５８）８７６５ ４３２１，转 0755 8888 9999';

for (const dialect of DIALECTS) {
  describe(`an analyst never sees PII on ${dialect}`, () => {
    let api: ApiTest;
    let admin: ApiClient;
    let analyst: ApiClient;
    const ids: Record<string, number> = {};

    beforeAll(async () => {
      api = await openApiTest(dialect);
      admin = await api.as('admin');
      analyst = await api.as('analyst');
      await seedCustomer(admin, {
        code: 'P1',
        name: '王五',
        phone: PHONE,
        email: 'wangwu@example.com',
        address: `北京市朝阳区建国路88号 ${ALT_PHONE}`,
        region: '华北',
        city: '北京',
        preference: `偏好电话联系 ${ALT_PHONE}`,
        attributes: { 备用电话: ALT_PHONE, 身份证号: '110101199003071234', 备注: 'mail wangwu@example.com' },
      });
      await seedCustomer(admin, { code: 'P2', name: '赵六', phone: ALT_PHONE, region: '华东' });
      ids.order = await seedOrder(admin, 'P1', { orderedAt: '2024-05-01 10:00', amount: 1_500_000 });
      const interaction = await admin.post('/api/v1/customers/P1/interactions', {
        channel: 'phone',
        subject: `客户来电，回拨 ${NOTE_PHONE}`,
        request: REQUEST_TEXT,
        solution: SOLUTION_TEXT,
      });
      ids.interaction = interaction.json().id;
      const feedback = await admin.post('/api/v1/customers/P1/feedback', {
        kind: 'complaint',
        satisfaction: 2,
        comment: `请尽快回电 ${COMMENT_PHONE}`,
        suggestion: '联系 ＋８６ １３９ １２３４ ５６７８ 或 wangwu＠example.com',
      });
      ids.feedback = feedback.json().id;
      // A rule that quotes a phone number: its explanation must reach the analyst scrubbed.
      const quoting = await admin.post('/api/v1/schemes', {
        definition: {
          key: 'not_the_canary',
          name: { zh: '非测试号码', en: 'Not the canary' },
          classes: [
            { key: 'other', name: { zh: '其他', en: 'Other' }, rule: `name != "${PHONE}"` },
            { key: 'rest', name: { zh: '其余', en: 'Rest' }, rule: 'true' },
          ],
        },
      });
      expect(quoting.statusCode, quoting.body).toBe(201);
      await classify(api);
    });
    afterAll(async () => api?.close());

    it('seeds the canaries where a pii.view holder does see them (the sweep below is meaningful)', async () => {
      const notes = (await admin.get('/api/v1/customers/P1/interactions')).json();
      expect(notes.items).toHaveLength(1);
      expect(notes.items[0]).toMatchObject({ request: REQUEST_TEXT, solution: SOLUTION_TEXT });
      expect(notes.items[0].subject).toContain(NOTE_PHONE);
      const feedback = (await admin.get('/api/v1/customers/P1/feedback')).json();
      expect(feedback.items).toHaveLength(1);
      expect(feedback.items[0].comment).toContain(COMMENT_PHONE);
      // the detector sees every canary the admin is shown
      for (const text of [
        REQUEST_TEXT,
        SOLUTION_TEXT,
        feedback.items[0].suggestion,
        notes.items[0].subject,
      ]) {
        expect(piiLeaks(text), text).not.toEqual([]);
      }
      const shown = leakedFields((await admin.get('/api/v1/customers/P1')).json());
      expect(shown.map((field) => field.slice(0, field.indexOf(':')))).toEqual([
        '.customer.preference',
        '.customer.attributes.备用电话',
        '.customer.attributes.身份证号',
        '.customer.attributes.备注',
        // the canary scheme's rule quotes a phone number: its explanation shows it to a pii.view holder
        '.classes.4.why.zh.0',
        '.classes.4.why.en.0',
        '.classes.4.steps.0.rule',
        '.classes.4.steps.0.lines.zh.0',
        '.classes.4.steps.0.lines.en.0',
        '.classes.4.steps.0.conditions.0.rule.zh',
        '.classes.4.steps.0.conditions.0.rule.en',
        '.classes.4.steps.0.conditions.0.values.1.label.zh',
        '.classes.4.steps.0.conditions.0.values.1.label.en',
        '.classes.4.steps.0.conditions.0.values.1.value.zh',
        '.classes.4.steps.0.conditions.0.values.1.value.en',
      ]);
    });

    it('masks PII in every response of every customers and activities route', async () => {
      const get = (url: string) => analyst.get(url);
      const calls: [string, Promise<LightMyRequestResponse>, number][] = [
        ['list', get('/api/v1/customers'), 200],
        ['list by name', get(`/api/v1/customers?q=${encodeURIComponent('王五')}`), 200],
        ['list by phone-like text', get(`/api/v1/customers?q=${PHONE}`), 200],
        ['list sorted', get('/api/v1/customers?sort=total_amount&dir=desc'), 200],
        ['list by rule', get(`/api/v1/customers?filter=${encodeURIComponent('累计消费金额 >= 10000')}`), 200],
        ['list by class', get('/api/v1/customers?scheme=value_tier&classKey=high'), 200],
        [
          'list bad rule',
          get(`/api/v1/customers?filter=${encodeURIComponent(`name = "${PHONE}" and`)}`),
          400,
        ],
        [
          'rule quoting a phone',
          get(`/api/v1/customers?filter=${encodeURIComponent(`name = ${PHONE}`)}`),
          400,
        ],
        ['rule naming a phone', get(`/api/v1/customers?filter=${encodeURIComponent(`x${PHONE} > 1`)}`), 400],
        ['search by phone', get(`/api/v1/customers?phone=${PHONE}`), 403],
        ['search by email', get('/api/v1/customers?email=wangwu@example.com'), 403],
        ['detail', get('/api/v1/customers/P1'), 200],
        ['classes', get('/api/v1/customers/P1/classes'), 200],
        ['missing', get(`/api/v1/customers/${PHONE}`), 404],
        ['orders', get('/api/v1/customers/P1/orders'), 200],
        ['interactions', get('/api/v1/customers/P1/interactions'), 200],
        ['feedback', get('/api/v1/customers/P1/feedback'), 200],
        ['create', analyst.post('/api/v1/customers', { code: 'X', phone: PHONE }), 403],
        ['update', analyst.patch('/api/v1/customers/P1', { version: 1, phone: PHONE }), 403],
        ['reveal', analyst.post('/api/v1/customers/P1/reveal'), 403],
        [
          'add order',
          analyst.post('/api/v1/customers/P1/orders', { orderedAt: '2024-01-01', amount: 1 }),
          403,
        ],
        ['change order', analyst.patch(`/api/v1/orders/${ids.order}`, { amount: 1 }), 403],
        ['delete order', analyst.delete(`/api/v1/orders/${ids.order}`), 403],
        ['add interaction', analyst.post('/api/v1/customers/P1/interactions', { subject: PHONE }), 403],
        [
          'change interaction',
          analyst.patch(`/api/v1/interactions/${ids.interaction}`, { subject: 'x' }),
          403,
        ],
        ['delete interaction', analyst.delete(`/api/v1/interactions/${ids.interaction}`), 403],
        ['add feedback', analyst.post('/api/v1/customers/P1/feedback', { comment: PHONE }), 403],
        ['change feedback', analyst.patch(`/api/v1/feedback/${ids.feedback}`, { comment: 'x' }), 403],
        ['delete feedback', analyst.delete(`/api/v1/feedback/${ids.feedback}`), 403],
        ['privacy export', get('/api/v1/customers/P1/privacy-export'), 403],
        ['erase', analyst.post('/api/v1/customers/P1/erase'), 403],
      ];
      let fields = 0;
      for (const [name, pending, status] of calls) {
        const res = await pending;
        expect(res.statusCode, `${name}: ${res.body}`).toBe(status);
        const body = res.json();
        // every text field of the answer, checked with a detector broader than the scrubber
        expect(leakedFields(body), name).toEqual([]);
        fields += textFieldCount(body);
        for (const canary of [...CANARY_PHONES, '18600001111', '01065528888', '110101199003071234']) {
          expect(digitsOf(res.body), `${name} shows ${canary}`).not.toContain(canary);
        }
        expect(res.body.normalize('NFKC'), name).not.toContain('wangwu@example');
      }
      expect(fields).toBeGreaterThan(100);
    });

    it('shows masked values the analyst can still work with', async () => {
      const list = (await analyst.get('/api/v1/customers?sort=code')).json();
      expect(list.items[0]).toMatchObject({ code: 'P1', phone: '139****5678', email: 'w***@example.com' });
      const detail = (await analyst.get('/api/v1/customers/P1')).json();
      expect(detail.customer.attributes.备用电话).toBe('158****4321');
      expect(detail.customer.address).toBe('北京市朝阳区***');
      expect(detail.canReveal).toBe(false);
      const notes = (await analyst.get('/api/v1/customers/P1/interactions')).json();
      expect(notes.items).toHaveLength(1);
      expect(notes.items[0].subject).toBe('客户来电，回拨 186****1111');
      expect(notes.items[0].request).toBe(
        '换号了，新号码 186****1111，座机 010****8888，旧号 137****2222，邮箱 w***@example.com，备用 w***＠example．com',
      );
      expect(notes.items[0].solution).toBe('已回电158****4321，转 075*****9999');
      const feedback = (await analyst.get('/api/v1/customers/P1/feedback')).json();
      expect(feedback.items).toHaveLength(1);
      expect(feedback.items[0].suggestion).toBe('联系 139****5678 或 w***＠example.com');
      // The classes route shows the same scrubbed explanation as the detail.
      const classes = (await analyst.get('/api/v1/customers/P1/classes')).json();
      const quoting = classes.schemes.find((s: { schemeKey: string }) => s.schemeKey === 'not_the_canary');
      expect(quoting.classKey).toBe('other');
      expect(quoting.explanation.steps[0].rule).toBe('name != "139****5678"');
      const inDetail = detail.classes.find((c: { schemeKey: string }) => c.schemeKey === 'not_the_canary');
      expect(quoting.explanation.lines).toEqual(inDetail.why);
      expect(quoting.explanation.lines.en.join(' ')).toContain('139****5678');
    });

    it('refuses filtering and sorting on a field the registry marks as PII', async () => {
      const city = findField('city');
      if (!city) throw new Error('city is in the registry');
      city.pii = true;
      try {
        const filter = await analyst.get(`/api/v1/customers?filter=${encodeURIComponent('城市 = "北京"')}`);
        expect(filter.statusCode).toBe(403);
        expect(filter.json().error.code).toBe('Forbidden');
        expect((await analyst.get('/api/v1/customers?sort=city')).statusCode).toBe(403);
        const allowed = await admin.get(`/api/v1/customers?filter=${encodeURIComponent('城市 = "北京"')}`);
        expect(allowed.json().total).toBe(1);
      } finally {
        delete city.pii;
      }
    });
  });
}

/** The digits of a text once full-width forms are read as ASCII and every separator is dropped. */
function digitsOf(text: string): string {
  return text.normalize('NFKC').replace(/[\s\-.()（）+]/g, '');
}

function textFieldCount(value: unknown): number {
  if (typeof value === 'string') return 1;
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + textFieldCount(v), 0);
  if (value !== null && typeof value === 'object') {
    return Object.values(value).reduce((n: number, v) => n + textFieldCount(v), 0);
  }
  return 0;
}
