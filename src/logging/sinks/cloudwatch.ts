import {
  CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand, type CloudWatchLogsClientConfig,
} from '@aws-sdk/client-cloudwatch-logs';
import Transport from 'winston-transport';
import { RetriesExhausted, withRetry } from '../../retry.js';

/** CloudWatch Logs' own limits on one PutLogEvents call. */
const MAX_EVENTS = 10_000;
const MAX_BYTES = 1_048_576;
const EVENT_OVERHEAD = 26;

type LogsCommand = CreateLogGroupCommand | CreateLogStreamCommand | PutLogEventsCommand;

/** Narrow view of the SDK client: a test hands in one pointed at a local endpoint. */
export interface LogsSender {
  send(command: LogsCommand): Promise<unknown>;
}

export interface CloudWatchSinkOptions {
  readonly logGroup: string;
  readonly logStream: string;
  readonly client: LogsSender | CloudWatchLogsClientConfig;
  /** Send when this many events wait (default and maximum 10,000). */
  readonly maxEvents?: number;
  /** Send when the waiting events reach this size (default and maximum 1 MiB, as CloudWatch counts). */
  readonly maxBytes?: number;
  /** Send what waits at least this often (default 1 s). */
  readonly flushIntervalMs?: number;
  /** Tries per batch before it is given up (default 5), with doubling waits from retryBaseMs. */
  readonly maxAttempts?: number;
  readonly retryBaseMs?: number;
  /** Events kept while CloudWatch is unreachable; the oldest go first (default 100,000). */
  readonly maxBuffered?: number;
  /** A batch given up after its retries (never thrown: logging must not fail a run). */
  readonly onError?: (error: Error) => void;
}

interface Event {
  timestamp: number;
  message: string;
}

/** Log group names allow letters, digits and `_-./#`; a pipeline id maps onto them. */
export function logGroupName(pipelineId: string): string {
  return pipelineId.replace(/[^A-Za-z0-9_\-./#]/g, '_').slice(0, 512);
}

/** The run's stream: its start time (as the seed named it), without the `:` CloudWatch refuses. */
export function logStreamName(start: Date): string {
  return start.toISOString().replace(/:/g, '-');
}

function bytes(event: Event): number {
  return Buffer.byteLength(event.message) + EVENT_OVERHEAD;
}

/**
 * Sends log lines to CloudWatch Logs (group = pipeline id, stream = run start time), in batches
 * by count, size and time, one batch at a time so they arrive in order, retrying failures.
 */
export class CloudWatchTransport extends Transport {
  private readonly client: LogsSender;
  private readonly pending: Event[] = [];
  private pendingBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private streamReady = false;
  private lastTimestamp = 0;

  constructor(private readonly options: CloudWatchSinkOptions) {
    super();
    this.client = 'send' in options.client ? options.client : new CloudWatchLogsClient(options.client);
  }

  override log(info: { level: string; message: unknown; timestamp?: unknown }, next: () => void): void {
    // CloudWatch wants events in time order: a clock step back must not reorder them.
    this.lastTimestamp = Math.max(this.lastTimestamp, Date.now());
    const event = { timestamp: this.lastTimestamp, message: `${info.level} ${String(info.message)}` };
    this.pending.push(event);
    this.pendingBytes += bytes(event);
    this.trimBuffer();
    if (this.pending.length >= (this.options.maxEvents ?? MAX_EVENTS) || this.pendingBytes >= (this.options.maxBytes ?? MAX_BYTES)) void this.flush();
    else this.schedule();
    next();
  }

  /** Sends everything waiting; resolves when every batch so far was sent or given up. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.pending.length > 0) {
      const batch = this.takeBatch();
      this.chain = this.chain.then(() => this.sendWithRetries(batch));
    }
    return this.chain;
  }

  override close(): void {
    void this.flush();
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => void this.flush(), this.options.flushIntervalMs ?? 1000);
    this.timer.unref();
  }

  private trimBuffer(): void {
    const max = this.options.maxBuffered ?? 100_000;
    while (this.pending.length > max) this.pendingBytes -= bytes(this.pending.shift() as Event);
  }

  private takeBatch(): Event[] {
    const maxEvents = Math.min(this.options.maxEvents ?? MAX_EVENTS, MAX_EVENTS);
    const maxBytes = Math.min(this.options.maxBytes ?? MAX_BYTES, MAX_BYTES);
    const batch: Event[] = [];
    let size = 0;
    while (this.pending.length > 0 && batch.length < maxEvents && (batch.length === 0 || size + bytes(this.pending[0]) <= maxBytes)) {
      const event = this.pending.shift() as Event;
      size += bytes(event);
      batch.push(event);
    }
    this.pendingBytes -= size;
    return batch;
  }

  private async sendWithRetries(batch: Event[]): Promise<void> {
    const policy = { attempts: this.options.maxAttempts ?? 5, initialMs: this.options.retryBaseMs ?? 200, maxMs: 30_000, jitter: false };
    try {
      await withRetry(policy, {
        retryable: () => true,
        onRetry: (error) => {
          if ((error as Error).name === 'ResourceNotFoundException') this.streamReady = false;
        },
      }, () => this.send(batch));
    } catch (error) {
      const last = (error instanceof RetriesExhausted ? error.lastError : error) as Error;
      if (last.name === 'ResourceNotFoundException') this.streamReady = false;
      this.options.onError?.(new Error(`CloudWatch Logs dropped ${batch.length} log lines after ${policy.attempts} tries: ${last.name}: ${last.message}`, { cause: last }));
    }
  }

  private async send(batch: Event[]): Promise<void> {
    const { logGroup, logStream } = this.options;
    if (!this.streamReady) {
      await this.createIgnoringExisting(new CreateLogGroupCommand({ logGroupName: logGroup }));
      await this.createIgnoringExisting(new CreateLogStreamCommand({ logGroupName: logGroup, logStreamName: logStream }));
      this.streamReady = true;
    }
    await this.client.send(new PutLogEventsCommand({ logGroupName: logGroup, logStreamName: logStream, logEvents: batch }));
  }

  private async createIgnoringExisting(command: CreateLogGroupCommand | CreateLogStreamCommand): Promise<void> {
    try {
      await this.client.send(command);
    } catch (error) {
      if ((error as Error).name !== 'ResourceAlreadyExistsException') throw error;
    }
  }
}
