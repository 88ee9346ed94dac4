import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/**
 * A CloudWatch Logs endpoint on loopback speaking the service's protocol (AWS JSON 1.1: POST /,
 * `x-amz-target: Logs_20140328.<Operation>`, JSON in and out, errors as HTTP 400 with `__type`),
 * enough for the real SDK client: CreateLogGroup, CreateLogStream, PutLogEvents, GetLogEvents.
 */
export interface StoredEvent {
  readonly timestamp: number;
  readonly message: string;
  readonly ingestionTime: number;
}

class ServiceError extends Error {
  constructor(readonly type: string, message: string, readonly status = 400) {
    super(message);
  }
}

interface Body {
  logGroupName?: string;
  logStreamName?: string;
  logEvents?: { timestamp: number; message: string }[];
  nextToken?: string;
  limit?: number;
  [key: string]: unknown;
}

export class CloudWatchLogsServer {
  /** group -> stream -> events, in the order received. */
  readonly groups = new Map<string, Map<string, StoredEvent[]>>();
  /** Every operation called, in order (e.g. 'PutLogEvents'). */
  readonly calls: string[] = [];
  private failures: { type: string; status: number }[] = [];
  private server: Server | null = null;

  /** Fails the next `count` PutLogEvents calls (e.g. throttling or a 5xx). */
  failNextPuts(count: number, type = 'ServiceUnavailableException', status = 503): void {
    for (let i = 0; i < count; i++) this.failures.push({ type, status });
  }

  events(group: string, stream: string): StoredEvent[] {
    return this.groups.get(group)?.get(stream) ?? [];
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith('Logs_20140328.') ? target.slice('Logs_20140328.'.length) : '';
    this.calls.push(operation);
    try {
      if (req.method !== 'POST' || !String(req.headers['content-type']).startsWith('application/x-amz-json-1.1')) {
        throw new ServiceError('SerializationException', 'expected POST of application/x-amz-json-1.1');
      }
      if (!String(req.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 ')) throw new ServiceError('MissingAuthenticationTokenException', 'request is not signed');
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Body;
      this.reply(res, 200, this.dispatch(operation, body));
    } catch (error) {
      const e = error instanceof ServiceError ? error : new ServiceError('InternalFailure', (error as Error).message, 500);
      this.reply(res, e.status, { __type: e.type, message: e.message });
    }
  }

  private reply(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': `req-${this.calls.length}` });
    res.end(JSON.stringify(body));
  }

  private dispatch(operation: string, body: Body): Record<string, unknown> {
    switch (operation) {
      case 'CreateLogGroup': return this.createGroup(body);
      case 'CreateLogStream': return this.createStream(body);
      case 'PutLogEvents': return this.put(body);
      case 'GetLogEvents': return this.get(body);
      default: throw new ServiceError('UnknownOperationException', `unknown operation '${operation}'`);
    }
  }

  private createGroup(body: Body): Record<string, unknown> {
    const name = body.logGroupName ?? '';
    if (this.groups.has(name)) throw new ServiceError('ResourceAlreadyExistsException', 'The specified log group already exists');
    if (!/^[\w\-./#]{1,512}$/.test(name)) throw new ServiceError('InvalidParameterException', 'invalid logGroupName');
    this.groups.set(name, new Map());
    return {};
  }

  private stream(body: Body): StoredEvent[] {
    const events = this.groups.get(body.logGroupName ?? '')?.get(body.logStreamName ?? '');
    if (!events) throw new ServiceError('ResourceNotFoundException', 'The specified log group or stream does not exist.');
    return events;
  }

  private createStream(body: Body): Record<string, unknown> {
    const group = this.groups.get(body.logGroupName ?? '');
    const stream = body.logStreamName ?? '';
    if (!group) throw new ServiceError('ResourceNotFoundException', 'The specified log group does not exist.');
    if (group.has(stream)) throw new ServiceError('ResourceAlreadyExistsException', 'The specified log stream already exists');
    if (stream === '' || /[:*]/.test(stream)) throw new ServiceError('InvalidParameterException', 'logStreamName must be set, without : or *');
    group.set(stream, []);
    return {};
  }

  private put(body: Body): Record<string, unknown> {
    const failure = this.failures.shift();
    if (failure) throw new ServiceError(failure.type, 'injected failure', failure.status);
    const events = this.stream(body);
    const incoming = body.logEvents ?? [];
    if (incoming.length === 0 || incoming.length > 10_000) throw new ServiceError('InvalidParameterException', 'logEvents must hold 1 to 10,000 events');
    const size = incoming.reduce((sum, e) => sum + Buffer.byteLength(e.message) + 26, 0);
    if (size > 1_048_576) throw new ServiceError('InvalidParameterException', 'batch larger than 1,048,576 bytes');
    for (let i = 1; i < incoming.length; i++) {
      if (incoming[i].timestamp < incoming[i - 1].timestamp) throw new ServiceError('InvalidParameterException', 'Log events in a single PutLogEvents request must be in chronological order.');
    }
    const now = Date.now();
    for (const e of incoming) events.push({ timestamp: e.timestamp, message: e.message, ingestionTime: now });
    return { nextSequenceToken: String(events.length) };
  }

  private get(body: Body): Record<string, unknown> {
    const events = this.stream(body);
    const start = body.nextToken ? Number(String(body.nextToken).slice(2)) : 0;
    const limit = Math.min(Number(body.limit ?? 10_000), 10_000);
    const page = events.slice(start, start + limit);
    return { events: page, nextForwardToken: `f/${start + page.length}`, nextBackwardToken: `b/${start}` };
  }
}
