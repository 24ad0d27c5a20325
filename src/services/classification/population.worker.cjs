// A worker thread that reads one id range of a population (see population.ts). The
// sources are TypeScript: a worker does not inherit the loader of its parent, and tsx's
// require hook (no loader thread of its own) takes less time and memory than its ESM loader.
require('tsx/cjs/api').register();
require('./population.worker.ts');
