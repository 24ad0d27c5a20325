import { type Config, loadConfig } from '../config.ts';
import { type Bilingual, type Lang, pick } from '../core/bilingual.ts';
import { KeleiError } from '../core/errors.ts';
import { isPostgresUrl, migrateToLatest, openDatabase } from '../db/connect.ts';
import type { DbHandle } from '../db/database.ts';
import type { PiiCipher } from '../services/privacy/pii-cipher.ts';
import { openPiiCipher } from '../services/privacy/pii-key.ts';

export type { Lang };

/** Language of CLI messages: KELEI_LANG, else LANG (zh_* → Chinese), else English. */
export function cliLang(env: NodeJS.ProcessEnv = process.env): Lang {
  const v = env.KELEI_LANG ?? env.LC_ALL ?? env.LANG ?? '';
  return v.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

/** Picks the message of the CLI's language: `t(ctx.lang, { zh: '已发布', en: 'published' })`. */
export function t(lang: Lang, text: Bilingual): string {
  return pick(text, lang);
}

export type CliContext = {
  config: Config;
  handle: DbHandle;
  /** the database's PII cipher; refuses (DatabaseUnavailable) a key that is not the database's */
  cipher(): Promise<PiiCipher>;
  lang: Lang;
  now: () => Date;
};

/** Opens and migrates the database named by --db / DATABASE_URL / the default file. */
export async function openContext(globals: { db?: string }): Promise<CliContext> {
  const config = loadConfig(process.env, { database: globals.db });
  const handle = openDatabase(config.database);
  try {
    await migrateToLatest(handle);
  } catch (e) {
    await handle.close().catch(() => {});
    const reason = e instanceof Error ? e.message : String(e);
    throw new KeleiError('DatabaseUnavailable', {
      en: `cannot open database ${isPostgresUrl(config.database) ? handle.label : config.database}: ${reason}`,
      zh: `无法打开数据库 ${isPostgresUrl(config.database) ? handle.label : config.database}：${reason}`,
    });
  }
  let cipher: Promise<PiiCipher> | undefined;
  return {
    config,
    handle,
    lang: cliLang(),
    now: () => new Date(),
    cipher() {
      cipher ??= openPiiCipher(handle.db, { envKey: config.secretKey, keyFile: config.keyFile });
      return cipher;
    },
  };
}
