import { CloudWatchLogsClient, GetLogEventsCommand, type CloudWatchLogsClientConfig } from '@aws-sdk/client-cloudwatch-logs';

export interface LogEvent {
  readonly timestamp: number;
  readonly message: string;
}

/** Reads one log stream from its start: what GET /api/pipeline/run/logs needs of CloudWatch. */
export interface LogEventsReader {
  read(group: string, stream: string, limit: number): Promise<LogEvent[]>;
}

/** Narrow view of the SDK client, so a test can hand in any client speaking the protocol. */
interface LogsClient {
  send(command: GetLogEventsCommand): Promise<{ events?: { timestamp?: number; message?: string }[]; nextForwardToken?: string }>;
}

export class CloudWatchLogReader implements LogEventsReader {
  private client: LogsClient | null;

  /** A client, or the SDK client's config (region, endpoint...), made on the first read. */
  constructor(private readonly config: LogsClient | CloudWatchLogsClientConfig = {}) {
    this.client = 'send' in config ? config : null;
  }

  private get sdk(): LogsClient {
    this.client ??= new CloudWatchLogsClient(this.config as CloudWatchLogsClientConfig);
    return this.client;
  }

  async read(group: string, stream: string, limit: number): Promise<LogEvent[]> {
    const events: LogEvent[] = [];
    let token: string | undefined;
    // GetLogEvents answers the same forward token once the stream's end is reached.
    for (;;) {
      const page = await this.sdk.send(new GetLogEventsCommand({
        logGroupName: group, logStreamName: stream, startFromHead: true, nextToken: token, limit: Math.min(10000, limit),
      }));
      for (const e of page.events ?? []) events.push({ timestamp: e.timestamp ?? 0, message: e.message ?? '' });
      if (events.length >= limit || !page.nextForwardToken || page.nextForwardToken === token || (page.events ?? []).length === 0) break;
      token = page.nextForwardToken;
    }
    return events.slice(0, limit);
  }
}
