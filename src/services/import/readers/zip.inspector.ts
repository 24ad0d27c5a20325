/**
 * Reads a ZIP file's central directory — the table of contents at its end — without
 * inflating anything, so an XLSX can be judged (is it a workbook? how big will it
 * get unpacked?) before a single byte is decompressed.
 */
import fs from 'node:fs/promises';

export type ZipEntry = { name: string; compressedSize: number; uncompressedSize: number };

/** Why a file is not a readable ZIP, or null. */
export type ZipProblem = 'not_zip' | 'too_many_entries';

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;
/** A real workbook has dozens of parts; tens of thousands of entries is an attack or not a workbook. */
const MAX_ENTRIES = 10_000;
const MAX_DIRECTORY_BYTES = 16 * 1024 * 1024;

async function readAt(handle: fs.FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

/** Entries of the ZIP at `file`, or the reason it cannot be read as one. */
export async function listZipEntries(file: string): Promise<{ entries: ZipEntry[] } | { problem: ZipProblem }> {
  const handle = await fs.open(file, 'r');
  try {
    const { size } = await handle.stat();
    if (size < EOCD_SIZE) return { problem: 'not_zip' };
    const tailLength = Math.min(size, EOCD_SIZE + MAX_COMMENT);
    const tail = await readAt(handle, size - tailLength, tailLength);
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
    if (count === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) {
      // ZIP64: the real figures sit in a record the locator (just before the EOCD) points to.
      const locatorAt = eocd - 20;
      if (locatorAt < 0 || tail.readUInt32LE(locatorAt) !== ZIP64_LOCATOR_SIGNATURE) return { problem: 'not_zip' };
      const recordOffset = Number(tail.readBigUInt64LE(locatorAt + 8));
      const record = await readAt(handle, recordOffset, 56);
      if (record.length < 56 || record.readUInt32LE(0) !== ZIP64_EOCD_SIGNATURE) return { problem: 'not_zip' };
      count = Number(record.readBigUInt64LE(32));
      directorySize = Number(record.readBigUInt64LE(40));
      directoryOffset = Number(record.readBigUInt64LE(48));
    }
    if (count > MAX_ENTRIES || directorySize > MAX_DIRECTORY_BYTES) return { problem: 'too_many_entries' };
    if (directoryOffset + directorySize > size) return { problem: 'not_zip' };

    const directory = await readAt(handle, directoryOffset, directorySize);
    const entries: ZipEntry[] = [];
    let at = 0;
    for (let n = 0; n < count; n++) {
      if (at + 46 > directory.length || directory.readUInt32LE(at) !== CENTRAL_SIGNATURE) return { problem: 'not_zip' };
      let compressedSize = directory.readUInt32LE(at + 20);
      let uncompressedSize = directory.readUInt32LE(at + 24);
      const nameLength = directory.readUInt16LE(at + 28);
      const extraLength = directory.readUInt16LE(at + 30);
      const commentLength = directory.readUInt16LE(at + 32);
      const name = directory.toString('utf8', at + 46, at + 46 + nameLength);
      const extra = directory.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength);
      if (uncompressedSize === 0xffffffff || compressedSize === 0xffffffff) {
        const sizes = zip64Sizes(extra, { uncompressed: uncompressedSize, compressed: compressedSize });
        uncompressedSize = sizes.uncompressed;
        compressedSize = sizes.compressed;
      }
      entries.push({ name, compressedSize, uncompressedSize });
      at += 46 + nameLength + extraLength + commentLength;
    }
    return { entries };
  } finally {
    await handle.close();
  }
}

/** Sizes from the ZIP64 extra field (id 1), which holds only the fields maxed out in the header. */
function zip64Sizes(extra: Buffer, header: { uncompressed: number; compressed: number }) {
  let at = 0;
  while (at + 4 <= extra.length) {
    const id = extra.readUInt16LE(at);
    const length = extra.readUInt16LE(at + 2);
    if (id === 1) {
      let field = at + 4;
      let { uncompressed, compressed } = header;
      if (uncompressed === 0xffffffff && field + 8 <= extra.length) {
        uncompressed = Number(extra.readBigUInt64LE(field));
        field += 8;
      }
      if (compressed === 0xffffffff && field + 8 <= extra.length) {
        compressed = Number(extra.readBigUInt64LE(field));
      }
      return { uncompressed, compressed };
    }
    at += 4 + length;
  }
  // No extra field to say otherwise: assume the worst so the size limits trip.
  return { uncompressed: Number.MAX_SAFE_INTEGER, compressed: header.compressed };
}
