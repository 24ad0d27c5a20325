import { parentPort, workerData } from 'node:worker_threads';
import { openSqliteReader, sqliteCapabilities } from '../../db/dialects/sqlite.ts';
import { computePopulationPart, type PopulationPart, type PopulationPartRequest } from './population.ts';

const { file, request } = workerData as { file: string; request: PopulationPartRequest };
const { db } = openSqliteReader(file);
try {
  const part = await computePopulationPart(db, request, sqliteCapabilities.prepare?.(db));
  parentPort?.postMessage({ part }, transferables(part));
} catch (e) {
  parentPort?.postMessage({ error: e instanceof Error ? e.message : String(e) });
} finally {
  await db.destroy();
}

/** The typed arrays' buffers move to the main thread instead of being copied. */
function transferables(part: PopulationPart): ArrayBuffer[] {
  const arrays: (Float64Array | Int32Array)[] = [
    part.ids,
    part.firstOrderDate,
    part.lastOrderDate,
    ...Object.values(part.numbers),
  ];
  for (const [key, value] of Object.entries(part.scoreInputs)) {
    if (key !== 'size' && value instanceof Float64Array) arrays.push(value);
  }
  return arrays.map((a) => a.buffer as ArrayBuffer);
}
