import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * PII at rest: AES-256-GCM for the value, HMAC-SHA256 blind index for exact lookup.
 * Two keys are derived from one master key so the index never reveals the cipher key.
 */
export type PiiCipher = {
  encrypt(plain: string): string;
  decrypt(stored: string): string;
  /** deterministic index of a normalised value, for `where phone_idx = ?` */
  blindIndex(normalised: string): string;
};

export function createPiiCipher(masterKey: Buffer): PiiCipher {
  if (masterKey.length !== 32) throw new Error('PII master key must be 32 bytes');
  const encKey = crypto.createHmac('sha256', masterKey).update('kelei:pii:enc').digest();
  const idxKey = crypto.createHmac('sha256', masterKey).update('kelei:pii:idx').digest();
  return {
    encrypt(plain) {
      const iv = crypto.randomBytes(12);
      const cipher = crypto.createCipheriv('aes-256-gcm', encKey, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `v1:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
    },
    decrypt(stored) {
      const raw = Buffer.from(stored.replace(/^v1:/, ''), 'base64');
      const decipher = crypto.createDecipheriv('aes-256-gcm', encKey, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
    blindIndex(normalised) {
      return crypto.createHmac('sha256', idxKey).update(normalised).digest('base64url').slice(0, 32);
    },
  };
}

/**
 * The master key: `KELEI_SECRET_KEY` (64 hex chars or base64 of 32 bytes) when set,
 * otherwise a key file beside the SQLite database (or in ./data for PostgreSQL),
 * created with mode 0600 on first use.
 */
export function loadMasterKey(options: { envKey?: string; keyFile: string }): Buffer {
  if (options.envKey) {
    const hex = /^[0-9a-fA-F]{64}$/.test(options.envKey);
    const key = Buffer.from(options.envKey, hex ? 'hex' : 'base64');
    if (key.length !== 32) throw new Error('KELEI_SECRET_KEY must be 32 bytes (64 hex characters or base64)');
    return key;
  }
  if (fs.existsSync(options.keyFile)) {
    const key = Buffer.from(fs.readFileSync(options.keyFile, 'utf8').trim(), 'hex');
    if (key.length !== 32) throw new Error(`key file ${options.keyFile} is not a 32-byte hex key`);
    return key;
  }
  fs.mkdirSync(path.dirname(path.resolve(options.keyFile)), { recursive: true });
  const key = crypto.randomBytes(32);
  // 'wx' fails if another process created the file meanwhile; then read theirs.
  try {
    fs.writeFileSync(options.keyFile, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    return key;
  } catch {
    return loadMasterKey(options);
  }
}
