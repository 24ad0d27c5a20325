import crypto from 'node:crypto';
import type { Kysely, PostgresPool, PostgresPoolClient } from 'kysely';
import { sql } from 'kysely';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Database } from '../../schema.ts';

/** Rows streamed into one table by COPY: `await w.write(rows)` as often as needed, then `await w.end()`. */
export type CopyWriter = {
  write(rows: readonly (readonly unknown[])[]): Promise<void>;
  end(): Promise<void>;
  /** gives up: the server discards the rows and the connection takes statements again */
  abort(): Promise<void>;
};

/**
 * COPY inside a Kysely transaction. Kysely keeps the pg client of a transaction to
 * itself, so the pool it is given hands out clients that answer one marked statement by
 * filing themselves under the token it carries: the transaction runs that statement and
 * then finds its own client, whichever connection of the pool it holds.
 */
const CLAIM = '/* kelei: claim connection */ select ';
const claimed = new Map<string, pg.PoolClient>();

/** The pool to give Kysely's PostgresDialect: `pool` with claimable clients. */
export function claimablePool(pool: pg.Pool): PostgresPool {
  return {
    connect: async () => claimable(await pool.connect()),
    end: () => pool.end(),
  };
}

function claimable(client: pg.PoolClient): PostgresPoolClient {
  const query = (...args: unknown[]): unknown => {
    const [text, parameters] = args;
    if (typeof text === 'string' && text.startsWith(CLAIM) && Array.isArray(parameters)) {
      claimed.set(String(parameters[0]), client);
    }
    return (client.query as (...a: unknown[]) => unknown)(...args);
  };
  // Kysely calls query(sql, parameters) and query(cursor); both go to the real client.
  return { query, release: () => client.release() } as PostgresPoolClient;
}

/** The pg client under the transaction `trx`. */
async function clientOf(trx: Kysely<Database>): Promise<pg.PoolClient> {
  const token = crypto.randomUUID();
  await sql`${sql.raw(CLAIM)}${token}::text`.execute(trx);
  const client = claimed.get(token);
  claimed.delete(token);
  if (!client) throw new Error('COPY needs a database opened by openPostgres');
  return client;
}

/** COPY text format: backslash escapes, `\N` for null. */
function copyValue(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'number') return String(value);
  const text = String(value);
  return /[\\\t\n\r]/.test(text)
    ? text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')
    : text;
}

/**
 * Opens `COPY table (columns) FROM STDIN` on the connection of `trx`; rows written go
 * straight to the server, and `end()` waits until it has stored them all. Nothing else
 * may run on `trx` until then.
 */
export async function openCopy(
  trx: Kysely<Database>,
  target: { table: string; columns: readonly string[] },
): Promise<CopyWriter> {
  const client = await clientOf(trx);
  const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
  const stream = client.query(
    copyFrom(`copy ${quote(target.table)} (${target.columns.map(quote).join(', ')}) from stdin`),
  );
  let failure: Error | null = null;
  const finished = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', (e: Error) => {
      failure = e;
      reject(e);
    });
  });
  finished.catch(() => undefined);
  return {
    async write(rows) {
      if (failure) throw failure;
      let text = '';
      for (const row of rows) {
        let line = '';
        for (let i = 0; i < row.length; i++) line += (i === 0 ? '' : '\t') + copyValue(row[i]);
        text += `${line}\n`;
      }
      if (!stream.write(text)) {
        await new Promise<void>((resolve, reject) => {
          stream.once('drain', resolve);
          finished.catch(reject);
        });
      }
    },
    async end() {
      stream.end();
      await finished;
    },
    async abort() {
      if (stream.writableFinished || failure) return;
      // CopyFail ends the COPY on the server; until then the connection would queue the
      // transaction's ROLLBACK behind it forever.
      stream.destroy(new Error('import abandoned'));
      await finished.catch(() => undefined);
    },
  };
}
