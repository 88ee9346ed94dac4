import type { BigQuery } from '@google-cloud/bigquery';

/** One raw row of the REST API: `{"f": [{"v": ...}, ...]}`, values as the API's JSON gives them. */
export interface RawRow {
  readonly f: readonly { readonly v: unknown }[];
}

export interface RawField {
  readonly name: string;
  readonly type: string;
  readonly mode?: string;
  readonly fields?: readonly RawField[];
  readonly precision?: string;
  readonly scale?: string;
}

export interface RawPage {
  readonly rows?: readonly RawRow[];
  readonly totalRows?: string;
  readonly pageToken?: string;
}

export interface RawTable {
  readonly type?: string;
  readonly numRows?: string;
  readonly schema?: { readonly fields?: readonly RawField[] };
}

export interface RawQueryResponse extends RawPage {
  readonly jobComplete?: boolean;
  readonly jobReference?: { readonly projectId: string; readonly jobId: string; readonly location?: string };
  readonly schema?: { readonly fields?: readonly RawField[] };
}

/** The few REST calls the source makes, so a test may hand in a fake and runs use the real client. */
export interface BigQueryRest {
  get<T>(path: string, query: Record<string, string | number | boolean>): Promise<T>;
  /** A GET whose JSON body is parsed once here: row pages, which the client would parse and then deep-copy. */
  getPage<T>(path: string, query: Record<string, string | number | boolean>): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
}

/** An error answer as the client reports one: `code` is the HTTP status, the message the API's. */
export class HttpStatusError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
    this.name = 'HttpStatusError';
  }
}

interface BodyStream extends NodeJS.ReadableStream {
  on(event: 'response', listener: (response: { statusCode: number }) => void): this;
  on(event: 'data', listener: (chunk: Buffer) => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  on(event: 'end', listener: () => void): this;
}

/**
 * The body of a GET through the client's streaming path (its auth, timeout and retries of GETs),
 * collected as bytes and parsed once. The client's callback path parses the body and then
 * deep-copies it (`extend(true, ...)`), which for a page of rows costs more than the parse.
 */
function streamedJson<T>(client: BigQuery, options: Record<string, unknown>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const stream = client.requestStream(options as never) as unknown as BodyStream;
    const chunks: Buffer[] = [];
    let status = 200;
    stream.on('response', (response) => { status = response.statusCode; });
    stream.on('data', (chunk) => chunks.push(chunk));
    stream.on('error', reject);
    stream.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return reject(new HttpStatusError(status, `the API answered HTTP ${status} with a body that is not JSON: ${text.slice(0, 200)}`));
      }
      const error = (body as { error?: { message?: string } }).error;
      if (status < 200 || status > 299 || error) return reject(new HttpStatusError(status, error?.message ?? `HTTP ${status}`));
      resolve(body as T);
    });
  });
}

/**
 * Calls through the client's own authenticated request path: its auth, user agent, timeouts and
 * retries of 408/429/5xx answers. The body comes back as the API's JSON with rows untouched
 * (`{"f": [{"v": "..."}]}`, every number as a string), which the page decoder reads exactly.
 */
export function clientRest(client: BigQuery, project: string): BigQueryRest {
  const call = <T>(options: Record<string, unknown>) => new Promise<T>((resolve, reject) => {
    client.request({ projectId: project, ...options } as never, (error: Error | null, body?: unknown) => (error ? reject(error) : resolve(body as T)));
  });
  return {
    get: (path, query) => call({ method: 'GET', uri: path, qs: query }),
    getPage: (path, query) => streamedJson(client, { projectId: project, method: 'GET', uri: path, qs: query }),
    post: (path, body) => call({ method: 'POST', uri: path, json: body }),
  };
}
