import type { ReplicationMode } from '../stages/context.js';
import type { LoadInfo } from '../stages/target.js';
import type { ErrorCode } from '../errors.js';

/** What each stage worker thread is started with (workerData). Plain data: it is cloned. */
export interface StageWorkerData {
  /** URL of the connector module (default export) the worker instantiates. */
  readonly module: string;
  readonly config: Readonly<Record<string, unknown>>;
  readonly pipelineId: string;
  readonly runId: string;
  readonly replicationMode: ReplicationMode;
  readonly logLevel: string;
  /** Name of the BroadcastChannel that carries worker log records to the main thread. */
  readonly logChannel: string;
  readonly threads: number;
  /** One Int32 counter: the end-of-run barrier that gets each thread exactly one close task. */
  readonly barrier: SharedArrayBuffer;
}

export interface TransformTask {
  readonly buffer: ArrayBuffer;
  /** Bytes of the batch at the start of `buffer` (a recycled buffer may be longer); all of it when absent. */
  readonly byteLength?: number;
  readonly sequence: number;
}

export interface LoadTask {
  readonly buffers: ArrayBuffer[];
  readonly byteLengths?: number[];
  readonly info: LoadInfo;
}

/** A failure crosses the thread boundary as plain data: Error objects lose their code there. */
export interface WorkerFailure {
  readonly failed: true;
  readonly code: ErrorCode;
  readonly message: string;
  readonly stack?: string;
}

export interface LogRecord {
  readonly level: string;
  readonly message: string;
}
