import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** An uploaded file waiting on disk for its dry run and commit. */
export type Upload<M> = {
  id: string;
  /** username of the uploader: only they (or an admin) may use it */
  owner: string;
  /** the name the client gave, cleaned for the file system (messages name it, never the server path) */
  fileName: string;
  /** absolute path of the stored file */
  file: string;
  /** the upload's own directory; dry-run error reports are written here too */
  dir: string;
  size: number;
  createdAt: string;
  expiresAt: string;
  /** true while a commit reads the file: it must not be dry-run, committed again or expired */
  busy: boolean;
  meta: M;
};

export type StagedFile = { id: string; dir: string; file: string; fileName: string; size: number };

export type UploadStore<M> = {
  /** streams `stream` to a new file (never held in memory); not visible until {@link UploadStore.publish} */
  stage(options: { stream: Readable; fileName: string }): Promise<StagedFile>;
  publish(staged: StagedFile, options: { owner: string; meta: M }): Upload<M>;
  /** removes a staged or published upload and its directory */
  discard(id: string): Promise<void>;
  /** a live upload (its time to live starts again), or undefined when unknown or expired */
  get(id: string): Upload<M> | undefined;
  /** marks an upload busy (a dry run or commit reads it); false when it already is */
  claim(upload: Upload<M>): boolean;
  /** the reader is done with it: usable again, time to live restarted */
  release(upload: Upload<M>): void;
  sweep(): Promise<void>;
  /** removes every upload of this store */
  close(): Promise<void>;
};

/**
 * Uploaded import files under `root/<id>/<name>`, kept until committed or until
 * `ttlMs` pass without use. The index is in memory: on start, directories left
 * behind by an earlier process and older than the time to live are removed.
 */
export function createUploadStore<M>(options: {
  root: string;
  ttlMs: number;
  now: () => Date;
}): UploadStore<M> {
  const { root, ttlMs, now } = options;
  const uploads = new Map<string, Upload<M>>();
  const staged = new Set<string>();
  const expiry = () => new Date(now().getTime() + ttlMs).toISOString();
  const removeDir = (id: string) => fs.promises.rm(path.join(root, id), { recursive: true, force: true });

  void removeStaleDirectories(root, now().getTime() - ttlMs);

  return {
    async stage({ stream, fileName }) {
      const id = crypto.randomUUID();
      const dir = path.join(root, id);
      const name = safeFileName(fileName);
      const file = path.join(dir, name);
      staged.add(id);
      try {
        // Uploads hold personal data: readable by the server's user only.
        await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 });
        // pipeline() never settles on a source destroyed before it starts (an aborted upload).
        if (stream.destroyed) throw new Error('the upload stream closed before it was read');
        await pipeline(stream, fs.createWriteStream(file, { flags: 'wx', mode: 0o600 }));
        const { size } = await fs.promises.stat(file);
        return { id, dir, file, fileName: name, size };
      } catch (e) {
        staged.delete(id);
        await removeDir(id);
        throw e;
      }
    },
    publish(file, { owner, meta }) {
      staged.delete(file.id);
      const upload: Upload<M> = {
        ...file,
        owner,
        createdAt: now().toISOString(),
        expiresAt: expiry(),
        busy: false,
        meta,
      };
      uploads.set(file.id, upload);
      return upload;
    },
    async discard(id) {
      staged.delete(id);
      uploads.delete(id);
      await removeDir(id);
    },
    get(id) {
      const upload = uploads.get(id);
      if (!upload) return undefined;
      if (!upload.busy && Date.parse(upload.expiresAt) <= now().getTime()) {
        uploads.delete(id);
        void removeDir(id);
        return undefined;
      }
      upload.expiresAt = expiry();
      return upload;
    },
    claim(upload) {
      if (upload.busy) return false;
      upload.busy = true;
      return true;
    },
    release(upload) {
      upload.busy = false;
      upload.expiresAt = expiry();
    },
    async sweep() {
      const at = now().getTime();
      const expired = [...uploads.values()].filter((u) => !u.busy && Date.parse(u.expiresAt) <= at);
      for (const u of expired) uploads.delete(u.id);
      await Promise.all(expired.map((u) => removeDir(u.id)));
    },
    async close() {
      const ids = [...uploads.keys(), ...staged];
      uploads.clear();
      staged.clear();
      await Promise.all(ids.map(removeDir));
    },
  };
}

/**
 * A client's file name made safe to store: no directories, no control or path
 * characters, at most 120 characters, extension kept. `safeFileName('../客户 名单.xlsx')`
 * → `'客户 名单.xlsx'`.
 */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base
    .replace(/[^\p{L}\p{N}._\- ()（）]/gu, '_')
    .replace(/^\.+/, '')
    .trim();
  if (cleaned === '') return 'upload';
  if (cleaned.length <= 120) return cleaned;
  const ext = path.extname(cleaned).slice(0, 10);
  return cleaned.slice(0, 120 - ext.length) + ext;
}

async function removeStaleDirectories(root: string, olderThan: number): Promise<void> {
  let entries: fs.Dirent[];
  try {
    entries = await fs.promises.readdir(root, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const dir = path.join(root, entry.name);
    try {
      const { mtimeMs } = await fs.promises.stat(dir);
      if (mtimeMs < olderThan) await fs.promises.rm(dir, { recursive: true, force: true });
    } catch {
      // Another process may have removed it first.
    }
  }
}
