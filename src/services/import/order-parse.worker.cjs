// A worker thread that reads, cleans and assembles the orders of a large delimited-text
// import file (see order-source.ts). The sources are TypeScript: a worker does not
// inherit the loader of its parent, and tsx's require hook (no loader thread of its own)
// starts in a fraction of the time its ESM loader takes.
require('tsx/cjs/api').register();
require('./order-parse.worker.ts');
