import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqlite } from '../../src/db/dialects/sqlite/sqlite-open.ts';

describe('SQLite database files', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kelei-sqlite-file-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('creates a new file with 16 KB pages in WAL mode', async () => {
    const file = path.join(dir, 'new.db');
    const { db, raw } = openSqlite(file);
    raw.exec('create table probe (x integer)');
    expect(raw.pragma('page_size', { simple: true })).toBe(16384);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    await db.destroy();
    const again = new SQLite(file, { readonly: true });
    expect(again.pragma('page_size', { simple: true })).toBe(16384);
    again.close();
  });

  it('keeps the page size of an existing file', async () => {
    const file = path.join(dir, 'old.db');
    const old = new SQLite(file);
    old.pragma('page_size = 4096');
    old.exec('create table probe (x integer); insert into probe values (1)');
    old.close();
    const { db, raw } = openSqlite(file);
    expect(raw.pragma('page_size', { simple: true })).toBe(4096);
    expect(raw.prepare('select x from probe').pluck().get()).toBe(1);
    await db.destroy();
  });
});
