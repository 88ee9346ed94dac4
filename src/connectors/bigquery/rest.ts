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
  post<T>(path: string, body: unknown): Promise<T>;
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
    post: (path, body) => call({ method: 'POST', uri: path, json: body }),
  };
}
