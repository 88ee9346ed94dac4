import { BroadcastChannel, workerData } from 'node:worker_threads';
import { isFastlaneError } from '../errors.js';
import type { StageContext, StageLogger } from '../stages/context.js';
import type { LogRecord, StageWorkerData, WorkerFailure } from './worker-protocol.js';

/** winston's (npm) levels, most severe first. */
const SEVERITY: Record<string, number> = { error: 0, warn: 1, info: 2, http: 3, verbose: 4, debug: 5, silly: 6 };

/** Sends worker log records at or above `level` to the main thread, which writes them through its own transports. */
function channelLogger(channel: BroadcastChannel, level: string): StageLogger {
  const threshold = SEVERITY[level] ?? SEVERITY.info;
  const at = (recordLevel: 'error' | 'warn' | 'info' | 'debug') => (message: string) => {
    if (SEVERITY[recordLevel] > threshold) return;
    const record: LogRecord = { level: recordLevel, message: String(message) };
    channel.postMessage(record);
  };
  return { level, error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
}

export const stageData = workerData as StageWorkerData;

/** The context connectors in this worker thread see. */
export function workerContext(): StageContext {
  const channel = new BroadcastChannel(stageData.logChannel);
  channel.unref();
  const logger = channelLogger(channel, stageData.logLevel);
  return {
    pipelineId: stageData.pipelineId,
    runId: stageData.runId,
    replicationMode: stageData.replicationMode,
    logger,
  };
}

/** Imports the connector module named in workerData and returns its default export. */
export async function loadConnector<T>(): Promise<T> {
  const module = (await import(stageData.module)) as { default?: T };
  if (!module.default) throw new Error(`${stageData.module} has no default export`);
  return module.default;
}

export function toFailure(error: unknown, fallback: WorkerFailure['code']): WorkerFailure {
  const err = error instanceof Error ? error : new Error(String(error));
  const cause = err.cause instanceof Error ? ` (cause: ${err.cause.message})` : '';
  return {
    failed: true,
    code: isFastlaneError(err) ? err.code : fallback,
    message: `${err.message}${cause}`,
    stack: err.stack,
  };
}

/** Waits until every thread of the pool has taken its close task, so each thread gets one. */
export function waitForAllThreads(): void {
  const counter = new Int32Array(stageData.barrier);
  Atomics.add(counter, 0, 1);
  const deadline = Date.now() + 10_000;
  for (let seen = Atomics.load(counter, 0); seen < stageData.threads && Date.now() < deadline; seen = Atomics.load(counter, 0)) {
    Atomics.wait(counter, 0, seen, 100);
  }
  Atomics.notify(counter, 0);
}
