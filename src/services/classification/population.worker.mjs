// A worker thread that reads one id range of a population (see population.ts). The
// sources are TypeScript run through tsx, as bin/kelei.js does for the main thread.
import { register } from 'tsx/esm/api';

register();
await import('./population.worker.ts');
