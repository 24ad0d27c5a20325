/**
 * Minimal ZIP access on node:zlib: the central directory (the table of contents at
 * the end of the file) and size-checked inflation of single entries. Lets the XLSX
 * reader judge a workbook before inflating anything and decide which parts exceljs
 * gets to see, in which order.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import zlib from 'node:zlib';

export type ZipEntry = {
  name: string;
  /** 0 = stored, 8 = deflate; anything else is refused when opened */
  method: number;
  flags: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
};

export type ZipProblem = 'not_zip' | 'too_many_entries';

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;
/** A real workbook has dozens of parts; tens of thousands of entries is an attack or not a workbook. */
const MAX_ENTRIES = 10_000;
const MAX_DIRECTORY_BYTES = 16 * 1024 * 1024;
const MAX_32 = 0xffffffff;

async function readAt(handle: fsp.FileHandle, range: { position: number; length: number }): Promise<Buffer> {
  const { position, length } = range;
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

/** Entries of the ZIP at `file` from its central directory, or why it cannot be read as one. */
export async function listZipEntries(
  file: string,
): Promise<{ entries: ZipEntry[] } | { problem: ZipProblem }> {
  const handle = await fsp.open(file, 'r');
  try {
    const { size } = await handle.stat();
    if (size < EOCD_SIZE) return { problem: 'not_zip' };
    const tailLength = Math.min(size, EOCD_SIZE + MAX_COMMENT);
    const tail = await readAt(handle, { position: size - tailLength, length: tailLength });
    let eocd = -1;
    for (let i = tail.length - EOCD_SIZE; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD_SIGNATURE) {
        eocd = i;
        break;
      }
    }
    if (eocd === -1) return { problem: 'not_zip' };

    let count = tail.readUInt16LE(eocd + 10);
    let directorySize = tail.readUInt32LE(eocd + 12);
    let directoryOffset = tail.readUInt32LE(eocd + 16);
    if (count === 0xffff || directorySize === MAX_32 || directoryOffset === MAX_32) {
      // ZIP64: the real figures sit in a record the locator (just before the EOCD) points to.
      const locatorAt = eocd - 20;
      if (locatorAt < 0 || tail.readUInt32LE(locatorAt) !== ZIP64_LOCATOR_SIGNATURE)
        return { problem: 'not_zip' };
      const record = await readAt(handle, {
        position: Number(tail.readBigUInt64LE(locatorAt + 8)),
        length: 56,
      });
      if (record.length < 56 || record.readUInt32LE(0) !== ZIP64_EOCD_SIGNATURE)
        return { problem: 'not_zip' };
      count = Number(record.readBigUInt64LE(32));
      directorySize = Number(record.readBigUInt64LE(40));
      directoryOffset = Number(record.readBigUInt64LE(48));
    }
    if (count > MAX_ENTRIES || directorySize > MAX_DIRECTORY_BYTES) return { problem: 'too_many_entries' };
    if (directoryOffset + directorySize > size) return { problem: 'not_zip' };

    const directory = await readAt(handle, { position: directoryOffset, length: directorySize });
    const entries: ZipEntry[] = [];
    let at = 0;
    for (let n = 0; n < count; n++) {
      if (at + 46 > directory.length || directory.readUInt32LE(at) !== CENTRAL_SIGNATURE)
        return { problem: 'not_zip' };
      const nameLength = directory.readUInt16LE(at + 28);
      const extraLength = directory.readUInt16LE(at + 30);
      const commentLength = directory.readUInt16LE(at + 32);
      const extra = directory.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength);
      const sizes = zip64Fields(extra, {
        uncompressedSize: directory.readUInt32LE(at + 24),
        compressedSize: directory.readUInt32LE(at + 20),
        localHeaderOffset: directory.readUInt32LE(at + 42),
      });
      entries.push({
        name: directory.toString('utf8', at + 46, at + 46 + nameLength),
        method: directory.readUInt16LE(at + 10),
        flags: directory.readUInt16LE(at + 8),
        ...sizes,
      });
      at += 46 + nameLength + extraLength + commentLength;
    }
    return { entries };
  } finally {
    await handle.close();
  }
}

