import path from 'node:path';
import type { Config } from '../../config.ts';
import { isPostgresUrl } from '../../db/connect.ts';

/**
 * Where the server keeps its working files (uploads, error reports, exports in
 * flight): beside the SQLite database, or `./data` when the database is PostgreSQL —
 * the same place the CLI writes import reports.
 */
export function dataDirOf(config: Config): string {
  return isPostgresUrl(config.database) ? path.resolve('data') : path.dirname(path.resolve(config.database));
}
