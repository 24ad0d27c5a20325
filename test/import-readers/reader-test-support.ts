import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import type { Table, TableRow } from '../../src/services/import/readers/index.ts';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURES = path.join(REPO_ROOT, 'test/fixtures');

/** A scratch directory per test file, removed afterwards. */
export function scratchDir(prefix: string): { dir: string; file(name: string): string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `kelei-${prefix}-`));
  return {
    dir,
    file: (name) => path.join(dir, name),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

export async function readAll(table: Table): Promise<TableRow[]> {
  const rows: TableRow[] = [];
  for await (const row of table.rows) rows.push(row);
  return rows;
}

/**
 * Writes a ZIP by hand (deflate or store), so tests can build archives exceljs would
 * never write: missing parts, lying or extreme compression ratios.
 */
export function writeZip(file: string, entries: { name: string; data: Buffer; store?: boolean }[]): void {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const packed = entry.store ? entry.data : zlib.deflateRawSync(entry.data, { level: 9 });
    const crc = zlib.crc32(entry.data);
    const method = entry.store ? 0 : 8;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(0, 10);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, packed);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(0, 12);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(entry.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  fs.writeFileSync(file, Buffer.concat([...locals, directory, end]));
}

export type SheetPart = {
  name: string /** N of xl/worksheets/sheetN.xml */;
  part: number;
  xml: string | Buffer;
};

/**
 * The smallest set of parts a workbook needs: no styles, no shared strings. Sheets are
 * listed in tab order as given; their parts are stored in part-number order.
 */
export function workbookZipParts(sheets: SheetPart[]): { name: string; data: Buffer }[] {
  const text = (s: string) => Buffer.from(s, 'utf8');
  const ns = 'http://schemas.openxmlformats.org';
  return [
    {
      name: '[Content_Types].xml',
      data: text(
        `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="${ns}/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>`,
      ),
    },
    {
      name: '_rels/.rels',
      data: text(
        `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${ns}/package/2006/relationships"><Relationship Id="rId1" Type="${ns}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
      ),
    },
    {
      name: 'xl/workbook.xml',
      data: text(
        `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${ns}/spreadsheetml/2006/main" xmlns:r="${ns}/officeDocument/2006/relationships"><sheets>${sheets
          .map((s, i) => `<sheet name="${s.name}" sheetId="${i + 1}" r:id="rId${s.part}"/>`)
          .join('')}</sheets></workbook>`,
      ),
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: text(
        `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${ns}/package/2006/relationships">${sheets
          .map(
            (s) =>
              `<Relationship Id="rId${s.part}" Type="${ns}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${s.part}.xml"/>`,
          )
          .join('')}</Relationships>`,
      ),
    },
    ...[...sheets]
      .sort((a, b) => a.part - b.part)
      .map((s) => ({
        name: `xl/worksheets/sheet${s.part}.xml`,
        data: Buffer.isBuffer(s.xml) ? s.xml : text(s.xml),
      })),
  ];
}

export function minimalWorkbookParts(sheetXml: Buffer): { name: string; data: Buffer }[] {
  return workbookZipParts([{ name: 'Sheet1', part: 1, xml: sheetXml }]);
}

/** Sheet XML with inline strings and numbers, one array per row. */
export function sheetXml(rows: (string | number)[][]): string {
  const column = (i: number) => String.fromCharCode(65 + i);
  const body = rows
    .map(
      (cells, r) =>
        `<row r="${r + 1}">${cells
          .map((v, c) =>
            typeof v === 'number'
              ? `<c r="${column(c)}${r + 1}"><v>${v}</v></c>`
              : `<c r="${column(c)}${r + 1}" t="inlineStr"><is><t>${v}</t></is></c>`,
          )
          .join('')}</row>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${body}</sheetData></worksheet>`;
}
