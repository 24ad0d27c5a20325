import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CODE_DIRS = ['src', 'web/src', 'test', 'bench', 'scripts', 'bin'];
const DOCS = ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).map((f) => `docs/${f}`)].filter((f) =>
  f.endsWith('.md'),
);

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'dist' && entry.name !== 'results') {
        out.push(...filesUnder(rel));
      }
    } else if (/\.(ts|tsx|mts|cts|mjs|cjs|js)$/.test(entry.name)) {
      out.push(rel);
    }
  }
  return out;
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as dashes. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsOf(file: string): Set<string> {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8').replace(/```[\s\S]*?```/g, '');
  return new Set([...text.matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => slug(m[1])));
}

/** Whether `target` (a path relative to the repository, with an optional #anchor) exists. */
function resolves(target: string): boolean {
  const [file, anchor] = target.split('#');
  if (!fs.existsSync(path.join(ROOT, file))) return false;
  return anchor === undefined || !file.endsWith('.md') || anchorsOf(file).has(anchor);
}

describe('the documentation stands on its own', () => {
  it('no code cites a design document outside the repository', () => {
    const outside = new RegExp(`${'DESIGN'}(\\.md| §)`);
    const citing = CODE_DIRS.flatMap(filesUnder).filter((f) =>
      outside.test(fs.readFileSync(path.join(ROOT, f), 'utf8')),
    );
    expect(citing).toEqual([]);
  });

  it('every docs/ page a code comment names exists, with the section it names', () => {
    const broken: string[] = [];
    for (const file of CODE_DIRS.flatMap(filesUnder)) {
      const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
      for (const m of text.matchAll(/\bdocs\/[\w-]+\.md(#[\w-]+)?/g)) {
        if (!resolves(m[0])) broken.push(`${file}: ${m[0]}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('every relative link of the README and the docs leads to a file and a heading that exist', () => {
    const broken: string[] = [];
    for (const doc of DOCS) {
      const text = fs.readFileSync(path.join(ROOT, doc), 'utf8');
      for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const link = m[1];
        if (/^[a-z]+:/i.test(link)) continue;
        const target = link.startsWith('#')
          ? `${doc}${link}`
          : path.posix.normalize(path.posix.join(path.posix.dirname(doc), link));
        if (!resolves(target)) broken.push(`${doc}: ${link}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('the README links every page of docs/', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const unlinked = DOCS.filter((d) => d !== 'README.md' && !readme.includes(`](${d})`));
    expect(unlinked).toEqual([]);
  });
});
