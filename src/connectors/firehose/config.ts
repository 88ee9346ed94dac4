import type { RetrySettings } from '../../retry.js';
import type { AwsCredentialsConfig } from '../s3/config.js';

/** The validated `target.firehose` section; defaults come from schemas/target/firehose.schema.json. */
export interface FirehoseTargetConfig extends AwsCredentialsConfig {
  readonly delivery_stream: string;
  readonly region: string;
  readonly endpoint?: string;
  readonly batch_size: number;
  readonly concurrency: number;
  /** For the whole target: each of its `concurrency` workers sends at most its share. */
  readonly max_records_per_second: number;
  /** Attempts of each PutRecordBatch call the SDK retries as a whole (throttling, 5xx, network). */
  readonly max_attempts: number;
  /** Times the records a partly failed call refused are sent again. */
  /** The shared retry policy; when set it replaces record_retries. */
  readonly retry?: RetrySettings;
  readonly record_retries: number;
}
