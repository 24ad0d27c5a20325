import type { DbHandle, Engine } from '../../database.ts';
import { sqliteBulkInsert, sqliteBulkTransaction } from './sqlite-bulk.ts';
import { sqliteCapabilities } from './sqlite-capabilities.ts';
import { openSqlite } from './sqlite-open.ts';
import { openSqliteOrderWriter } from './sqlite-order-writer.ts';
import { sqlitePreparer } from './sqlite-prepared.ts';
import { sideReader } from './sqlite-readers.ts';

/**
 * SQLite, embedded: one writing connection per handle (WAL), a side connection for short
 * reads, statements prepared once and rerun for bulk writes, and worker threads that read
 * the file for a large population. Any target that is not another engine's URL is a file
 * path (or `:memory:`).
 */
export const sqliteEngine: Engine = {
  caps: sqliteCapabilities,
  opens: () => true,
  open(target: string): DbHandle {
    const caps = sqliteCapabilities;
    const { db, raw } = openSqlite(target);
    const side = sideReader(target, db);
    const bulkInsert = sqliteBulkInsert(raw);
    return {
      db,
      caps,
      reader: side.reader,
      bulkInsert,
      bulkTransaction: sqliteBulkTransaction(db),
      openOrderWriter: (trx, options) =>
        openSqliteOrderWriter({ db, trx, caps, prepare: sqlitePreparer(db), bulkInsert, ...options }),
      ...(target === ':memory:' ? {} : { readerFile: target }),
      label: target,
      close: async () => {
        await side.close();
        await db.destroy();
      },
    };
  },
};
