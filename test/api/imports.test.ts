import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/build-app.ts';
import { loadConfig } from '../../src/config.ts';
import { dataDirOf } from '../../src/services/jobs/data-dir.ts';
import { minimalWorkbookParts, writeZip } from '../import-readers/reader-test-support.ts';
import { type ApiClient, type ApiTest, openApiTest } from '../support/api.ts';
import { DIALECTS } from '../support/databases.ts';

/** A multipart/form-data body built the way a browser builds it. */
async function multipart(
  fields: Record<string, string>,
  file?: { name: string; data: Buffer },
): Promise<{ payload: Buffer; headers: Record<string, string> }> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (file) form.append('file', new Blob([new Uint8Array(file.data)]), file.name);
  const response = new Response(form);
  return {
    payload: Buffer.from(await response.arrayBuffer()),
    headers: { 'content-type': response.headers.get('content-type') ?? '' },
  };
}

async function upload(
  client: ApiClient,
  fields: Record<string, string>,
  file?: { name: string; data: Buffer },
  app?: FastifyInstance,
): Promise<LightMyRequestResponse> {
  const body = await multipart(fields, file);
  const options = {
    method: 'POST' as const,
    url: '/api/v1/imports',
    payload: body.payload,
    headers: { ...client.headers, ...body.headers },
  };
  return app ? app.inject(options) : client.inject(options);
}

async function pollJob(client: ApiClient, jobId: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 200; i++) {
    const res = await client.get(`/api/v1/imports/jobs/${jobId}`);
    expect(res.statusCode).toBe(200);
    const job = res.json();
    if (job.status !== 'running') return job;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`job ${jobId} still running`);
}

const CUSTOMERS_CSV = Buffer.from(
  '客户编号,姓名,手机,地区\r\nC001,张三,13800138000,华东\r\nC002,李四,13900139000,华北\r\nC003,王五,12345,华南\r\n',
  'utf8',
);

async function ordersXlsx(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('订单');
  sheet.addRow(['订单号', '客户编号', '消费时间', '消费金额', '产品']);
  sheet.addRow(['O-1', 'C001', '2024-05-01', 120.5, '茶叶']);
  sheet.addRow(['O-2', 'C001', '2024-06-01', 80, '茶具']);
  sheet.addRow(['O-3', 'C009', '2024-06-02', 99, '茶叶']);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

async function tableCounts(api: ApiTest): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of ['customers', 'orders', 'import_jobs', 'audit_log'] as const) {
    const row = await api.t.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    out[table] = Number(row.n);
  }
  return out;
}

function uploadsDir(api: ApiTest): string {
  return path.join(dataDirOf(loadConfig({ DATABASE_URL: api.t.target })), 'uploads');
}

function uploadDirs(api: ApiTest): string[] {
  const dir = uploadsDir(api);
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
}

