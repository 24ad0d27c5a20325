import { describe, expect, it } from 'vitest';
import { type ImportEdge, importCycles, importEdges, sourceFiles } from './import-graph.ts';

/**
 * The layer rules of src/, checked on the import statements of the source files:
 * imports point down (cli, api → services → core, db; db → core; core → nothing else),
 * routes and commands reach the database only through services, and no two files
 * import each other, however indirectly.
 */

/**
 * The files that open the database handle and hand it on; they alone in api/ and cli/ may
 * import db/. app-deps.ts is the type of what the roots hand to every route.
 */
const COMPOSITION_ROOTS = new Set([
  'src/api/server.ts',
  'src/api/app.ts',
  'src/api/app-deps.ts',
  'src/cli/context.ts',
]);

/**
 * Import cycles allowed to exist: none. Each entry would be one strongly connected
 * group of files; the test fails on any cycle not listed here and on any entry that no
 * longer exists. Keep it empty: break a new cycle instead of listing it.
 */
const KNOWN_CYCLES: readonly (readonly string[])[] = [];

const files = sourceFiles();
const edges = importEdges(files);

const layerOf = (file: string) => /^src\/([^/]+)\//.exec(file)?.[1] ?? 'root';
const show = (list: ImportEdge[]) => list.map((e) => `${e.from} → ${e.specifier}`);

describe('layers of src/', () => {
  it('reads the import graph (a sanity check: the test sees real imports)', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(edges).toContainEqual(
      expect.objectContaining({ from: 'src/cli/context.ts', to: 'src/db/connect.ts' }),
    );
  });

  it('routes and CLI commands never import src/db; only the composition roots do', () => {
    const offending = edges.filter(
      (e) =>
        (layerOf(e.from) === 'api' || layerOf(e.from) === 'cli') &&
        !COMPOSITION_ROOTS.has(e.from) &&
        layerOf(e.to) === 'db',
    );
    expect(show(offending)).toEqual([]);
  });

  it('core imports nothing outside core', () => {
    expect(show(edges.filter((e) => layerOf(e.from) === 'core' && layerOf(e.to) !== 'core'))).toEqual([]);
  });

  it('db imports only core; services never import api or cli', () => {
    const db = edges.filter((e) => layerOf(e.from) === 'db' && !['db', 'core'].includes(layerOf(e.to)));
    const services = edges.filter(
      (e) => layerOf(e.from) === 'services' && ['api', 'cli'].includes(layerOf(e.to)),
    );
    expect(show([...db, ...services])).toEqual([]);
  });

  it('has no import cycles beyond the known ones being taken apart', () => {
    const key = (files: readonly string[]) => [...files].sort().join(' ⇄ ');
    const found = importCycles(edges).map(key);
    const known = KNOWN_CYCLES.map(key);
    expect(
      found.filter((c) => !known.includes(c)),
      'new import cycles',
    ).toEqual([]);
    expect(
      known.filter((c) => !found.includes(c)),
      'cycles that are gone: remove them from KNOWN_CYCLES',
    ).toEqual([]);
  });

  it('finds a cycle when there is one (the check itself works)', () => {
    const edge = (from: string, to: string): ImportEdge => ({ from, to, specifier: to });
    expect(importCycles([edge('a', 'b'), edge('b', 'c'), edge('c', 'a'), edge('c', 'd')])).toEqual([
      ['a', 'b', 'c'],
    ]);
    expect(importCycles([edge('a', 'b'), edge('b', 'c')])).toEqual([]);
  });
});
