import crypto from 'node:crypto';
import { dropRunSchemas, PG_ENABLED } from './databases.ts';

/**
 * Names this test run so its PostgreSQL schemas can be told from another run's, and drops
 * them all once every test file is done.
 */
export default function setup(): () => Promise<void> {
  const run = crypto.randomBytes(4).toString('hex');
  process.env.KELEI_TEST_RUN = run;
  return async () => {
    if (PG_ENABLED) await dropRunSchemas(run).catch(() => {});
  };
}
