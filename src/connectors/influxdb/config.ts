import type { RetrySettings } from '../../retry.js';

/** The validated `target.influxdb` section; defaults come from schemas/target/influxdb.schema.json. */
export interface InfluxdbTargetConfig {
  readonly url: string;
  readonly token?: string;
  readonly org: string;
  readonly bucket: string;
  readonly measurement: string;
  readonly tag_columns: readonly string[];
  /** Columns written as fields; every column that is not a tag or the time when absent. */
  readonly field_columns?: readonly string[];
  /** Timestamp or date column giving each point its time; without it, the load's time (as the seed did). */
  readonly time_column?: string;
  readonly precision: Precision;
  readonly batch_size: number;
  readonly concurrency: number;
  readonly lines_per_request: number;
  /** The shared retry policy; when set it replaces max_retries and the two delays. */
  readonly retry?: RetrySettings;
  readonly max_retries: number;
  readonly min_retry_delay_ms: number;
  readonly max_retry_delay_ms: number;
  readonly timeout_ms: number;
}

export type Precision = 'ns' | 'us' | 'ms' | 's';
