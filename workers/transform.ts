/**
 * Transform worker thread: receives a batch as moved Arrow IPC bytes, runs the configured
 * transform, and moves the result back. One transform instance per thread.
 */
import type { TransformConnector } from '../src/registry.js';
import type { Transform } from '../src/stages/transform.js';
import { movable, tableFromBuffers, tableToBuffer, type BatchResult } from '../src/ipc/batch-buffers.js';
import { loadConnector, stageData, toFailure, workerContext } from '../src/pipeline/worker-runtime.js';
import type { TransformTask, WorkerFailure } from '../src/pipeline/worker-protocol.js';

let instance: Promise<Transform> | undefined;

async function createTransform(): Promise<Transform> {
  const connector = await loadConnector<TransformConnector<never>>();
  return await connector.create(stageData.config as never, workerContext());
}

export async function transform(task: TransformTask): Promise<BatchResult | WorkerFailure> {
  try {
    instance ??= createTransform();
    const input = tableFromBuffers([task.buffer], task.byteLength === undefined ? undefined : [task.byteLength]);
    const output = await (await instance).transform(input);
    // A batch the transform left as it was goes back as the bytes it came in: no second serialization.
    if (output === input) return movable({ buffer: task.buffer, byteLength: task.byteLength, rows: output.numRows }, [task.buffer]);
    const buffer = tableToBuffer(output);
    return movable({ buffer, rows: output.numRows }, [buffer]);
  } catch (error) {
    return toFailure(error, 'FL_TRANSFORM');
  }
}
