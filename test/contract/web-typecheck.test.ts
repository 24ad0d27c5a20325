import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const WEB = path.join(ROOT, 'web');
const CUSTOMERS_CONTRACT = path.join(ROOT, 'src/api/contract/customers.contract.ts');

/** Type errors of the web app (web/tsconfig.json) when one server file reads `text` instead of what it holds. */
function webErrorsWith(file: string, text: string): ts.Diagnostic[] {
  const config = ts.readConfigFile(path.join(WEB, 'tsconfig.json'), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, WEB);
  const host = ts.createCompilerHost(parsed.options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, language, ...rest) =>
    path.resolve(fileName) === file
      ? ts.createSourceFile(fileName, text, language)
      : getSourceFile(fileName, language, ...rest);
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options, host });
  return [...ts.getPreEmitDiagnostics(program)];
}

// The web app reads the server's DTOs through their inferred types, so renaming a field in
// the contract is a compile error in every page that reads it (not a blank cell at run time).
describe('the web app typechecks against the API contract', () => {
  it('fails when a DTO field is renamed on the server', () => {
    const original = fs.readFileSync(CUSTOMERS_CONTRACT, 'utf8');
    const renamed = original.replaceAll('totalAmount:', 'totalSpend:');
    expect(renamed).not.toBe(original);

    const errors = webErrorsWith(CUSTOMERS_CONTRACT, renamed);
    const where = errors.map((d) => ({
      file: d.file ? path.relative(ROOT, d.file.fileName) : '',
      message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
    }));
    expect(where.length).toBeGreaterThan(0);
    for (const e of where) {
      expect(e.file).toMatch(/^web\/src\//);
      expect(e.message).toContain('totalAmount');
    }
    expect(where.map((e) => e.file)).toEqual(
      expect.arrayContaining([
        'web/src/features/customers/customer-table.tsx',
        'web/src/features/customers/customer-detail.page.tsx',
      ]),
    );
  }, 300_000);
});
