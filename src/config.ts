import crypto from 'node:crypto';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { KeleiError } from './core/errors.ts';

/** The environment, parsed once into a frozen typed object. */
export type Config = Readonly<{
  /** SQLite path or postgres:// URL */
  database: string;
  /** IANA zone that business dates are in */
  timeZone: string;
  /** master key for PII encryption, when given through the environment */
  secretKey: string | undefined;
  /**
   * where the key file lives when no KELEI_SECRET_KEY is set (absolute): beside the
   * SQLite file, or a per-user file of the PostgreSQL database (`postgresKeyFile`)
   */
  keyFile: string;
  /**
   * addresses or CIDR ranges of the reverse proxies whose X-Forwarded-For is believed
   * (`KELEI_TRUST_PROXY`, comma-separated); empty: the client is the TCP peer
   */
  trustProxy: readonly string[];
  /** mark cookies Secure (behind HTTPS) */
  secureCookies: boolean;
  /** HTTP port of `kelei serve` */
  port: number;
  host: string;
  /** built web app served at / (absent: API only) */
  webRoot: string;
}>;

export const DEFAULT_DATABASE = './data/kelei.db';
/** where `vite build` puts the web app inside the package */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../web/dist', import.meta.url));

export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: { database?: string } = {},
): Config {
  const database = overrides.database ?? env.DATABASE_URL ?? DEFAULT_DATABASE;
  const isPostgres = /^postgres(ql)?:\/\//i.test(database);
  const keyFile = path.resolve(
    env.KELEI_KEY_FILE ||
      (isPostgres
        ? postgresKeyFile(database, env)
        : path.join(path.dirname(path.resolve(database)), 'kelei.key')),
  );
  return Object.freeze({
    database,
    timeZone: env.KELEI_TIME_ZONE ?? 'Asia/Shanghai',
    secretKey: env.KELEI_SECRET_KEY || undefined,
    keyFile,
    trustProxy: Object.freeze(parseProxyList(env.KELEI_TRUST_PROXY ?? '')),
    secureCookies: env.KELEI_SECURE_COOKIES === '1',
    port: Number(env.PORT ?? 8080),
    host: env.HOST ?? '127.0.0.1',
    webRoot: env.KELEI_WEB_DIST ? path.resolve(env.KELEI_WEB_DIST) : DEFAULT_WEB_ROOT,
  });
}

/**
 * The default key file of a PostgreSQL database, the same whatever the working folder:
 * `$XDG_CONFIG_HOME/kelei/<hash>.key` (else `~/.config/kelei/<hash>.key`), where the
 * hash is of the URL without its password, so each database has a key of its own.
 */
export function postgresKeyFile(url: string, env: NodeJS.ProcessEnv = process.env): string {
  let identity = url;
  try {
    const u = new URL(url);
    u.password = '';
    identity = u.toString();
  } catch {
    // not a parseable URL: the text itself
  }
  const hash = crypto.createHash('sha256').update(identity).digest('hex').slice(0, 16);
  const configHome = env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config');
  return path.join(configHome, 'kelei', `${hash}.key`);
}

/** `'10.0.0.1, 192.168.0.0/16'` → `['10.0.0.1', '192.168.0.0/16']`; anything else is refused. */
export function parseProxyList(text: string): string[] {
  const entries = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  for (const entry of entries) {
    const [address, bits, ...rest] = entry.split('/');
    const family = net.isIP(address ?? '');
    const maxBits = family === 6 ? 128 : 32;
    const bitsOk = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= maxBits);
    if (family === 0 || !bitsOk || rest.length > 0) {
      throw new KeleiError('InvalidArgument', {
        en: `KELEI_TRUST_PROXY: "${entry}" is not an IP address or CIDR range (e.g. 10.0.0.1 or 10.0.0.0/8)`,
        zh: `KELEI_TRUST_PROXY：“${entry}”不是 IP 地址或 CIDR 网段（例如 10.0.0.1 或 10.0.0.0/8）`,
      });
    }
  }
  return entries;
}
