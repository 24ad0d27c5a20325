import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeleiError } from '../../src/core/errors.ts';
import { csvText, escapeFormula, formatYuan, xlsxCell } from '../../src/services/export/cell-value.format.ts';
import { type SheetSpec, writeTable } from '../../src/services/export/table.writer.ts';
import { readCsv, readXlsx, values } from './read-back.ts';

async function* from(rows: Array<Record<string, unknown>>): AsyncGenerator<Record<string, unknown>> {
  yield* rows;
}

describe('cell values', () => {
  it('escapes text a spreadsheet would run as a formula, and nothing else', () => {
    for (const text of ['=1+1', '+86 138', '-2', '@SUM(A1)', '\tx', '\rx']) {
      expect(escapeFormula(text)).toBe(`'${text}`);
    }
    for (const text of ['', 'abc', '张三', "'=x", ' =1', '1-2', 'a=b'])
      expect(escapeFormula(text)).toBe(text);
    expect(csvText(-2, 'text')).toBe('-2');
    expect(csvText('-2', 'text')).toBe("'-2");
    expect(csvText('-2', 'number')).toBe('-2');
    expect(csvText('=A1', 'number')).toBe("'=A1");
    expect(csvText({ a: '=1' }, 'text')).toBe('{"a":"=1"}');
    expect(xlsxCell(-2, 'text')).toEqual({ value: -2 });
    expect(xlsxCell('-2', 'text')).toEqual({ value: "'-2" });
    expect(xlsxCell('=1+1', 'money')).toEqual({ value: "'=1+1" });
    expect(xlsxCell('2024-02-30', 'date')).toEqual({ value: '2024-02-30' });
  });

  it('formats fen as yuan exactly, whatever the size', () => {
    expect(formatYuan(0)).toBe('0.00');
    expect(formatYuan(5)).toBe('0.05');
    expect(formatYuan(-5)).toBe('-0.05');
    expect(formatYuan(123456789012345)).toBe('1234567890123.45');
    expect(formatYuan(10n ** 20n + 1n)).toBe('1000000000000000000.01');
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }), (fen) => {
        const text = formatYuan(fen);
        expect(text).toMatch(/^-?\d+\.\d{2}$/);
        expect(BigInt(text.replace('.', ''))).toBe(fen);
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), (fen) => {
        // The XLSX number is the double nearest to the exact decimal.
        expect(xlsxCell(fen, 'money').value).toBe(Number(formatYuan(fen)));
        expect(Math.round((xlsxCell(fen, 'money').value as number) * 100)).toBe(fen);
      }),
    );
  });
});

describe('writeTable', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kelei-writer-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('round-trips any text through CSV: escaped exactly when it starts like a formula', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ unit: 'binary' }), { maxLength: 20 }), async (texts) => {
        const out = path.join(dir, 'prop.csv');
        await writeTable({
          format: 'csv',
          out,
          sheets: [
            { name: 'p', columns: [{ header: 'v', key: 'v' }], rows: from(texts.map((v) => ({ v }))) },
          ],
        });
        const { records } = readCsv(out);
        expect(records.slice(1).map((r) => r[0])).toEqual(texts.map((t) => escapeFormula(t)));
      }),
      { numRuns: 25 },
    );
  });

  it('refuses a CSV with several sheets and leaves no file behind on failure', async () => {
    const sheet = (): SheetSpec => ({ name: 's', columns: [{ header: 'a', key: 'a' }], rows: from([]) });
    await expect(
      writeTable({ format: 'csv', out: path.join(dir, 'two.csv'), sheets: [sheet(), sheet()] }),
    ).rejects.toMatchObject({ code: 'InvalidArgument' });
    async function* failing(): AsyncGenerator<Record<string, unknown>> {
      yield { a: 1 };
      throw new Error('database went away');
    }
    for (const format of ['csv', 'xlsx'] as const) {
      const out = path.join(dir, `broken.${format}`);
      const attempt = writeTable({
        format,
        out,
        sheets: [{ name: 's', columns: [{ header: 'a', key: 'a' }], rows: failing() }],
      });
      await expect(attempt).rejects.toBeInstanceOf(KeleiError);
      // A user-safe message in both languages; the cause, for the log, says what broke.
      await expect(attempt).rejects.toMatchObject({
        code: 'ExportFailed',
        message: 'the export failed',
        messageZh: '导出失败',
        cause: { message: 'database went away' },
      });
      expect(fs.existsSync(out)).toBe(false);
    }
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.part'))).toEqual([]);
  });

  it('writes several XLSX sheets with safe, unique names', async () => {
    const out = path.join(dir, 'multi.xlsx');
    const columns = [
      { header: '名称', key: 'name' },
      { header: '金额', key: 'amount', kind: 'money' as const },
      { header: '数量', key: 'n', kind: 'number' as const },
    ];
    await writeTable({
      format: 'xlsx',
      out,
      sheets: [
        { name: 'a/b:c', columns, rows: from([{ name: '=cmd', amount: 199, n: '-3' }]) },
        { name: 'A/B:C', columns, rows: from([{ name: 'x', amount: -100, n: 2.5 }]) },
      ],
    });
    const sheets = await readXlsx(out);
    expect(sheets.map((s) => s.name)).toEqual(['a_b_c', 'A_B_C(2)']);
    expect(values(sheets[0].rows[1])).toEqual(["'=cmd", 1.99, -3]);
    expect(values(sheets[1].rows[1])).toEqual(['x', -1, 2.5]);
  });
});
