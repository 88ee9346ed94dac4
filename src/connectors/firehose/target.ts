import type { Table } from 'apache-arrow';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LoadInfo, Target } from '../../stages/target.js';
import type { StageContext } from '../../stages/context.js';
import type { Offset } from '../../stages/offset.js';
import { FastlaneError } from '../../errors.js';
import type { FirehoseTargetConfig } from './config.js';
import { createRecordSink, type RecordSink, type RefusedRecord } from './client.js';
import { RateLimiter } from './rate-limiter.js';
import { recordCalls, rowsToRecords } from './records.js';

const FIRST_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 5000;

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
    for (let retry = 0; ; retry++) {
      await this.limiter.take(pending.length);
      const refused = await this.sink.putRecordBatch(pending);
      if (refused.length === 0) return;
      if (retry >= this.config.record_retries) throw this.gaveUp(refused, retry + 1);
      this.context.logger.debug(`firehose: ${refused.length} of ${pending.length} records refused (${refused[0].code}); sending them again`);
      pending = refused.map((r) => pending[r.index]);
      await sleep(backoff(retry));
    }
  }

  private gaveUp(refused: RefusedRecord[], attempts: number): FastlaneError {
    const first = refused[0];
    return new FastlaneError(
      'FL_TARGET',
      `delivery stream '${this.config.delivery_stream}' refused ${refused.length} records ${attempts} times (${first.code}: ${first.message}); raise record_retries or lower max_records_per_second`,
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

/** Exponential backoff with full jitter, so throttled workers do not retry in step. */
function backoff(retry: number): number {
  return Math.random() * Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** retry);
}

/** Builds the target (the connector in ./connector.js imports this module only when a run uses it). */
export function createFirehoseTarget(config: FirehoseTargetConfig, context: StageContext): Target {
  return new FirehoseTarget(config, context, createRecordSink(config));
}
