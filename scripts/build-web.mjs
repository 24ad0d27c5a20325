#!/usr/bin/env node
// Builds the web app into web/dist with Vite when the build is missing or older than its
// sources, so `npm start` always serves the current app. `--force` rebuilds regardless.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const web = path.join(root, 'web');
const outDir = process.env.KELEI_WEB_DIST ? path.resolve(process.env.KELEI_WEB_DIST) : path.join(web, 'dist');
const built = path.join(outDir, 'index.html');

function newestSource(entry) {
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const name of fs.readdirSync(entry)) {
    if (name === 'dist' || name === 'node_modules') continue;
    newest = Math.max(newest, newestSource(path.join(entry, name)));
  }
  return newest;
}

const force = process.argv.includes('--force');
// The app also bundles the field registry and the contract's URL helper from the server's tree.
const shared = [path.join(root, 'src/core/fields.ts'), path.join(root, 'src/api/contract')];
const sources = Math.max(
  newestSource(web),
  ...shared.map(newestSource),
  fs.statSync(path.join(root, 'package-lock.json')).mtimeMs,
);
if (!force && fs.existsSync(built) && fs.statSync(built).mtimeMs >= sources) process.exit(0);

let vite;
try {
  vite = await import('vite');
} catch {
  if (fs.existsSync(built)) process.exit(0); // installed without dev dependencies: serve the shipped build
  console.error('The web app is not built and Vite is not installed: run `npm install`.');
  process.exit(1);
}
console.log('Building the web app (web/dist)…');
try {
  await vite.build({ configFile: path.join(web, 'vite.config.ts'), logLevel: 'warn' });
} catch (e) {
  console.error(`Building the web app failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
