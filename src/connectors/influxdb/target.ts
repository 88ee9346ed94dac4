import type { Table } from 'apache-arrow';
import type { LoadInfo, Target } from '../../stages/target.js';
import type { StageContext } from '../../stages/context.js';
import type { Offset } from '../../stages/offset.js';
import { FastlaneError } from '../../errors.js';
import { RetriesExhausted, retryPolicy, withRetry, type RetryPolicy } from '../../retry.js';
import { inPrecision } from './time.js';
import type { InfluxdbTargetConfig } from './config.js';
import { createLineWriter, httpStatus, type LineWriter } from './client.js';
import { rowsToPoints } from './lines.js';

const NETWORK = /\b(ECONNREFUSED|ECONNRESET|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|EAI_AGAIN|EPIPE)\b/;

/**
 * Writes each row as one point of `measurement`: tag columns as tags, the other columns (or
 * field_columns) as typed fields, time from time_column or the load's time. Requests that fail
 * for a reason that may pass (timeouts, 429, 5xx, network) are retried with backoff.
 */
export class InfluxdbTarget implements Target {
  constructor(
    private readonly config: InfluxdbTargetConfig,
    private readonly context: StageContext,
    private readonly writer: LineWriter,
  ) {}

  async open(): Promise<void> {}

  async load(batch: Table, info: LoadInfo): Promise<void> {
    const loadTime = inPrecision(BigInt(Date.now()) * 1000n, this.config.precision);
    const { lines, skipped } = rowsToPoints(batch, this.config, loadTime);
    if (skipped > 0) this.context.logger.warn(`influxdb: load ${info.sequence}: ${skipped} rows have no non-NULL field and were left out`);
    for (let start = 0; start < lines.length; start += this.config.lines_per_request) {
      await this.writeWithRetries(lines.slice(start, start + this.config.lines_per_request));
    }
  }

  /** The shared retry policy, from this connector's own retry settings. */
  private get policy(): RetryPolicy {
    if (this.config.retry) return retryPolicy(this.config.retry);
    return { attempts: this.config.max_retries + 1, initialMs: this.config.min_retry_delay_ms, maxMs: this.config.max_retry_delay_ms, jitter: true };
  }

  /** Writes, retrying what may pass; the server's Retry-After replaces the backoff when it sent one. */
  private async writeWithRetries(lines: string[]): Promise<void> {
    try {
      await withRetry(this.policy, {
        retryable,
        hintMs: (error) => ((error as { retryAfter?: () => number }).retryAfter?.() ?? 0) * 1000,
        onRetry: (error, attempt) => {
          this.context.logger.debug(`influxdb: write failed (${(error as Error).message}); retry ${attempt} of ${this.policy.attempts - 1}`);
        },
      }, () => this.writer.write(lines));
    } catch (error) {
      throw this.explain(error instanceof RetriesExhausted ? error.lastError : error);
    }
  }

  private explain(error: unknown): FastlaneError {
    const status = httpStatus(error);
    const detail = (error as Error)?.message ?? String(error);
    const where = `InfluxDB at ${this.config.url}`;
    if (status === undefined && NETWORK.test(`${(error as { code?: string }).code ?? ''} ${detail}`)) {
      return new FastlaneError('FL_CONNECT', `${where} is unreachable (${detail}); check target.influxdb.url`, { cause: error });
    }
    if (status === 401 || status === 403) {
      return new FastlaneError('FL_CONNECT', `${where} refused the token (${detail}); check target.influxdb.token and its write permission on bucket '${this.config.bucket}'`, { cause: error });
    }
    if (status === 404) {
      return new FastlaneError('FL_TARGET', `${where} has no org '${this.config.org}' with bucket '${this.config.bucket}' (${detail}); check target.influxdb.org and bucket`, { cause: error });
    }
    return new FastlaneError('FL_TARGET', `${where} refused the points (${detail})`, { cause: error });
  }

  async close(): Promise<void> {
    await this.writer.close();
  }

  /** Points carry no replication key to read back: INCREMENTAL runs start from the source's configured offset. */
  async getOffset(): Promise<Offset | null> {
    return null;
  }
}

function retryable(error: unknown): boolean {
  const status = httpStatus(error);
  if (status === undefined) return true;
  return status === 408 || status === 429 || status >= 500;
}

/** Builds the target (the connector in ./connector.js imports this module only when a run uses it). */
export function createInfluxdbTarget(config: InfluxdbTargetConfig, context: StageContext): Target {
  return new InfluxdbTarget(config, context, createLineWriter(config, context.logger));
}
