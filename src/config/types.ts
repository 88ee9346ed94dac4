import type { ReplicationMode } from '../stages/context.js';

export interface LogsConfig {
  readonly log_file?: string;
  readonly log_to_cloudwatch: boolean;
  readonly error_log_to_slack: boolean;
  readonly slack_webhook_url?: string;
  readonly level: 'error' | 'warn' | 'info' | 'debug';
}

/** A validated, defaulted and frozen pipeline config, in the seed's shape. */
export interface PipelineConfig {
  readonly source: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly target: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly transform: Readonly<Record<string, unknown>>;
  readonly replication_mode: ReplicationMode;
  readonly max_buffered_batches: number;
  /** Seconds a stop waits for batches in flight before it gives up (exit 1). */
  readonly stop_timeout_s: number;
  /** Seconds one transform or load task may run in a worker thread. */
  readonly task_timeout_s: number;
  readonly logs: LogsConfig;
  readonly ssm?: { readonly region?: string };
}
