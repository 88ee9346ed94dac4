// Starts a TypeScript worker from a source checkout (tests, tsx): registers tsx's loader inside
// this thread (Node 20 does not apply a loader given in a worker's execArgv), then re-exports the
// worker's handlers. Production runs start the compiled dist/workers/*.js directly.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
export const { transform, load, close } = await import(workerData.sourceEntry);
