import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { loadDemo } from '../../src/services/demo/demo.loader.ts';
import { dataDirOf } from '../../src/services/jobs/data-dir.ts';
import { type ApiClient, type ApiTest, openApiTest } from '../support/api.ts';
import { DIALECTS } from '../support/databases.ts';

const AS_OF = '2024-06-30';
const FORMULA_NAME = '=HYPERLINK("http://evil.example","点我")';
const PHONE = '13812345678';

async function exportAudits(
  api: ApiTest,
): Promise<Array<{ actor: string; entity: string | null; details: string | null }>> {
  return api.t.db
    .selectFrom('audit_log')
    .select(['actor', 'entity', 'details'])
    .where('action', '=', 'export')
    .orderBy('id')
    .execute();
}

function exportFiles(api: ApiTest): string[] {
  const dir = path.join(dataDirOf(loadConfig({ DATABASE_URL: api.t.target })), 'exports');
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
}

for (const dialect of DIALECTS) {
  describe(`exports API on ${dialect}`, () => {
    let api: ApiTest;
    let manager: ApiClient;
    let analyst: ApiClient;
    beforeAll(async () => {
      api = await openApiTest(dialect);
      await loadDemo({ handle: api.t, cipher: api.cipher, seed: 3, customers: 40, asOf: AS_OF });
      const now = new Date().toISOString();
      await api.t.db
        .insertInto('customers')
        .values({
          code: 'X-1',
          name: FORMULA_NAME,
          kind: 'individual',
          phone_enc: api.cipher.encrypt(PHONE),
          phone_idx: api.cipher.blindIndex(PHONE),
          consent_marketing: 0,
          opening_order_count: 0,
          opening_amount: 0,
          created_at: now,
          updated_at: now,
        })
        .execute();
      manager = await api.as('manager');
      analyst = await api.as('analyst');
      const run = await manager.post('/api/v1/classification/runs', { asOf: AS_OF });
      expect(run.statusCode).toBe(200);
    });
    afterAll(async () => api?.close());

    it('exports customers as CSV with formulas escaped, phones masked, a Chinese file name and one audit row', async () => {
      const before = (await exportAudits(api)).length;
      const res = await manager.get('/api/v1/exports/customers?format=csv');
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      const disposition = String(res.headers['content-disposition']);
      expect(disposition).toMatch(
        /^attachment; filename="customers-\d{4}-\d{2}-\d{2}\.csv"; filename\*=UTF-8''/,
      );
      expect(decodeURIComponent(disposition.split("UTF-8''")[1])).toMatch(
        /^客户基本信息表-\d{4}-\d{2}-\d{2}\.csv$/,
      );
      expect(res.body.startsWith('\uFEFF客户编号')).toBe(true);
      const line = res.body.split('\r\n').find((l) => l.startsWith('X-1,'));
      expect(line).toContain(`"'=HYPERLINK(""http://evil.example"",""点我"")"`);
      expect(line).toContain('138****5678');
      expect(res.body).not.toMatch(/1\d{10}/);
      const audits = await exportAudits(api);
      expect(audits).toHaveLength(before + 1);
      expect(audits[audits.length - 1]).toMatchObject({ actor: manager.username, entity: 'customers' });
      expect(JSON.parse(audits[audits.length - 1].details ?? '{}')).toMatchObject({
        format: 'csv',
        revealPii: false,
        rows: 41,
      });
      // The temporary file is deleted once sent: soon, however loaded the machine is.
      await expect.poll(() => exportFiles(api), { timeout: 10_000, interval: 10 }).toEqual([]);
    });

    it('reveals phones only to pii.view holders who ask for it, and audits the reveal', async () => {
      const res = await manager.get('/api/v1/exports/customers?format=csv&reveal=1');
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain(PHONE);
      const last = (await exportAudits(api)).at(-1);
      expect(JSON.parse(last?.details ?? '{}')).toMatchObject({ revealPii: true });

      const before = (await exportAudits(api)).length;
      const refused = await analyst.get('/api/v1/exports/customers?format=csv&reveal=1');
      expect(refused.statusCode).toBe(403);
      expect((await exportAudits(api)).length).toBe(before);
    });

    it('gives an analyst every table without a full phone number', async () => {
      for (const table of ['customers', 'orders', 'classification', 'plans']) {
        const before = (await exportAudits(api)).length;
        const res = await analyst.get(`/api/v1/exports/${table}?format=csv`);
        expect(res.statusCode).toBe(200);
        expect(res.body).not.toMatch(/1\d{10}/);
        expect((await exportAudits(api)).length).toBe(before + 1);
      }
      const classes = await analyst.get('/api/v1/exports/classes?format=csv&scheme=rfm8');
      expect(classes.statusCode).toBe(200);
      expect(classes.body.split('\r\n')[0]).toContain('customer_code,class_key,class_name');
      expect(decodeURIComponent(String(classes.headers['content-disposition']).split("UTF-8''")[1])).toMatch(
        /^分类结果-rfm8-/,
      );
    });

    it('masks contact details typed into names for a role without pii.view, as the screens do', async () => {
      const now = new Date().toISOString();
      await api.t.db
        .insertInto('customers')
        .values({
          code: 'X-2',
          name: '王五 139-1234-5678',
          kind: 'individual',
          consent_marketing: 0,
          opening_order_count: 0,
          opening_amount: 0,
          created_at: now,
          updated_at: now,
        })
        .execute();
      const seen = await analyst.get('/api/v1/exports/customers?format=csv');
      expect(seen.statusCode).toBe(200);
      const row = seen.body.split('\r\n').find((line) => line.startsWith('X-2,'));
      expect(row).toContain('王五 139****5678');
      expect(seen.body).not.toContain('1234-5678');
      // A role holding pii.view gets the name as it was typed.
      const full = await manager.get('/api/v1/exports/customers?format=csv');
      expect(full.body.split('\r\n').find((line) => line.startsWith('X-2,'))).toContain('王五 139-1234-5678');
    });

    it('exports the workbook of the four template tables as XLSX', async () => {
      const res = await analyst.get('/api/v1/exports/workbook?format=xlsx');
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe(
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      );
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      expect(workbook.worksheets.map((w) => w.name)).toEqual([
        '客户基本信息表',
        '客户消费记录表',
        '客户分类表',
        '客户维护计划表',
      ]);
      const customers = workbook.getWorksheet('客户基本信息表');
      let text = '';
      customers?.eachRow((row) => {
        text += `${JSON.stringify(row.values)}\n`;
      });
      expect(text).not.toMatch(/1\d{10}/);
      expect(text).toContain(`'=HYPERLINK`);
    });

    it('answers bad requests with 400/404 and no audit row', async () => {
      const before = (await exportAudits(api)).length;
      expect((await analyst.get('/api/v1/exports/workbook?format=csv')).statusCode).toBe(400);
      expect((await analyst.get('/api/v1/exports/classes?format=csv')).statusCode).toBe(400);
      const unknown = await analyst.get('/api/v1/exports/classes?format=csv&scheme=nope');
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().error.code).toBe('SchemeNotFound');
      expect((await analyst.get('/api/v1/exports/secrets')).statusCode).toBe(400);
      expect((await exportAudits(api)).length).toBe(before);
      expect(exportFiles(api)).toEqual([]);
    });

    it('refuses roles without exports.run, and sales (own customers only), writing nothing', async () => {
      for (const role of ['service', 'sales'] as const) {
        const client = await api.as(role);
        const audits = await api.t.db
          .selectFrom('audit_log')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        const res = await client.get('/api/v1/exports/customers?format=csv');
        expect(res.statusCode).toBe(403);
        expect(res.json().error.code).toBe('Forbidden');
        const after = await api.t.db
          .selectFrom('audit_log')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        expect(Number(after.n)).toBe(Number(audits.n));
      }
      expect((await api.anonymous.get('/api/v1/exports/customers')).statusCode).toBe(401);
    });
  });
}
