/** A failed call to the metrics server; `retryable` when the server may take it later. */
export class ApiCallError extends Error {
  constructor(message: string, readonly status: number | null, readonly retryable: boolean, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ApiCallError';
  }
}

export interface ApiClientOptions {
  /** May carry `user:password@` (for a proxy in front of the server): sent as Basic auth, never shown. */
  readonly baseUrl: string;
  /** Sent as `Authorization: Bearer <token>` (it wins over a password in the URL). */
  readonly token?: string;
  /** Per request, so a hung server cannot hold a post forever. */
  readonly timeoutMs?: number;
}

/** JSON over HTTP to the metrics server, with Node's fetch. */
export class ApiClient {
  private readonly base: string;
  private readonly authorization: string | null;

  constructor(private readonly options: ApiClientOptions) {
    const { base, basic } = splitCredentials(options.baseUrl);
    this.base = base;
    this.authorization = options.token ? `Bearer ${options.token}` : basic === null ? null : `Basic ${basic}`;
  }

  /** The server's URL without credentials: what messages may show. */
  get url(): string {
    return this.base;
  }

  async call<T = Record<string, unknown>>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.authorization !== null) headers.authorization = this.authorization;
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

/**
 * Takes `user:password@` out of a URL: fetch refuses URLs with credentials, and the URL appears
 * in log lines. The credentials become a Basic authorization value.
 */
function splitCredentials(url: string): { base: string; basic: string | null } {
  const trimmed = url.replace(/\/+$/, '');
  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch {
    return { base: trimmed, basic: null };
  }
  if (parsed.username === '' && parsed.password === '') return { base: trimmed, basic: null };
  const basic = Buffer.from(`${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`).toString('base64');
  parsed.username = '';
  parsed.password = '';
  return { base: parsed.toString().replace(/\/+$/, ''), basic };
}

function safeMessage(text: string): string {
  try {
    return String((JSON.parse(text) as { message?: unknown }).message ?? '').slice(0, 300);
  } catch {
    return '';
  }
}
