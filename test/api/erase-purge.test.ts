import fs from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, type ApiTest, openApiTest } from '../support/api.ts';
import { DIALECTS } from '../support/databases.ts';
import { seedCustomer } from './customers.seed.ts';

/** Whether `text` is still anywhere in the SQLite file or its WAL. */
function onDisk(target: string, text: string): boolean {
  return [target, `${target}-wal`].some(
    (file) => fs.existsSync(file) && fs.readFileSync(file).includes(Buffer.from(text, 'utf8')),
  );
}

for (const dialect of DIALECTS) {
  describe(`an erase purges the erased bytes on ${dialect}`, () => {
    let api: ApiTest;
    let admin: ApiClient;
    beforeAll(async () => {
      api = await openApiTest(dialect);
      admin = await api.as('admin');
    });
    afterAll(async () => api?.close());

    if (dialect === 'sqlite') {
      it('says the purge is pending while another connection reads, and finishes it once the reader is gone', async () => {
        await seedCustomer(admin, { code: 'W1', name: '周十一' });
        await admin.post('/api/v1/customers/W1/interactions', {
          channel: 'phone',
          request: '请回电周十一的私人号码',
        });
        // Another process's connection in the middle of a read transaction holds the checkpoint back.
        const reader = new Database(api.t.target, { readonly: true });
        reader.prepare('begin').run();
        reader.prepare('select count(*) from customers').get();
        try {
          const res = await admin.post('/api/v1/customers/W1/erase');
          expect(res.statusCode, res.body).toBe(200);
          expect(res.json().purge).toBe('pending');
          expect(onDisk(api.t.target, '请回电周十一的私人号码')).toBe(true);
        } finally {
          reader.prepare('commit').run();
          reader.close();
        }
        // Kelei keeps trying in the background: the text leaves the file and the WAL.
        await expect
          .poll(() => onDisk(api.t.target, '请回电周十一的私人号码'), { timeout: 20_000, interval: 250 })
          .toBe(false);
        expect(onDisk(api.t.target, '周十一')).toBe(false);
      });
    }

    it('reports a complete purge when nothing holds the database back', async () => {
      await seedCustomer(admin, { code: 'W2', name: '吴十二' });
      const res = await admin.post('/api/v1/customers/W2/erase');
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().purge).toBe('complete');
      if (dialect === 'sqlite') expect(onDisk(api.t.target, '吴十二')).toBe(false);
    });
  });
}
