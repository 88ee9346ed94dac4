/**
 * Target worker thread: opens one target instance (one connection) on its first load, loads many
 * batches through it, and closes it on the end-of-run close task.
 */
import type { TargetConnector } from '../src/registry.js';
import type { Target } from '../src/stages/target.js';
import { movable, tableFromBuffers, type LoadResult } from '../src/ipc/batch-buffers.js';
import { loadConnector, stageData, toFailure, waitForAllThreads, workerContext } from '../src/pipeline/worker-runtime.js';
import type { LoadTask, WorkerFailure } from '../src/pipeline/worker-protocol.js';

let instance: Promise<Target> | undefined;

async function openTarget(): Promise<Target> {
  const connector = await loadConnector<TargetConnector<never>>();
  const target = await connector.create(stageData.config as never, workerContext());
  await target.open();
  return target;
}

export async function load(task: LoadTask): Promise<LoadResult | WorkerFailure> {
  try {
    instance ??= openTarget();
    const target = await instance;
    const table = tableFromBuffers(task.buffers, task.byteLengths);
    await target.load(table, task.info);
    // The target is done with the batch (Target.load's contract): its buffers go back to be reused.
    return movable({ rows: table.numRows, buffers: task.buffers }, task.buffers);
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
