/**
 * Target worker thread: opens one target instance (one connection) on its first load, loads many
 * batches through it, and closes it on the end-of-run close task.
 */
import type { TargetConnector } from '../src/registry.js';
import type { Target } from '../src/stages/target.js';
import { tableFromBuffers } from '../src/pipeline/ipc.js';
import { loadConnector, stageData, toFailure, waitForAllThreads, workerContext } from '../src/pipeline/worker-runtime.js';
import type { LoadTask, WorkerFailure } from '../src/pipeline/worker-protocol.js';

let instance: Promise<Target> | undefined;

async function openTarget(): Promise<Target> {
  const connector = await loadConnector<TargetConnector<never>>();
  const target = await connector.create(stageData.config as never, workerContext());
  await target.open();
  return target;
}

export async function load(task: LoadTask): Promise<{ rows: number } | WorkerFailure> {
  try {
    instance ??= openTarget();
    const target = await instance;
    const table = tableFromBuffers(task.buffers);
    await target.load(table, task.info);
    return { rows: table.numRows };
  } catch (error) {
    return toFailure(error, 'FL_TARGET');
  }
}

export async function close(): Promise<{ closed: boolean } | WorkerFailure> {
  waitForAllThreads();
  const pending = instance;
  instance = undefined;
  try {
    if (pending) await (await pending).close();
    return { closed: pending !== undefined };
  } catch (error) {
    return toFailure(error, 'FL_TARGET');
  }
}
