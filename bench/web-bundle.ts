import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';

const ROOT = path.resolve(import.meta.dirname, '..');

/** Builds the web app and sums the gzipped JS that index.html loads before any lazy route. */
export async function webBundle(): Promise<{ kb: number | null; files: string[] }> {
  const dist = path.join(os.tmpdir(), 'kelei-web-bench');
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build-web.mjs'), '--force'], {
    cwd: ROOT,
    env: { ...process.env, KELEI_WEB_DIST: dist },
    encoding: 'utf8',
  });
  const index = path.join(dist, 'index.html');
  if (r.status !== 0 || !fs.existsSync(index)) return { kb: null, files: [] };
  const html = fs.readFileSync(index, 'utf8');
  const entry = [...html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g)].map((m) => m[1]);
  const preloads = [...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)].map((m) => m[1]);
  const seen = new Set<string>();
  const queue = [...entry, ...preloads].map((u) => path.join(dist, u.replace(/^\//, '')));
  while (queue.length) {
    const file = queue.shift() as string;
    if (seen.has(file) || !fs.existsSync(file)) continue;
    seen.add(file);
    // static imports only: `import … from "./x.js"` and `import "./x.js"`, not `import("./x.js")`
    const code = fs.readFileSync(file, 'utf8');
    for (const m of code.matchAll(/(?:^|[;}\s])import\s*(?:[\w*{}\s,$]+from\s*)?["']([^"']+\.js)["']/g)) {
      queue.push(path.resolve(path.dirname(file), m[1]));
    }
  }
  let bytes = 0;
  for (const f of seen) bytes += zlib.gzipSync(fs.readFileSync(f), { level: 9 }).length;
  return { kb: bytes / 1024, files: [...seen].map((f) => path.relative(dist, f)) };
}
