import { HttpError, InfluxDB, setLogger } from '@influxdata/influxdb-client';
import type { StageLogger as Logger } from '../../stages/context.js';
import type { InfluxdbTargetConfig } from './config.js';

/** What the InfluxDB target needs from the service: the narrow surface tests hand a real client through. */
export interface LineWriter {
  /** Writes line protocol in one request; rejects with the client's error when it is refused. */
  write(lines: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * A LineWriter over @influxdata/influxdb-client's write API (the v2 `/api/v2/write` endpoint):
 * the only place the client is created from its config. Each call is one flushed write, so a
 * load ends only when InfluxDB has accepted its points. The client's own retries are off: they
 * run in the background after flush() has already rejected, so a load could not wait for them;
 * the target retries instead, with the same kind of backoff.
 */
export function createLineWriter(
  config: InfluxdbTargetConfig,
  logger: Logger,
  influx = new InfluxDB({ url: config.url, token: config.token, timeout: config.timeout_ms }),
): LineWriter {
  // The client logs every failed write itself; route that through Fastlane's logger instead.
  setLogger({
    error: (message, error) => logger.debug(`influxdb client: ${message} ${(error as Error | undefined)?.message ?? ''}`),
    warn: (message, error) => logger.debug(`influxdb client: ${message} ${(error as Error | undefined)?.message ?? ''}`),
  });
  return {
    async write(lines) {
      const api = influx.getWriteApi(config.org, config.bucket, config.precision, {
        batchSize: lines.length + 1,
        maxBatchBytes: Number.MAX_SAFE_INTEGER,
        flushInterval: 0,
        maxRetries: 0,
      });
      api.writeRecords(lines as string[]);
      try {
        await api.flush();
      } finally {
        api.dispose();
      }
    },
    async close() {},
  };
}

/** The HTTP status of a refused write, or undefined when no answer came. */
export function httpStatus(error: unknown): number | undefined {
  return error instanceof HttpError ? error.statusCode : (error as { statusCode?: number })?.statusCode;
}
