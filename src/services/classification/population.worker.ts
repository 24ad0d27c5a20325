import { parentPort, workerData } from 'node:worker_threads';
import { openWorkerReader } from '../../db/dialects/sqlite/sqlite-readers.ts';
import { computePopulationPart, type PopulationPartRequest } from './population.ts';

// Writes its range of the population into the columns shared with the main thread and
// sends back only what does not fit in them: the count and the customers' attributes.
async function readRange(): Promise<void> {
  const { file, request } = workerData as { file: string; request: PopulationPartRequest };
  const { db, prepare } = openWorkerReader(file);
  try {
    const part = await computePopulationPart(db, request, prepare);
    parentPort?.postMessage({ size: part.size, attributes: part.attributes });
  } catch (e) {
    parentPort?.postMessage({ error: e instanceof Error ? e.message : String(e) });
  } finally {
    await db.destroy();
  }
}

void readRange();
