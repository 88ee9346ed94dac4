
export type ReplicationMode = 'FULL_TABLE' | 'INCREMENTAL';

/** What every connector instance learns about the run it serves. */
export interface StageContext {
  readonly pipelineId: string;
  /** Unique per run: start time in ms since the epoch. Names files and staging tables. */
  readonly runId: string;
  readonly replicationMode: ReplicationMode;
  readonly logger: StageLogger;
}

/**
 * What connectors log through: the main thread's winston logger, or in a worker thread a light
 * one that forwards records to it (winston costs a tenth of a second to load per thread).
 */
export interface StageLogger {
  readonly level: string;
  error(message: string): unknown;
  warn(message: string): unknown;
  info(message: string): unknown;
  debug(message: string): unknown;
}
