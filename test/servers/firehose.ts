import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A Firehose endpoint speaking AWS JSON 1.1 (`Firehose_20150804.PutRecordBatch`), for the real
 * @aws-sdk/client-firehose. It keeps Firehose's limits (500 records and 4 MiB per call, 1,000 KiB
 * per record), refuses unknown streams and access keys as AWS does, and can refuse chosen records
 * inside a call, as a throttled stream does.
 */
export interface FirehoseServerOptions {
  readonly streams: readonly string[];
  /** The only access key id accepted (the signature itself is not checked). */
  readonly accessKeyId: string;
  /** Whether to refuse a record on its `attempt`-th arrival (1-based). */
  readonly refuseRecord?: (data: Buffer, attempt: number) => boolean;
}

export interface PutCall {
  readonly stream: string;
  readonly records: number;
  readonly bytes: number;
  readonly refused: number;
}

export interface FirehoseServer {
  readonly endpoint: string;
  /** Records taken, per stream, in arrival order. */
  records(stream: string): Buffer[];
  readonly calls: PutCall[];
  stop(): Promise<void>;
}

const MAX_RECORDS = 500;
const MAX_CALL_BYTES = 4 * 1024 * 1024;
const MAX_RECORD_BYTES = 1000 * 1024;

class AwsError extends Error {
  constructor(readonly type: string, message: string) {
    super(message);
  }
}

export async function startFirehoseServer(options: FirehoseServerOptions): Promise<FirehoseServer> {
  const taken = new Map<string, Buffer[]>(options.streams.map((s) => [s, []]));
  const arrivals = new Map<string, number>();
  const calls: PutCall[] = [];

  function putRecordBatch(body: { DeliveryStreamName?: string; Records?: { Data?: string }[] }): unknown {
    const stream = body.DeliveryStreamName ?? '';
    const store = taken.get(stream);
    if (!store) throw new AwsError('ResourceNotFoundException', `Firehose ${stream} under account 123456789012 not found.`);
    const records = (body.Records ?? []).map((r) => Buffer.from(r.Data ?? '', 'base64'));
    const bytes = records.reduce((sum, r) => sum + r.byteLength, 0);
    if (records.length === 0 || records.length > MAX_RECORDS) throw new AwsError('InvalidArgumentException', `Records must hold 1 to ${MAX_RECORDS} records, got ${records.length}.`);
    if (bytes > MAX_CALL_BYTES) throw new AwsError('InvalidArgumentException', `Records size ${bytes} exceeds the limit of ${MAX_CALL_BYTES} bytes.`);
    if (records.some((r) => r.byteLength > MAX_RECORD_BYTES)) throw new AwsError('InvalidArgumentException', `A record exceeds ${MAX_RECORD_BYTES} bytes.`);
    const responses = records.map((data) => {
      const key = data.toString('base64');
      const attempt = (arrivals.get(key) ?? 0) + 1;
      arrivals.set(key, attempt);
      if (options.refuseRecord?.(data, attempt)) return { ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'Slow down.' };
      store.push(data);
      return { RecordId: `${stream}-${store.length}` };
    });
    const refused = responses.filter((r) => 'ErrorCode' in r).length;
    calls.push({ stream, records: records.length, bytes, refused });
    return { FailedPutCount: refused, Encrypted: false, RequestResponses: responses };
  }

  function answer(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': `req-${calls.length}` });
    res.end(JSON.stringify(body));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    try {
      const keyId = /Credential=([^/]+)\//.exec(req.headers.authorization ?? '')?.[1];
      if (keyId !== options.accessKeyId) throw new AwsError('UnrecognizedClientException', 'The security token included in the request is invalid.');
      if (req.method !== 'POST' || req.headers['x-amz-target'] !== 'Firehose_20150804.PutRecordBatch') {
        throw new AwsError('UnknownOperationException', `unsupported operation ${String(req.headers['x-amz-target'])}`);
      }
      answer(res, 200, putRecordBatch(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
    } catch (error) {
      const type = error instanceof AwsError ? error.type : 'InternalFailure';
      answer(res, error instanceof AwsError ? 400 : 500, { __type: type, message: (error as Error).message });
    }
  }

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    records: (stream) => taken.get(stream) ?? [],
    calls,
    stop: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