for (const dialect of DIALECTS) {
  describe(`imports API on ${dialect}`, () => {
    let api: ApiTest;
    let manager: ApiClient;
    beforeAll(async () => {
      api = await openApiTest(dialect);
      manager = await api.as('manager');
    });
    afterAll(async () => api?.close());

    it('uploads a CSV, dry-runs it, commits in the background and serves the error report', async () => {
      const res = await upload(
        manager,
        { entity: 'customers' },
        { name: '客户名单.csv', data: CUSTOMERS_CSV },
      );
      expect(res.statusCode).toBe(201);
      const up = res.json();
      expect(up).toMatchObject({
        entity: 'customers',
        fileName: '客户名单.csv',
        format: 'csv',
        delimiter: ',',
        headers: ['客户编号', '姓名', '手机', '地区'],
        mapping: { code: '客户编号', name: '姓名', phone: '手机', region: '地区' },
        missing: [],
      });
      expect(up.encoding).toMatch(/utf-?8/i);
      expect(up.sample[0]).toEqual(['C001', '张三', '13800138000', '华东']);
      expect(up.fields.find((f: { key: string }) => f.key === 'code')).toMatchObject({ required: true });
      expect(up).toMatchObject({
        headerRow: 1,
        rowCount: { count: 3, kind: 'exact' },
        requirements: [{ anyOf: [['code']] }],
      });
      // The upload is kept on disk under its own directory, not in memory.
      expect(uploadDirs(api)).toContain(up.id);

      const dry = await manager.post(`/api/v1/imports/${up.id}/dry-run`, {});
      expect(dry.statusCode).toBe(200);
      expect(dry.json()).toMatchObject({
        dryRun: true,
        committed: false,
        fileName: '客户名单.csv',
        counts: { rows: 3, new: 2, invalid: 1 },
        hasErrorReport: true,
      });
      expect(dry.json().errors[0]).toMatchObject({ row: 4, column: '手机' });
      expect((await tableCounts(api)).customers).toBe(0);
      const dryErrors = await manager.get(`/api/v1/imports/${up.id}/errors`);
      expect(dryErrors.statusCode).toBe(200);
      expect(dryErrors.body).toContain('12345');

      const auditBefore = (await tableCounts(api)).audit_log;
      const commit = await manager.post(`/api/v1/imports/${up.id}/commit`, { skipInvalid: true });
      expect(commit.statusCode).toBe(202);
      const { jobId, statusUrl } = commit.json();
      expect(statusUrl).toBe(`/api/v1/imports/jobs/${jobId}`);
      const job = await pollJob(manager, jobId);
      expect(job).toMatchObject({
        status: 'done',
        progress: { rows: 3 },
        error: null,
        report: { committed: true, counts: { new: 2, invalid: 1 } },
        errorsUrl: `/api/v1/imports/jobs/${jobId}/errors`,
      });
      const counts = await tableCounts(api);
      expect(counts.customers).toBe(2);
      expect(counts.audit_log).toBe(auditBefore + 1);
      const entry = await api.t.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'import.commit')
        .executeTakeFirstOrThrow();
      expect(entry.actor).toBe(manager.username);
      expect(JSON.parse(entry.details ?? '{}')).toMatchObject({ committed: true, entity: 'customers' });

      const errors = await manager.get(`/api/v1/imports/jobs/${jobId}/errors`);
      expect(errors.statusCode).toBe(200);
      expect(errors.headers['content-type']).toMatch(/^text\/csv/);
      expect(errors.headers['content-disposition']).toContain("filename*=UTF-8''");
      expect(errors.body).toContain('12345');
      expect(errors.body.split('\n')[0]).toContain('row,column,value,reason');

      // Committed: the upload is gone, and so is its file.
      expect((await manager.get(`/api/v1/imports/${up.id}`)).statusCode).toBe(404);
      expect(uploadDirs(api)).not.toContain(up.id);
    });

    it('imports orders from an XLSX workbook written by exceljs', async () => {
      const res = await upload(
        manager,
        { entity: 'orders' },
        { name: 'orders.xlsx', data: await ordersXlsx() },
      );
      expect(res.statusCode).toBe(201);
      const up = res.json();
      expect(up).toMatchObject({
        format: 'xlsx',
        sheet: '订单',
        encoding: null,
        missing: [],
        headerRow: 1,
        rowCount: { count: 3, kind: 'exact' },
      });
      // Orders need an amount, or a quantity and a unit price.
      expect(up.requirements).toContainEqual({ anyOf: [['amount'], ['quantity', 'unit_price']] });
      expect(up.mapping).toMatchObject({ order_no: '订单号', customer_code: '客户编号', amount: '消费金额' });

      const dry = await manager.post(`/api/v1/imports/${up.id}/dry-run`, {});
      expect(dry.json()).toMatchObject({ counts: { rows: 3, new: 3, invalid: 0 }, hasErrorReport: false });

      const commit = await manager.post(`/api/v1/imports/${up.id}/commit`, {});
      const job = await pollJob(manager, commit.json().jobId);
      expect(job).toMatchObject({ status: 'done', report: { committed: true, counts: { new: 3 } } });
      expect((await tableCounts(api)).orders).toBe(3);
      expect((await manager.get(`/api/v1/imports/jobs/${commit.json().jobId}/errors`)).statusCode).toBe(404);
    });

    it('keeps the upload when a commit finds invalid rows, and commits nothing', async () => {
      const up = (
        await upload(manager, { entity: 'customers' }, { name: 'again.csv', data: CUSTOMERS_CSV })
      ).json();
      const before = await tableCounts(api);
      const commit = await manager.post(`/api/v1/imports/${up.id}/commit`);
      const job = await pollJob(manager, commit.json().jobId);
      expect(job).toMatchObject({ status: 'done', report: { committed: false, counts: { invalid: 1 } } });
      expect((await tableCounts(api)).customers).toBe(before.customers);
      expect((await manager.get(`/api/v1/imports/${up.id}`)).statusCode).toBe(200);
      expect((await manager.delete(`/api/v1/imports/${up.id}`)).statusCode).toBe(200);
      expect(uploadDirs(api)).not.toContain(up.id);
    });

    it('answers a bad mapping with 400 before any job starts', async () => {
      const up = (
        await upload(manager, { entity: 'customers' }, { name: 'm.csv', data: CUSTOMERS_CSV })
      ).json();
      const res = await manager.post(`/api/v1/imports/${up.id}/commit`, { mapping: { code: '不存在的列' } });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('MappingError');
      const bad = await upload(
        manager,
        { entity: 'customers', mapping: '{not json' },
        { name: 'm.csv', data: CUSTOMERS_CSV },
      );
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.code).toBe('MappingError');
      const noEntity = await upload(manager, {}, { name: 'm.csv', data: CUSTOMERS_CSV });
      expect(noEntity.statusCode).toBe(400);
      expect(noEntity.json().error.message_zh).toContain('entity');
      const noFile = await upload(manager, { entity: 'customers' });
      expect(noFile.statusCode).toBe(400);
      const unmapped = await manager.post(`/api/v1/imports/${up.id}/dry-run`, { mapping: { code: '' } });
      expect(unmapped.statusCode).toBe(400);
      expect(unmapped.json().error).toMatchObject({ code: 'MappingError' });
      expect(unmapped.json().error.message_zh).toContain('客户编号');
    });

    it('answers a multipart body cut off in the middle of the file with 400', async () => {
      const body = await multipart({ entity: 'customers' }, { name: 'cut.csv', data: CUSTOMERS_CSV });
      const res = await manager.inject({
        method: 'POST',
        url: '/api/v1/imports',
        payload: body.payload.subarray(0, body.payload.length - 60),
        headers: body.headers,
      });
      expect(res.statusCode).toBe(400);
      expect(res.body).not.toMatch(/at .+:\d+:\d+/);
    });

    it('refuses an upload over the size limit with 413 and keeps nothing', async () => {
      const small = await buildApp({
        handle: api.t,
        config: loadConfig({ DATABASE_URL: api.t.target }),
        clock: () => new Date(),
        cipher: api.cipher,
        logger: false,
        maxUploadBytes: 1024,
      });
      try {
        const before = uploadDirs(api).length;
        const big = Buffer.from(`客户编号,姓名\r\n${'C1,名字\r\n'.repeat(400)}`, 'utf8');
        const res = await upload(manager, { entity: 'customers' }, { name: 'big.csv', data: big }, small);
        expect(res.statusCode).toBe(413);
        expect(res.json().error.code).toBe('PayloadTooLarge');
        expect(uploadDirs(api).length).toBe(before);
      } finally {
        await small.close();
      }
    });

    it('answers a corrupt XLSX and a decompression bomb with 400 and a clear code', async () => {
      const corrupt = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(2000, 7)]);
      const res = await upload(manager, { entity: 'customers' }, { name: 'broken.xlsx', data: corrupt });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('UnreadableFile');
      expect(res.json().error.message).toContain('broken.xlsx');

      const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'kelei-bomb-'));
      try {
        const file = path.join(scratch, 'bomb.xlsx');
        const row = '<row><c t="inlineStr"><is><t>0</t></is></c></row>';
        writeZip(
          file,
          minimalWorkbookParts(
            Buffer.from(
              `<worksheet><sheetData>${row.repeat(Math.ceil(80_000_000 / row.length))}</sheetData></worksheet>`,
            ),
          ),
        );
        const bomb = await upload(
          manager,
          { entity: 'customers' },
          { name: 'bomb.xlsx', data: fs.readFileSync(file) },
        );
        expect(bomb.statusCode).toBe(400);
        expect(bomb.json().error).toMatchObject({ code: 'UnreadableFile', details: { reason: 'zip_bomb' } });
      } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
      }
    });

    it('refuses roles without imports.run, changing nothing', async () => {
      for (const role of ['analyst', 'sales', 'service'] as const) {
        const client = await api.as(role);
        const before = await tableCounts(api);
        const dirs = uploadDirs(api).length;
        const res = await upload(client, { entity: 'customers' }, { name: 'x.csv', data: CUSTOMERS_CSV });
        expect(res.statusCode).toBe(403);
        expect(res.json().error.code).toBe('Forbidden');
        expect(await tableCounts(api)).toEqual(before);
        expect(uploadDirs(api).length).toBe(dirs);
      }
      const anon = await upload(
        api.anonymous,
        { entity: 'customers' },
        { name: 'x.csv', data: CUSTOMERS_CSV },
      );
      expect(anon.statusCode).toBe(401);
    });

    it('lists recent imports with status, counts and who committed them', async () => {
      const up = (
        await upload(manager, { entity: 'customers' }, { name: '历史.csv', data: CUSTOMERS_CSV })
      ).json();
      await manager.post(`/api/v1/imports/${up.id}/dry-run`, {});
      const job = await pollJob(
        manager,
        (await manager.post(`/api/v1/imports/${up.id}/commit`, { skipInvalid: true })).json().jobId,
      );
      const res = await manager.get('/api/v1/imports/history?limit=5');
      expect(res.statusCode).toBe(200);
      const { items } = res.json();
      expect(items.length).toBeLessThanOrEqual(5);
      // Newest first; dry runs are left out unless asked for.
      expect(items[0]).toMatchObject({
        id: (job.report as { importJobId: number }).importJobId,
        entity: 'customers',
        fileName: '历史.csv',
        status: 'committed',
        counts: { rows: 3, invalid: 1 },
        actor: manager.username,
      });
      expect(items.some((i: { status: string }) => i.status === 'dry_run')).toBe(false);
      const withDry = (await manager.get('/api/v1/imports/history?dryRuns=true&limit=100')).json().items;
      expect(withDry.some((i: { status: string; actor: string | null }) => i.status === 'dry_run')).toBe(
        true,
      );
      expect((await manager.get('/api/v1/imports/history?limit=0')).statusCode).toBe(400);
    });

    it('refuses a file with a header but no data rows, in a sentence naming the file', async () => {
      const res = await upload(
        manager,
        { entity: 'customers' },
        { name: '空表.csv', data: Buffer.from('客户编号,姓名\r\n', 'utf8') },
      );
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'EmptyFile' });
      expect(res.json().error.message_zh).toContain('空表.csv');
      expect(res.json().error.message_zh).not.toMatch(/[\\/]uploads[\\/]/);
    });

    it("hides one manager's uploads and jobs from another", async () => {
      const up = (
        await upload(manager, { entity: 'customers' }, { name: 'mine.csv', data: CUSTOMERS_CSV })
      ).json();
      const other = await api.as('manager');
      expect((await other.post(`/api/v1/imports/${up.id}/dry-run`, {})).statusCode).toBe(404);
      const admin = await api.as('admin');
      expect((await admin.get(`/api/v1/imports/${up.id}`)).statusCode).toBe(200);
    });
  });
}

