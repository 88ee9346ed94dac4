import type { Table } from 'apache-arrow';
import type { LoadInfo, Target } from '../../stages/target.js';
import type { StageContext } from '../../stages/context.js';
import type { Offset } from '../../stages/offset.js';
import { FastlaneError } from '../../errors.js';
import { RetriesExhausted, retryPolicy, withRetry } from '../../retry.js';
import type { FirehoseTargetConfig } from './config.js';
import { createRecordSink, type RecordSink, type RefusedRecord } from './client.js';
import { RateLimiter } from './rate-limiter.js';
import { recordCalls, rowsToRecords } from './records.js';

/** Waits between resends of refused records (Firehose throttles per stream). */
const RESEND_BACKOFF = { initialMs: 100, maxMs: 5000, jitter: true } as const;

/** Some records of a call were refused: the retry sends only those. */
class PartlyRefused extends Error {
  constructor(readonly refused: RefusedRecord[]) {
    super(`${refused.length} records refused (${refused[0].code})`);
  }
}

/**
 * Sends each row as one newline-terminated JSON record through PutRecordBatch. Records a call
 * refuses are sent again, alone, with backoff; the whole target keeps to max_records_per_second.
 */
export class FirehoseTarget implements Target {
  private readonly limiter: RateLimiter;

  constructor(
    private readonly config: FirehoseTargetConfig,
    private readonly context: StageContext,
    private readonly sink: RecordSink,
  ) {
    // Each worker thread holds one instance: together they keep to the configured rate.
    this.limiter = new RateLimiter(config.max_records_per_second / config.concurrency);
  }

  async open(): Promise<void> {}

  async load(batch: Table, info: LoadInfo): Promise<void> {
    const records = rowsToRecords(batch, `load ${info.sequence}`);
    for (const call of recordCalls(records)) await this.send(call);
  }

  /** Sends one call's records, then only the refused ones again, until all are taken or retries run out. */
  private async send(records: Uint8Array[]): Promise<void> {
    let pending = records;
    const policy = this.config.retry ? retryPolicy(this.config.retry) : { ...RESEND_BACKOFF, attempts: this.config.record_retries + 1 };
    try {
      await withRetry(policy, {
        retryable: (error) => error instanceof PartlyRefused,
        onRetry: (error) => {
          const { refused } = error as PartlyRefused;
          this.context.logger.debug(`firehose: ${refused.length} of ${pending.length} records refused (${refused[0].code}); sending them again`);
          pending = refused.map((r) => pending[r.index]);
        },
      }, async () => {
        await this.limiter.take(pending.length);
        const refused = await this.sink.putRecordBatch(pending);
        if (refused.length > 0) throw new PartlyRefused(refused);
      });
    } catch (error) {
      if (error instanceof RetriesExhausted && error.lastError instanceof PartlyRefused) throw this.gaveUp(error.lastError.refused, error.attempts);
      throw error;
    }
  }

  private gaveUp(refused: RefusedRecord[], attempts: number): FastlaneError {
    const first = refused[0];
    return new FastlaneError(
      'FL_TARGET',
      `delivery stream '${this.config.delivery_stream}' refused ${refused.length} records ${attempts} times (${first.code}: ${first.message}); raise retry.attempts (or record_retries) or lower max_records_per_second`,
      { context: { refused: refused.length } },
    );
  }

  async close(): Promise<void> {
    this.sink.close();
  }

  /** Firehose cannot be read back: INCREMENTAL runs start from the source's configured offset. */
  async getOffset(): Promise<Offset | null> {
    return null;
  }
}


/** Builds the target (the connector in ./connector.js imports this module only when a run uses it). */
export function createFirehoseTarget(config: FirehoseTargetConfig, context: StageContext): Target {
  return new FirehoseTarget(config, context, createRecordSink(config));
}
