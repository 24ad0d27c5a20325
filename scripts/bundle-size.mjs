#!/usr/bin/env node
// Sizes of the built web app: the JavaScript a first visit loads (index.html's module
// script plus the chunks it preloads or statically imports) and every lazily loaded chunk,
// raw and gzipped. `node scripts/bundle-size.mjs [dist]` prints them; bench and tests import it.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const STATIC_IMPORT = /(?:^|[;}\n])\s*import\s*(?:[\w*${}\s,]+from\s*)?["'](\.\/[^"']+\.js)["']/g;

/** The initial JavaScript of a built app, and the rest of its chunks. */
export function bundleSizes(dist) {
  const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  const entries = [
    ...html.matchAll(/<(?:script[^>]+src|link[^>]+rel="modulepreload"[^>]+href)="\/?([^"]+\.js)"/g),
  ].map((m) => m[1]);
  const initial = new Set();
  const visit = (rel) => {
    if (initial.has(rel)) return;
    initial.add(rel);
    const code = fs.readFileSync(path.join(dist, rel), 'utf8');
    for (const m of code.matchAll(STATIC_IMPORT)) visit(path.posix.join(path.posix.dirname(rel), m[1]));
  };
  entries.forEach(visit);
  const size = (rel) => {
    const buf = fs.readFileSync(path.join(dist, rel));
    return { file: rel, bytes: buf.length, gzip: zlib.gzipSync(buf, { level: 9 }).length };
  };
  const all = fs
    .readdirSync(path.join(dist, 'assets'))
    .filter((f) => f.endsWith('.js'))
    .map((f) => `assets/${f}`);
  const initialFiles = [...initial].map(size);
  const lazyFiles = all.filter((f) => !initial.has(f)).map(size);
  const sum = (files, key) => files.reduce((a, f) => a + f[key], 0);
  return {
    initial: { files: initialFiles, bytes: sum(initialFiles, 'bytes'), gzip: sum(initialFiles, 'gzip') },
    lazy: { files: lazyFiles, bytes: sum(lazyFiles, 'bytes'), gzip: sum(lazyFiles, 'gzip') },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dist = path.resolve(process.argv[2] ?? process.env.KELEI_WEB_DIST ?? 'web/dist');
  const sizes = bundleSizes(dist);
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  console.log(
    `initial JavaScript: ${kb(sizes.initial.bytes)}, ${kb(sizes.initial.gzip)} gzipped, ${sizes.initial.files.length} files`,
  );
  for (const f of sizes.initial.files) console.log(`  ${f.file}  ${kb(f.gzip)} gz`);
  console.log(`lazily loaded: ${sizes.lazy.files.length} chunks, ${kb(sizes.lazy.gzip)} gzipped`);
}
