/** The server's API as the UI uses it: GETs only, with the tab's token when one was given. */

const TOKEN_KEY = 'fastlane.token';

/** The server refused the call for want of the right token. */
export class AuthError extends Error {
  constructor(readonly hadToken: boolean) {
    super(hadToken ? 'the token was refused' : 'this server needs a token');
    this.name = 'AuthError';
  }
}

export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'ApiError';
  }
}

export function token(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value: string | null): void {
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
}

export async function apiGet<T>(path: string, params: Record<string, string | number | undefined> = {}): Promise<T> {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) query.set(key, String(value));
  const current = token();
  const response = await fetch(`${path}?${query}`, {
    headers: current ? { authorization: `Bearer ${current}` } : {},
    cache: 'no-store',
  });
  if (response.status === 401) throw new AuthError(current !== null);
  const body = await response.json().catch(() => null) as { message?: string } | null;
  if (!response.ok) throw new ApiError(response.status, body?.message ?? `the server answered ${response.status}`);
  return body as T;
}

export interface Pipeline {
  id: string;
  source_type: string;
  target_type: string;
  pipeline_type: string;
  config?: Record<string, unknown>;
  pipeline_status?: string | null;
  last_run_id?: number | null;
  last_run_started?: string | null;
  last_run_finished?: string | null;
  last_run_rows_loaded?: number | null;
  last_run_reported_at?: string | null;
  created_at: string;
  updated_at: string;
}

export type Offset = number | string | null;

export interface Run {
  id: number;
  pipeline_id: string;
  status: string;
  started: string | null;
  finished: string | null;
  rows_loaded: number | null;
  start_offset: Offset;
  end_offset: Offset;
  created_at: string;
  updated_at: string;
  rows_loaded_so_far?: number | null;
  last_reported_at?: string | null;
}

export interface LogLine {
  timestamp: string | null;
  level: string | null;
  message: string;
}

export type Point = Record<string, number | string> & { created_at: string };
