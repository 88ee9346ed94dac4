import type { Logger } from '../logging/logger.js';

export type ReplicationMode = 'FULL_TABLE' | 'INCREMENTAL';

/** What every connector instance learns about the run it serves. */
export interface StageContext {
  readonly pipelineId: string;
  /** Unique per run: start time in ms since the epoch. Names files and staging tables. */
  readonly runId: string;
  readonly replicationMode: ReplicationMode;
  readonly logger: Logger;
}
