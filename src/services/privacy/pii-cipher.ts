import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * PII at rest: AES-256-GCM for the value, HMAC-SHA256 blind index for exact lookup.
 * Two keys are derived from one master key so the index never reveals the cipher key.
 */
export type PiiCipher = {
  encrypt(plain: string): string;
  /** throws when the value was not encrypted with this key */
  decrypt(stored: string): string;
  /**
   * The plain value, or UNREADABLE_PII when this key cannot decrypt it (reported to
   * the cipher's log, never with the value): one such row must not break a list.
   */
  readable(stored: string, where: UnreadableWhere): string;
  /** deterministic index of a normalised value, for `where phone_idx = ?` */
  blindIndex(normalised: string): string;
  /** the key check value: an HMAC of a fixed text under the master key, never the key */
  fingerprint: string;
};

/** What a list or export shows for a value this key cannot decrypt. */
export const UNREADABLE_PII = '[无法解密 unreadable]';

/** Which value could not be decrypted: the customer's code and the field, never the value. */
export type UnreadableWhere = { customer: string; field: string };

export type UnreadableLog = (where: UnreadableWhere) => void;

/** Without a log of its own, a cipher reports unreadable values as one line on stderr. */
const stderrLog: UnreadableLog = (where) =>
  process.stderr.write(
    `kelei: the ${where.field} of customer ${where.customer} cannot be decrypted with this key\n`,
  );

export function createPiiCipher(masterKey: Buffer, log: UnreadableLog = stderrLog): PiiCipher {
  if (masterKey.length !== 32) throw new Error('PII master key must be 32 bytes');
  const encKey = crypto.createHmac('sha256', masterKey).update('kelei:pii:enc').digest();
  const idxKey = crypto.createHmac('sha256', masterKey).update('kelei:pii:idx').digest();
  const decrypt = (stored: string): string => {
    const raw = Buffer.from(stored.replace(/^v1:/, ''), 'base64');
    const decipher = crypto.createDecipheriv('aes-256-gcm', encKey, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  };
  return {
    encrypt(plain) {
      const iv = crypto.randomBytes(12);
      const cipher = crypto.createCipheriv('aes-256-gcm', encKey, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `v1:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
    },
    decrypt,
    readable(stored, where) {
      try {
        return decrypt(stored);
      } catch {
        log(where);
        return UNREADABLE_PII;
      }
    },
    blindIndex(normalised) {
      return crypto.createHmac('sha256', idxKey).update(normalised).digest('base64url').slice(0, 32);
    },
    fingerprint: keyFingerprint(masterKey),
  };
}

/** The same key with another log for unreadable values (the server's request log). */
export function withUnreadableLog(cipher: PiiCipher, log: UnreadableLog): PiiCipher {
  return {
    ...cipher,
    readable(stored, where) {
      try {
        return cipher.decrypt(stored);
      } catch {
        log(where);
        return UNREADABLE_PII;
      }
    },
  };
}

/** The key check value stored in the database: HMAC-SHA256 of a fixed text, hex. */
export function keyFingerprint(masterKey: Buffer): string {
  return crypto.createHmac('sha256', masterKey).update('kelei:pii:key-check').digest('hex');
}

/** `KELEI_SECRET_KEY` as 32 bytes (64 hex characters or base64). */
export function parseSecretKey(text: string): Buffer {
  const hex = /^[0-9a-fA-F]{64}$/.test(text);
  const key = Buffer.from(text, hex ? 'hex' : 'base64');
  if (key.length !== 32) throw new Error('KELEI_SECRET_KEY must be 32 bytes (64 hex characters or base64)');
  return key;
}

/** The key in a key file, or undefined when there is no such file. */
export function readKeyFile(keyFile: string): Buffer | undefined {
  if (!fs.existsSync(keyFile)) return undefined;
  const key = Buffer.from(fs.readFileSync(keyFile, 'utf8').trim(), 'hex');
  if (key.length !== 32) throw new Error(`key file ${keyFile} is not a 32-byte hex key`);
  return key;
}

/**
 * A new random key written to `keyFile` with mode 0600 (its folder 0700 when made
 * here). When another process created the file meanwhile, its key is returned.
 */
export function createKeyFile(keyFile: string): Buffer {
  fs.mkdirSync(path.dirname(path.resolve(keyFile)), { recursive: true, mode: 0o700 });
  const key = crypto.randomBytes(32);
  try {
    // 'wx' fails if the file exists; then read theirs.
    fs.writeFileSync(keyFile, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    return key;
  } catch (e) {
    const theirs = readKeyFile(keyFile);
    if (theirs) return theirs;
    throw e;
  }
}
