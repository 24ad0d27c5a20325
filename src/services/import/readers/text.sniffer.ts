/**
 * Guesses, from the first bytes of a delimited text file, how to read the rest:
 * encoding, delimiter, and whether the first row is a header.
 */
import chardet from 'chardet';
import iconv from 'iconv-lite';
import type { Delimiter, TableCell } from './table.types.ts';

/** How much of a file the sniffers look at. */
export const SNIFF_BYTES = 64 * 1024;

/**
 * Encoding of a text sample, as an iconv-lite name:
 * 1. a BOM decides (UTF-8, UTF-16 LE/BE);
 * 2. UTF-16 without BOM shows as NUL bytes in every other position;
 * 3. bytes that are valid UTF-8 are UTF-8 (plain ASCII included);
 * 4. bytes that are valid GB18030 and mostly in the GB2312 range are GB18030 — chardet
 *    alone misreads short Chinese files as Greek or Big5, and GBK is what Chinese Excel writes;
 * 5. otherwise chardet's guess when iconv-lite knows it, else GB18030.
 * `complete` says the sample is the whole file, so a cut-off character at its end is an error.
 */
export function detectEncoding(sample: Uint8Array, complete: boolean): string {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf-8';
  if (sample[0] === 0xff && sample[1] === 0xfe) return 'utf-16le';
  if (sample[0] === 0xfe && sample[1] === 0xff) return 'utf-16be';
  const utf16 = utf16WithoutBom(sample);
  if (utf16) return utf16;
  if (isUtf8(sample, complete)) return 'utf-8';
  if (isLikelyGb18030(sample, complete)) return 'gb18030';
  const guess = chardet.detect(sample);
  if (!guess || /^(gb|gbk|gb2312|gb18030)$/i.test(guess)) return 'gb18030';
  return iconv.encodingExists(guess) ? guess.toLowerCase() : 'gb18030';
}

function utf16WithoutBom(sample: Uint8Array): string | null {
  const n = Math.min(sample.length, 1024) & ~1;
  if (n < 4) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (sample[i] === 0) evenZeros++;
    if (sample[i + 1] === 0) oddZeros++;
  }
  const pairs = n / 2;
  if (oddZeros > pairs * 0.3 && evenZeros < pairs * 0.05) return 'utf-16le';
  if (evenZeros > pairs * 0.3 && oddZeros < pairs * 0.05) return 'utf-16be';
  return null;
}

function isUtf8(sample: Uint8Array, complete: boolean): boolean {
  try {
    // stream: true tolerates a character cut in half at the end of a partial sample.
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: !complete });
    return true;
  } catch {
    return false;
  }
}

/**
 * Structural GB18030 check: every byte ≥ 0x80 starts a valid two- or four-byte
 * sequence, and at least half of the two-byte ones are GB2312 characters (lead
 * 0xA1–0xF7, trail 0xA1–0xFE), which Latin-1 text almost never produces.
 */
function isLikelyGb18030(sample: Uint8Array, complete: boolean): boolean {
  let pairs = 0;
  let gb2312 = 0;
  let i = 0;
  while (i < sample.length) {
    const lead = sample[i];
    if (lead < 0x80) {
      i++;
      continue;
    }
    if (lead === 0x80 || lead === 0xff) return false;
    if (i + 1 >= sample.length) return !complete;
    const trail = sample[i + 1];
    if (trail >= 0x30 && trail <= 0x39) {
      if (i + 3 >= sample.length) return !complete;
      const third = sample[i + 2];
      const fourth = sample[i + 3];
      if (third < 0x81 || third > 0xfe || fourth < 0x30 || fourth > 0x39) return false;
      i += 4;
      continue;
    }
    if (trail < 0x40 || trail === 0x7f || trail === 0xff) return false;
    pairs++;
    if (lead >= 0xa1 && lead <= 0xf7 && trail >= 0xa1) gb2312++;
    i += 2;
  }
  return pairs > 0 && gb2312 * 2 >= pairs;
}