type Zip64Fields = { uncompressedSize: number; compressedSize: number; localHeaderOffset: number };

/** Fills in the fields a ZIP64 extra field (id 1) carries: only those maxed out in the header, in this order. */
function zip64Fields(extra: Buffer, header: Zip64Fields): Zip64Fields {
  const result = { ...header };
  const maxed = (['uncompressedSize', 'compressedSize', 'localHeaderOffset'] as const).filter(
    (k) => header[k] === MAX_32,
  );
  if (maxed.length === 0) return result;
  let at = 0;
  while (at + 4 <= extra.length) {
    const id = extra.readUInt16LE(at);
    const length = extra.readUInt16LE(at + 2);
    if (id === 1) {
      let field = at + 4;
      for (const key of maxed) {
        if (field + 8 > extra.length) break;
        result[key] = Number(extra.readBigUInt64LE(field));
        field += 8;
      }
      return result;
    }
    at += 4 + length;
  }
  // Maxed out with nothing to say otherwise: assume the worst so the size limits trip.
  for (const key of maxed) result[key] = Number.MAX_SAFE_INTEGER;
  return result;
}

/** Why an entry's bytes could not be produced. */
export class ZipEntryError extends Error {
  constructor(
    readonly entry: string,
    readonly problem: 'unsupported' | 'corrupt' | 'size_mismatch',
  ) {
    super(`zip entry ${entry}: ${problem}`);
    this.name = 'ZipEntryError';
  }
}

/**
 * The uncompressed bytes of one entry, in chunks. Inflation stops with a
 * ZipEntryError the moment output exceeds the size the central directory declared,
 * so a lying archive cannot inflate past the limits it was checked against.
 */
export async function* readZipEntry(file: string, entry: ZipEntry): AsyncGenerator<Buffer, void, undefined> {
  if ((entry.method !== 0 && entry.method !== 8) || (entry.flags & 0x1) !== 0) {
    throw new ZipEntryError(entry.name, 'unsupported');
  }
  const handle = await fsp.open(file, 'r');
  let local: Buffer;
  try {
    local = await readAt(handle, { position: entry.localHeaderOffset, length: 30 });
  } finally {
    await handle.close();
  }
  if (local.length < 30 || local.readUInt32LE(0) !== LOCAL_SIGNATURE)
    throw new ZipEntryError(entry.name, 'corrupt');
  const start = entry.localHeaderOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  if (entry.compressedSize === 0) {
    if (entry.uncompressedSize !== 0) throw new ZipEntryError(entry.name, 'size_mismatch');
    return;
  }
  const raw = fs.createReadStream(file, {
    start,
    end: start + entry.compressedSize - 1,
    highWaterMark: 64 * 1024,
  });
  const inflater = entry.method === 8 ? zlib.createInflateRaw() : null;
  const source = inflater ? raw.pipe(inflater) : raw;
  raw.on('error', (e) => inflater?.destroy(e));
  let produced = 0;
  try {
    for await (const chunk of source) {
      if (!Buffer.isBuffer(chunk)) continue;
      produced += chunk.length;
      if (produced > entry.uncompressedSize) throw new ZipEntryError(entry.name, 'size_mismatch');
      yield chunk;
    }
  } catch (e) {
    if (e instanceof ZipEntryError) throw e;
    throw new ZipEntryError(entry.name, 'corrupt');
  } finally {
    raw.destroy();
    inflater?.destroy();
  }
  if (produced !== entry.uncompressedSize) throw new ZipEntryError(entry.name, 'size_mismatch');
}

/** A local file header for a stored (uncompressed) entry of known size. */
export function storedLocalHeader(name: string, size: number): Buffer {
  const nameBytes = Buffer.from(name, 'utf8');
  const header = Buffer.alloc(30);
  header.writeUInt32LE(LOCAL_SIGNATURE, 0);
  header.writeUInt16LE(20, 4);
  header.writeUInt16LE(0x800, 6);
  header.writeUInt16LE(0, 8);
  header.writeUInt32LE(size, 18);
  header.writeUInt32LE(size, 22);
  header.writeUInt16LE(nameBytes.length, 26);
  return Buffer.concat([header, nameBytes]);
}
