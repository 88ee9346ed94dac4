import { BroadcastChannel, workerData } from 'node:worker_threads';
import Transport from 'winston-transport';
import winston from 'winston';
import { isFastlaneError } from '../errors.js';
import type { StageContext } from '../stages/context.js';
import type { LogRecord, StageWorkerData, WorkerFailure } from './worker-protocol.js';

/** Sends worker log records to the main thread, which writes them through its own transports. */
class ChannelTransport extends Transport {
  constructor(private readonly channel: BroadcastChannel) {
    super();
  }

  override log(info: { level: string; message: unknown }, next: () => void): void {
    const record: LogRecord = { level: info.level, message: String(info.message) };
    this.channel.postMessage(record);
    next();
  }
}

export const stageData = workerData as StageWorkerData;

/** The context connectors in this worker thread see. */
export function workerContext(): StageContext {
  const channel = new BroadcastChannel(stageData.logChannel);
  channel.unref();
  const logger = winston.createLogger({ level: stageData.logLevel, transports: [new ChannelTransport(channel)] });
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
