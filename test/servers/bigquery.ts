import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID, verify, type KeyObject } from 'node:crypto';

/**
 * A local BigQuery REST API, enough for the real @google-cloud/bigquery client: a service-account
 * token endpoint (checks the JWT's RS256 signature, issuer and audience), tables.get,
 * tabledata.list and jobs.query / getQueryResults with paging by pageToken or startIndex, a
 * query job that answers "not complete" once, and a 503 on every `failEvery`-th row request.
 * Queries are the shapes the source sends (`SELECT * FROM <table or (query)> [WHERE k > @start]
 * [ORDER BY k] [LIMIT n]`); anything else is refused. Values are kept as the API sends them.
 */
export interface FieldSchema {
  readonly name: string;
  readonly type: string;
  readonly mode?: string;
  readonly fields?: readonly FieldSchema[];
}

export interface StoredTable {
  readonly schema: readonly FieldSchema[];
  /** Each row's cell values in the API's JSON form (strings, null, [{v}], {f: [{v}]}). */
  readonly rows: unknown[][];
  readonly type?: string;
  /** Rows made on demand instead of `rows` (benchmarks): tabledata.list only. */
  readonly generated?: { readonly count: number; row(index: number): unknown[] };
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly body?: Record<string, unknown>;
}

export interface BigQueryTestServer {
  readonly url: string;
  readonly tokenUri: string;
  readonly requests: RecordedRequest[];
  /** How many requests were answered with the injected 503. */
  readonly failures: () => number;
  /** Tables by `project.dataset.table`; tests may add rows between runs. */
  readonly tables: Map<string, StoredTable>;
  close(): Promise<void>;
}

export interface BigQueryServerOptions {
  readonly clientEmail: string;
  readonly publicKey: KeyObject | string;
  readonly tables: Record<string, StoredTable>;
  /** Answer 503 to every n-th row request (tabledata.list, getQueryResults); 0 never. */
  readonly failEvery?: number;
}

interface Job {
  readonly schema: readonly FieldSchema[];
  readonly rows: unknown[][];
  polled: boolean;
}

