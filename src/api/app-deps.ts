import type { Config } from '../config.ts';
import type { DbHandle } from '../db/database.ts';
import type { PiiCipher } from '../services/privacy/pii-cipher.ts';

/** What the HTTP API is built from: `buildApp(deps)`, and every route's `register(app, deps)`. */
export type AppDeps = {
  handle: DbHandle;
  config: Config;
  clock: () => Date;
  cipher: PiiCipher;
  /** pino options, or false for no request log (tests) */
  logger?: boolean | Record<string, unknown>;
  /** largest upload accepted, bytes */
  maxUploadBytes?: number;
};
