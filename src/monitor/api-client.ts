/** A failed call to the metrics server; `retryable` when the server may take it later. */
export class ApiCallError extends Error {
  constructor(message: string, readonly status: number | null, readonly retryable: boolean, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ApiCallError';
  }
}

export interface ApiClientOptions {
  readonly baseUrl: string;
  /** Sent as `Authorization: Bearer <token>`. */
  readonly token?: string;
  /** Per request, so a hung server cannot hold a post forever. */
  readonly timeoutMs?: number;
}

/** JSON over HTTP to the metrics server, with Node's fetch. */
export class ApiClient {
  private readonly base: string;

  constructor(private readonly options: ApiClientOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
  }

  get url(): string {
    return this.base;
  }

  async call<T = Record<string, unknown>>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    let response: Response;
    try {
      response = await fetch(`${this.base}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const reason = cause?.code ?? cause?.message ?? (error as Error).name;
      throw new ApiCallError(`${method} ${path}: ${reason}`, null, true, { cause: error });
    }
    const text = await response.text();
    if (!response.ok) {
      const message = safeMessage(text);
      throw new ApiCallError(`${method} ${path}: HTTP ${response.status}${message ? ` ${message}` : ''}`, response.status, response.status >= 500 || response.status === 429);
    }
    return (text ? JSON.parse(text) : {}) as T;
  }
}

function safeMessage(text: string): string {
  try {
    return String((JSON.parse(text) as { message?: unknown }).message ?? '').slice(0, 300);
  } catch {
    return '';
  }
}