class HttpError extends Error {
  constructor(readonly status: number, message: string, readonly reason: string) {
    super(message);
  }
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
  response.end(JSON.stringify(body));
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function checkAssertion(assertion: string, options: BigQueryServerOptions, tokenUri: string): void {
  const [header, claims, signature] = assertion.split('.');
  const signed = verify('RSA-SHA256', Buffer.from(`${header}.${claims}`), options.publicKey, Buffer.from(signature ?? '', 'base64url'));
  if (!signed) throw new HttpError(400, 'Invalid JWT Signature.', 'invalid_grant');
  const body = JSON.parse(Buffer.from(claims, 'base64url').toString('utf8')) as Record<string, unknown>;
  const now = Date.now() / 1000;
  if (body.iss !== options.clientEmail) throw new HttpError(400, 'Invalid issuer.', 'invalid_grant');
  if (body.aud !== tokenUri) throw new HttpError(400, `Invalid audience ${String(body.aud)}.`, 'invalid_grant');
  if (!(Number(body.exp) > now && Number(body.iat) <= now + 60)) throw new HttpError(400, 'Invalid JWT: token expired or not yet valid.', 'invalid_grant');
  if (!String(body.scope).includes('https://www.googleapis.com/auth/bigquery')) throw new HttpError(400, 'Missing scope.', 'invalid_scope');
}

const SELECT = /^SELECT \* FROM (?:`([^`\\]+)`|\(\n([\s\S]*)\n\))(?: WHERE `(\w+)` > @start)?(?: ORDER BY `(\w+)`)?(?: LIMIT (\d+))?$/;

/** Orders and compares key values of the types the source may key on. */
function keyValue(type: string, value: unknown): bigint | string | null {
  if (value === null || value === undefined) return null;
  if (type === 'INTEGER' || type === 'INT64') return BigInt(value as string);
  if (type === 'TIMESTAMP') return BigInt(value as string);
  return value as string;
}

function parameterValue(type: string, text: string): bigint | string {
  if (type === 'INT64') return BigInt(text);
  if (type === 'TIMESTAMP') {
    const millis = Date.parse(text.replace(/\.\d+/, ''));
    const fraction = /\.(\d{1,6})/.exec(text)?.[1] ?? '';
    return BigInt(millis) * 1000n + BigInt(fraction.padEnd(6, '0'));
  }
  return text;
}

export async function startBigQueryServer(options: BigQueryServerOptions): Promise<BigQueryTestServer> {
  const tables = new Map(Object.entries(options.tables));
  const requests: RecordedRequest[] = [];
  const tokens = new Set<string>();
  const jobs = new Map<string, Job>();
  const jobsByRequestId = new Map<string, string>();
  let rowRequests = 0;
  let failures = 0;
  let port = 0;
  const tokenUri = () => `http://127.0.0.1:${port}/token`;

  function table(path: string): StoredTable {
    const found = tables.get(path);
    if (!found) throw new HttpError(404, `Not found: Table ${path.replace('.', ':')}`, 'notFound');
    return found;
  }

  function runQuery(sql: string, parameters: { name: string; parameterType: { type: string }; parameterValue: { value: string } }[]): Job {
    const m = SELECT.exec(sql);
    if (!m) throw new HttpError(400, `The test server does not run this query: ${sql}`, 'invalidQuery');
    const [, path, inner, whereKey, orderKey, limit] = m;
    const input = path ? table(path) : runQuery(inner, parameters);
    const names = input.schema.map((f) => f.name);
    let rows = input.rows;
    if (whereKey) {
      const index = names.indexOf(whereKey);
      const start = parameters.find((p) => p.name === 'start');
      if (index < 0) throw new HttpError(400, `Unrecognized name: ${whereKey}`, 'invalidQuery');
      if (!start) throw new HttpError(400, 'Query parameter start not found', 'invalidQuery');
      const bound = parameterValue(start.parameterType.type, start.parameterValue.value);
      rows = rows.filter((row) => {
        const value = keyValue(input.schema[index].type, row[index]);
        return value !== null && value > bound;
      });
    }
    if (orderKey) {
      const index = names.indexOf(orderKey);
      if (index < 0) throw new HttpError(400, `Unrecognized name: ${orderKey}`, 'invalidQuery');
      const type = input.schema[index].type;
      rows = [...rows].sort((a, b) => {
        const x = keyValue(type, a[index]);
        const y = keyValue(type, b[index]);
        // NULLs first, as ORDER BY ... ASC puts them.
        if (x === null || y === null) return x === y ? 0 : x === null ? -1 : 1;
        return x < y ? -1 : x > y ? 1 : 0;
      });
    }
    if (limit !== undefined) rows = rows.slice(0, Number(limit));
    return { schema: input.schema, rows, polled: false };
  }

  function page(stored: { rows: unknown[][]; generated?: StoredTable['generated'] }, query: Record<string, string>): Record<string, unknown> {
    if (query['formatOptions.useInt64Timestamp'] !== 'true') throw new HttpError(400, 'the test server answers with int64 timestamps only', 'invalid');
    if (++rowRequests % (options.failEvery ?? 0) === 0 && ++failures) throw new HttpError(503, 'Service temporarily unavailable (test server)', 'backendError');
    const start = Number(query.pageToken ?? query.startIndex ?? 0);
    const size = query.maxResults === undefined ? 100_000 : Number(query.maxResults);
    const total = stored.generated?.count ?? stored.rows.length;
    const end = Math.min(total, start + size);
    const slice = stored.generated ? Array.from({ length: Math.max(0, end - start) }, (_, i) => stored.generated!.row(start + i)) : stored.rows.slice(start, end);
    const next = start + slice.length;
    return {
      totalRows: String(total),
      ...(slice.length > 0 ? { rows: slice.map((cells) => ({ f: cells.map((v) => ({ v })) })) } : {}),
      ...(next < total ? { pageToken: String(next) } : {}),
    };
  }

  function route(method: string, path: string, query: Record<string, string>, body: Record<string, unknown>): unknown {
    let m = /^\/bigquery\/v2\/projects\/([^/]+)\/datasets\/([^/]+)\/tables\/([^/]+)(\/data)?$/.exec(path);
    if (m && method === 'GET') {
      const key = [m[1], m[2], m[3]].map(decodeURIComponent).join('.');
      const found = table(key);
      if (m[4]) return { kind: 'bigquery#tableDataList', ...page(found, query) };
      return { kind: 'bigquery#table', type: found.type ?? 'TABLE', numRows: String(found.generated?.count ?? found.rows.length), schema: { fields: found.schema } };
    }
    m = /^\/bigquery\/v2\/projects\/([^/]+)\/queries$/.exec(path);
    if (m && method === 'POST') {
      const requestId = String(body.requestId ?? randomUUID());
      let jobId = jobsByRequestId.get(requestId);
      if (!jobId) {
        if (body.useLegacySql !== false) throw new HttpError(400, 'the test server runs GoogleSQL only', 'invalidQuery');
        jobId = `job_${randomUUID().replace(/-/g, '')}`;
        jobs.set(jobId, runQuery(String(body.query), (body.queryParameters ?? []) as never));
        jobsByRequestId.set(requestId, jobId);
      }
      return { kind: 'bigquery#queryResponse', jobReference: { projectId: m[1], jobId, location: 'US' }, jobComplete: false };
    }
    m = /^\/bigquery\/v2\/projects\/([^/]+)\/queries\/([^/]+)$/.exec(path);
    if (m && method === 'GET') {
      const job = jobs.get(decodeURIComponent(m[2]));
      if (!job) throw new HttpError(404, `Not found: Job ${m[1]}:${m[2]}`, 'notFound');
      const reference = { projectId: m[1], jobId: m[2], location: 'US' };
      if (query.maxResults === '0') {
        job.polled = true;
        return { kind: 'bigquery#getQueryResultsResponse', jobReference: reference, jobComplete: true, schema: { fields: job.schema }, totalRows: String(job.rows.length) };
      }
      if (!job.polled) throw new HttpError(400, 'rows asked before the job was known to be complete', 'invalid');
      return { kind: 'bigquery#getQueryResultsResponse', jobReference: reference, jobComplete: true, schema: { fields: job.schema }, ...page(job, query) };
    }
    throw new HttpError(404, `The test server has no ${method} ${path}`, 'notFound');
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const text = await readBody(request);
    const method = request.method ?? 'GET';
    const query = Object.fromEntries(url.searchParams);
    if (url.pathname === '/token' && method === 'POST') {
      const form = new URLSearchParams(text);
      requests.push({ method, path: url.pathname, query, body: { grant_type: form.get('grant_type') } });
      try {
        checkAssertion(form.get('assertion') ?? '', options, tokenUri());
      } catch (error) {
        const e = error as HttpError;
        return send(response, 400, { error: e.reason ?? 'invalid_request', error_description: e.message });
      }
      const token = `tok-${randomUUID()}`;
      tokens.add(token);
      return send(response, 200, { access_token: token, expires_in: 3600, token_type: 'Bearer' });
    }
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    requests.push({ method, path: url.pathname, query, body });
    const token = /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ''))?.[1];
    if (!token || !tokens.has(token)) {
      return send(response, 401, { error: { code: 401, message: 'Request had invalid authentication credentials.', status: 'UNAUTHENTICATED', errors: [{ reason: 'authError', message: 'Invalid Credentials' }] } });
    }
    try {
      send(response, 200, route(method, url.pathname, query, body));
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      send(response, error.status, { error: { code: error.status, message: error.message, errors: [{ reason: error.reason, message: error.message }] } });
    }
  }

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => send(response, 500, { error: { code: 500, message: String(error) } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    tokenUri: tokenUri(),
    requests,
    failures: () => failures,
    tables,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
