import { Piscina } from 'piscina';
import { PACKAGE_ROOT, RUNNING_FROM_SOURCE } from '../paths.js';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { StageWorkerData } from './worker-protocol.js';

export type StageWorkerName = 'transform' | 'target';

/**
 * The worker file of a stage: the compiled JavaScript in production; from a source checkout
 * (tests, tsx) a shim that registers tsx in the thread, then loads the TypeScript worker.
 */
function workerFile(name: StageWorkerName): { filename: string; sourceEntry?: string } {
  if (RUNNING_FROM_SOURCE) {
    return { filename: join(PACKAGE_ROOT, 'workers', 'source-entry.mjs'), sourceEntry: pathToFileURL(join(PACKAGE_ROOT, 'workers', `${name}.ts`)).href };
  }
  return { filename: join(PACKAGE_ROOT, 'dist', 'workers', `${name}.js`) };
}

/** A fixed-size pool: every thread starts at once and lives for the whole run. */
export function createStagePool(name: StageWorkerName, data: Omit<StageWorkerData, 'threads' | 'barrier'>, threads: number): Piscina {
  const { filename, sourceEntry } = workerFile(name);
  const workerData: StageWorkerData & { sourceEntry?: string } = { ...data, threads, barrier: new SharedArrayBuffer(4), sourceEntry };
  return new Piscina({
    filename,
    minThreads: threads,
    maxThreads: threads,
    concurrentTasksPerWorker: 1,
    idleTimeout: Number.POSITIVE_INFINITY,
    // The pipeline bounds what is queued itself (max_buffered_batches).
    maxQueue: Number.POSITIVE_INFINITY,
    workerData,
  });
}
