import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, type ApiTest, openApiTest } from '../support/api.ts';
import { DIALECTS } from '../support/databases.ts';
import { CANARY_PHONES, classify, seedCustomer, seedOrder } from './customers.seed.ts';

const [PHONE, OTHER_PHONE] = CANARY_PHONES;
const EMAIL = 'qianba@example.com';

for (const dialect of DIALECTS) {
  describe(`privacy requests on ${dialect}`, () => {
    let api: ApiTest;
    let admin: ApiClient;

    const auditRows = (action: string) =>
      api.t.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', action)
        .where('entity_id', '=', 'E1')
        .execute();

    beforeAll(async () => {
      api = await openApiTest(dialect);
      admin = await api.as('admin');
      await seedCustomer(admin, {
        code: 'E1',
        name: '钱八',
        phone: PHONE,
        email: EMAIL,
        address: '广东省深圳市南山区科技园1号',
        birthDate: '1985-07-01',
        region: '华南',
        attributes: { 微信: 'qianba_wx' },
      });
      await seedCustomer(admin, { code: 'E2', name: '孙九', phone: OTHER_PHONE });
      await seedOrder(admin, 'E1', { orderedAt: '2024-05-01 10:00', amount: 1_500_000, product: '茶具' });
      await seedOrder(admin, 'E1', { orderedAt: '2024-06-01 10:00', amount: 300_000 });
      await admin.post('/api/v1/customers/E1/interactions', { channel: 'phone', request: '请致电客户本人' });
      await admin.post('/api/v1/customers/E1/feedback', { satisfaction: 5, comment: '钱八很满意' });
      await classify(api);
    });
    afterAll(async () => api?.close());

    it('exports everything held on a customer, PII decrypted, audited', async () => {
      const res = await admin.get('/api/v1/customers/E1/privacy-export');
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-disposition']).toContain('customer-E1.json');
      const data = res.json();
      expect(data.customer).toMatchObject({
        code: 'E1',
        name: '钱八',
        phone: PHONE,
        email: EMAIL,
        address: '广东省深圳市南山区科技园1号',
        birthDate: '1985-07-01',
        attributes: { 微信: 'qianba_wx' },
      });
      expect(data.orders).toHaveLength(2);
      expect(data.interactions[0].request).toBe('请致电客户本人');
      expect(data.feedback[0].comment).toBe('钱八很满意');
      expect(data.metrics).toMatchObject({ totalAmount: 1_800_000 });
      expect(data.classes.map((c: { schemeKey: string }) => c.schemeKey)).toContain('value_tier');
      expect(data.classHistory.length).toBeGreaterThan(0);
      const audits = await auditRows('privacy.export');
      expect(audits).toHaveLength(1);
      expect(audits[0].details ?? '').not.toContain(PHONE);

      const manager = await api.as('manager');
      expect((await manager.get('/api/v1/customers/E1/privacy-export')).statusCode).toBe(403);
      expect(await auditRows('privacy.export')).toHaveLength(1);
    });

    it('erases PII, keeps anonymised orders and metrics, and the person cannot be found again', async () => {
      const manager = await api.as('manager');
      expect((await manager.post('/api/v1/customers/E1/erase')).statusCode).toBe(403);
      expect((await admin.get(`/api/v1/customers?phone=${PHONE}`)).json().total).toBe(1);

      const res = await admin.post('/api/v1/customers/E1/erase');
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({
        code: 'E1',
        alreadyErased: false,
        kept: { orders: 2, interactions: 1 },
      });

      expect((await admin.get(`/api/v1/customers?phone=${PHONE}`)).json().total).toBe(0);
      expect((await admin.get(`/api/v1/customers?email=${EMAIL}`)).json().total).toBe(0);
      expect((await admin.get(`/api/v1/customers?q=${encodeURIComponent('钱八')}`)).json().total).toBe(0);
      expect((await admin.get(`/api/v1/customers?q=${PHONE}`)).json().total).toBe(0);
      expect((await admin.get('/api/v1/customers/E1')).statusCode).toBe(404);
      expect((await admin.post('/api/v1/customers/E1/reveal')).statusCode).toBe(404);
      expect((await admin.get('/api/v1/customers/E1/orders')).statusCode).toBe(404);

      const row = await api.t.db
        .selectFrom('customers')
        .selectAll()
        .where('code', '=', 'E1')
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({
        name: '已删除客户',
        phone_enc: null,
        phone_idx: null,
        email_enc: null,
        email_idx: null,
        address_enc: null,
        birth_date: null,
        attributes: null,
      });
      expect(row.erased_at).not.toBeNull();
      const orders = await api.t.db
        .selectFrom('orders')
        .selectAll()
        .where('customer_id', '=', row.id)
        .execute();
      expect(orders.map((o) => Number(o.amount)).sort()).toEqual([1_500_000, 300_000].sort());
      const metrics = await api.t.db
        .selectFrom('customer_metrics')
        .selectAll()
        .where('customer_id', '=', row.id)
        .executeTakeFirstOrThrow();
      expect(Number(metrics.total_amount)).toBe(1_800_000);
      const notes = await api.t.db
        .selectFrom('interactions')
        .selectAll()
        .where('customer_id', '=', row.id)
        .execute();
      expect(notes[0].request).toBeNull();

      // What is left can still be exported; PII is gone from it.
      const left = (await admin.get('/api/v1/customers/E1/privacy-export')).json();
      expect(left.customer).toMatchObject({ name: '已删除客户', phone: null, email: null, address: null });
      expect(JSON.stringify(left)).not.toContain(PHONE);

      expect(await auditRows('customer.erase')).toHaveLength(1);
      const again = await admin.post('/api/v1/customers/E1/erase');
      expect(again.json()).toMatchObject({ alreadyErased: true, erasedAt: res.json().erasedAt });
      expect(await auditRows('customer.erase')).toHaveLength(1);
      // The other customer is untouched.
      expect((await admin.get(`/api/v1/customers?phone=${OTHER_PHONE}`)).json().total).toBe(1);
    });

    if (dialect === 'sqlite') {
      it('leaves no canary phone number in plain text in the database file or its WAL', () => {
        for (const file of [api.t.target, `${api.t.target}-wal`]) {
          if (!fs.existsSync(file)) continue;
          const bytes = fs.readFileSync(file);
          for (const phone of CANARY_PHONES) {
            expect(bytes.includes(Buffer.from(phone, 'utf8')), `${phone} in ${file}`).toBe(false);
          }
          expect(bytes.includes(Buffer.from(EMAIL, 'utf8')), `${EMAIL} in ${file}`).toBe(false);
        }
      });

      // Free text about a person (name, notes, comments) is stored in plain text; after the erase,
      // secure_delete and the WAL checkpoint leave no old copy of it on disk.
      it('leaves no erased free text in the database file or its WAL', () => {
        for (const file of [api.t.target, `${api.t.target}-wal`]) {
          if (!fs.existsSync(file)) continue;
          const bytes = fs.readFileSync(file);
          for (const text of ['钱八', '请致电客户本人', '钱八很满意']) {
            expect(bytes.includes(Buffer.from(text, 'utf8')), `${text} in ${file}`).toBe(false);
          }
        }
      });
    }
  });
}
