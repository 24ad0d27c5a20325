import fs from 'node:fs';
import path from 'node:path';
import { KeleiError } from '../../core/errors.ts';
import type { Db } from '../../db/database.ts';
import {
  encryptedContactSample,
  findKeyFingerprint,
  recordKeyFingerprintOnce,
} from '../../db/privacy/key-check.repository.ts';
import {
  createKeyFile,
  createPiiCipher,
  keyFingerprint,
  type PiiCipher,
  parseSecretKey,
  readKeyFile,
  type UnreadableLog,
} from './pii-cipher.ts';

/** Where the master key comes from: `KELEI_SECRET_KEY`, else a key file. */
export type KeySource = { envKey?: string; keyFile: string };

/** How many of the oldest and of the newest encrypted rows a first check tries. */
const SAMPLE = 20;

/**
 * The PII cipher of a database, or a refusal. The database keeps the key check value
 * of its key (docs/security.md): a process whose key has another fingerprint refuses
 * to start, so two keys never mix in one database. A key is created only for a
 * database that holds no encrypted data and no fingerprint. A database with encrypted
 * data and no fingerprint yet records the fingerprint of a key that decrypts some of
 * its oldest or newest rows, and refuses a key that decrypts none.
 */
export async function openPiiCipher(db: Db, source: KeySource, log?: UnreadableLog): Promise<PiiCipher> {
  const stored = await findKeyFingerprint(db, 'pii');
  let key = source.envKey ? parseSecretKey(source.envKey) : readKeyFile(source.keyFile);
  if (!key) {
    if (stored !== undefined || (await encryptedContactSample(db, SAMPLE)).length > 0)
      throw missingKey(source);
    key = createKeyFile(source.keyFile);
  }
  const fingerprint = keyFingerprint(key);
  if (stored !== undefined) {
    if (stored !== fingerprint) throw wrongKey(source);
    return createPiiCipher(key, log);
  }
  const sample = await encryptedContactSample(db, SAMPLE);
  if (sample.length > 0) {
    const cipher = createPiiCipher(key);
    const decrypts = sample.some((value) => {
      try {
        cipher.decrypt(value);
        return true;
      } catch {
        return false;
      }
    });
    if (!decrypts) throw wrongKey(source);
  }
  // Two first starts at once: the first fingerprint stays, and the other process checks against it.
  await recordKeyFingerprintOnce(db, { purpose: 'pii', fingerprint, at: new Date().toISOString() });
  if ((await findKeyFingerprint(db, 'pii')) !== fingerprint) throw wrongKey(source);
  return createPiiCipher(key, log);
}

function whereFrom(source: KeySource): { en: string; zh: string } {
  return source.envKey
    ? { en: 'KELEI_SECRET_KEY', zh: 'KELEI_SECRET_KEY' }
    : { en: `the key file ${source.keyFile}`, zh: `密钥文件 ${source.keyFile}` };
}

function wrongKey(source: KeySource): KeleiError {
  const from = whereFrom(source);
  return new KeleiError('DatabaseUnavailable', {
    en: `the encryption key from ${from.en} is not the key of this database's personal data: set KELEI_SECRET_KEY, or KELEI_KEY_FILE to the key file created with this database.`,
    zh: `来自${from.zh}的加密密钥不是此数据库个人信息的密钥：请设置 KELEI_SECRET_KEY，或用 KELEI_KEY_FILE 指向与此数据库一同创建的密钥文件。`,
  });
}

function missingKey(source: KeySource): KeleiError {
  // Before this check, a PostgreSQL key file defaulted to ./data/kelei.key of the working folder.
  const legacy = path.resolve('data', 'kelei.key');
  const hint =
    legacy !== path.resolve(source.keyFile) && fs.existsSync(legacy)
      ? { en: ` (perhaps ${legacy})`, zh: `（也许是 ${legacy}）` }
      : { en: '', zh: '' };
  return new KeleiError('DatabaseUnavailable', {
    en: `this database holds encrypted personal data but its key is not at ${source.keyFile}: set KELEI_SECRET_KEY, or put the key file created with this database there${hint.en} or name it with KELEI_KEY_FILE.`,
    zh: `此数据库含有加密的个人信息，但 ${source.keyFile} 处没有它的密钥：请设置 KELEI_SECRET_KEY，或把与此数据库一同创建的密钥文件${hint.zh}放到该处，或用 KELEI_KEY_FILE 指明其位置。`,
  });
}
