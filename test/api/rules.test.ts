import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, type ApiTest, openApiTest } from '../support/api.ts';
import { DIALECTS } from '../support/databases.ts';

for (const dialect of DIALECTS) {
  describe(`rules API on ${dialect}`, () => {
    let api: ApiTest;
    let analyst: ApiClient;
    beforeAll(async () => {
      api = await openApiTest(dialect);
      analyst = await api.as('analyst');
    });
    afterAll(async () => {
      await api?.close();
    });

    it('lists every field with both labels, marking PII', async () => {
      const res = await analyst.get('/api/v1/rules/fields');
      expect(res.statusCode).toBe(200);
      const items = res.json().items as { key: string; zh: string; en: string; pii: boolean }[];
      const total = items.find((f) => f.key === 'total_amount');
      expect(total).toMatchObject({ zh: '累计消费金额', en: 'Total amount', type: 'money', pii: false });
      expect(items.length).toBeGreaterThan(30);
    });

    it('accepts a Chinese rule and refuses a misspelt field with its position and a suggestion', async () => {
      const ok = await analyst.post('/api/v1/rules/check', {
        expression: '累计消费金额 >= 10000 and 最近消费天数 <= 90',
      });
      expect(ok.json()).toEqual({ ok: true });

      const bad = await analyst.post('/api/v1/rules/check', { expression: 'total_amout >= 10000' });
      expect(bad.statusCode).toBe(200);
      expect(bad.json()).toMatchObject({
        ok: false,
        error: { code: 'UnknownField', line: 1, column: 1, suggestion: 'total_amount' },
      });

      const typed = await analyst.post('/api/v1/rules/check', { expression: 'region >= 5' });
      expect(typed.json()).toMatchObject({ ok: false, error: { code: 'TypeMismatch' } });
    });

    it('needs a signed-in caller', async () => {
      const res = await api.app.inject({ method: 'GET', url: '/api/v1/rules/fields' });
      expect(res.statusCode).toBe(401);
    });
  });
}
