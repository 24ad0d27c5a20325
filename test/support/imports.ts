import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ImportOptions } from '../../src/services/import/import.service.ts';
import { createPiiCipher } from '../../src/services/privacy/pii-cipher.ts';

/** A cipher with a throw-away key, shared by one test file. */
export const testCipher = createPiiCipher(crypto.randomBytes(32));

/** A fresh temporary folder for files a test writes. */
export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `kelei-${prefix}-`));
}

/** Import options as the CLI would pass them, error reports into `reportDir`. */
export function importOptions(
  entity: ImportOptions['entity'],
  file: string,
  extra: Partial<ImportOptions> & { reportDir: string },
): ImportOptions {
  const { reportDir, ...rest } = extra;
  return {
    entity,
    file,
    cipher: testCipher,
    timeZone: 'Asia/Shanghai',
    now: () => new Date(),
    errorReportDir: reportDir,
    ...rest,
  };
}
