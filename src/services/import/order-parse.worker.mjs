// A worker thread that reads, cleans and assembles the orders of a large import file
// (see order-source.ts). The sources are TypeScript run through tsx, as bin/kelei.js
// does for the main thread (a worker does not inherit the loader of its parent).
import { register } from 'tsx/esm/api';

register();
await import('./order-parse.worker.ts');