for (const dialect of DIALECTS) {
  describe(`import progress on ${dialect}`, () => {
    let api: ApiTest;
    let manager: ApiClient;
    beforeAll(async () => {
      api = await openApiTest(dialect);
      manager = await api.as('manager');
    });
    afterAll(async () => api?.close());

    it('reports live progress while a long commit runs, to cookie and token callers alike', async () => {
      const lines = ['订单号,客户编号,下单时间,金额'];
      for (let i = 0; i < 60_000; i++)
        lines.push(`P${i},P${i % 5000},2024-03-0${(i % 9) + 1},${(i % 500) + 1}`);
      const up = await upload(
        manager,
        { entity: 'orders' },
        { name: 'big.csv', data: Buffer.from(lines.join('\n')) },
      );
      expect(up.statusCode).toBe(201);
      // Counted exactly when quick, else estimated from the line breaks: never off by much.
      const { rowCount } = up.json();
      expect(['exact', 'estimate']).toContain(rowCount.kind);
      expect(Math.abs(rowCount.count - 60_000)).toBeLessThanOrEqual(1);
      const started = await manager.post(`/api/v1/imports/${up.json().id}/commit`, {});
      expect(started.statusCode).toBe(202);
      const token = await api.asToken('manager');
      const seen: number[] = [];
      let job: Record<string, unknown> = {};
      for (let i = 0; i < 2000; i++) {
        const res = await (i % 2 ? token : manager).get(`/api/v1/imports/jobs/${started.json().jobId}`);
        // job status belongs to the uploader; the token caller must at least get past sign-in at once
        expect(res.statusCode === 200 || res.statusCode === 404).toBe(true);
        if (res.statusCode !== 200) continue;
        job = res.json();
        if (job.status !== 'running') break;
        seen.push((job.progress as { rows: number }).rows);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(job.status).toBe('done');
      // Polls were answered while the commit ran, and the row count moved forward as it read.
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.some((rows) => rows > 0)).toBe(true);
      expect(seen.every((rows, i) => i === 0 || rows >= seen[i - 1])).toBe(true);
    });
  });
}