/** Decodes a sample for sniffing; a partial sample loses its last, possibly cut, line. */
export function decodeSample(sample: Uint8Array, encoding: string, complete: boolean): string {
  const text = iconv.decode(Buffer.from(sample.buffer, sample.byteOffset, sample.byteLength), encoding);
  if (complete) return text;
  const lastBreak = text.lastIndexOf('\n');
  return lastBreak === -1 ? text : text.slice(0, lastBreak + 1);
}

const CANDIDATES = [',', '\t', ';', '|'] as const;
const MAX_SNIFF_RECORDS = 200;

type Consistency = { mode: number; share: number };

function consistency(counts: number[]): Consistency {
  const frequency = new Map<number, number>();
  for (const c of counts) frequency.set(c, (frequency.get(c) ?? 0) + 1);
  let mode = 0;
  let best = 0;
  for (const [count, times] of frequency) {
    if (times > best || (times === best && count > mode)) {
      mode = count;
      best = times;
    }
  }
  return { mode, share: counts.length === 0 ? 0 : best / counts.length };
}

/** Splits a sample into records, honouring double quotes, and counts each candidate outside quotes. */
function scanRecords(text: string): { counts: Record<string, number[]>; lines: string[] } {
  const counts: Record<string, number[]> = { ',': [], '\t': [], ';': [], '|': [] };
  const lines: string[] = [];
  let current: Record<string, number> = { ',': 0, '\t': 0, ';': 0, '|': 0 };
  let inQuotes = false;
  let start = 0;
  const endRecord = (end: number) => {
    const line = text.slice(start, end).replace(/\r$/, '');
    if (line.trim() !== '') {
      for (const c of CANDIDATES) counts[c].push(current[c]);
      lines.push(line);
    }
    current = { ',': 0, '\t': 0, ';': 0, '|': 0 };
  };
  for (let i = 0; i < text.length && lines.length < MAX_SNIFF_RECORDS; i++) {
    const ch = text[i];
    if (ch === '"') inQuotes = !inQuotes;
    else if (ch === '\n' && !inQuotes) {
      endRecord(i);
      start = i + 1;
    } else if (!inQuotes && ch in current) current[ch]++;
  }
  if (lines.length < MAX_SNIFF_RECORDS && start < text.length) endRecord(text.length);
  return { counts, lines };
}

/**
 * Delimiter of a decoded sample: the candidate (comma, tab, semicolon, pipe) whose count
 * per record is the most consistent; runs of whitespace when none of them appears but
 * whitespace splits every line into the same number of fields; comma for one column.
 */
export function detectDelimiter(text: string): Delimiter {
  const { counts, lines } = scanRecords(text);
  let best: { delimiter: Delimiter; mode: number; share: number } | null = null;
  for (const c of CANDIDATES) {
    const { mode, share } = consistency(counts[c]);
    if (mode === 0) continue;
    if (!best || share > best.share || (share === best.share && mode > best.mode))
      best = { delimiter: c, mode, share };
  }
  if (best && best.share >= 0.9) return best.delimiter;
  const spaced = consistency(lines.map((line) => line.trim().split(/\s+/).length));
  if (spaced.mode >= 2 && spaced.share >= 0.9) return 'whitespace';
  return best?.delimiter ?? ',';
}

const DATA_LIKE = /^[-+]?[\d.,:/\-\s]*\d[\d.,:/\-\s]*$/;

/**
 * Whether a first row is data rather than a header: every non-empty cell is a number,
 * a Date, or text made only of digits and number/date punctuation (`00004`, `19970101`,
 * `29.33`, `2024-01-05`). Header names almost always contain letters.
 */
export function looksLikeData(cells: readonly TableCell[]): boolean {
  let filled = 0;
  for (const cell of cells) {
    if (cell === null) continue;
    if (typeof cell === 'string') {
      if (cell.trim() === '') continue;
      if (!DATA_LIKE.test(cell.trim())) return false;
    }
    filled++;
  }
  return filled > 0;
}
