import type { DbHandle, Engine } from '../../database.ts';
import { compiledBulkInsert } from './postgres-bulk.ts';
import { postgresCapabilities } from './postgres-capabilities.ts';
import { openPostgres } from './postgres-open.ts';
import { openPostgresOrderWriter } from './postgres-order-writer.ts';

/** Whether `target` is a PostgreSQL URL (`postgres://…` or `postgresql://…`). */
export function isPostgresUrl(target: string): boolean {
  return /^postgres(ql)?:\/\//i.test(target);
}

/**
 * PostgreSQL: one pool for writes and short reads, multi-row INSERTs compiled once per
 * shape, plain transactions, and orders imported through COPY and one set-based merge.
 */
export const postgresEngine: Engine = {
  caps: postgresCapabilities,
  opens: isPostgresUrl,
  open(target: string): DbHandle {
    const caps = postgresCapabilities;
    const { db } = openPostgres(target);
    return {
      db,
      caps,
      reader: () => db,
      bulkInsert: compiledBulkInsert(caps.maxParameters),
      bulkTransaction: (work) => db.transaction().execute(work),
      openOrderWriter: (trx, options) => openPostgresOrderWriter({ trx, caps, ...options }),
      label: redactUrl(target),
      close: () => db.destroy(),
    };
  },
};

function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
