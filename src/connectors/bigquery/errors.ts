import { FastlaneError } from '../../errors.js';

/** The first FastlaneError in an error's cause chain (the token exchange throws them inside the client). */
function ownError(error: unknown): FastlaneError | null {
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 5; depth++) {
    if (current instanceof FastlaneError) return current;
    current = current.cause;
  }
  return null;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', 'EAI_AGAIN', 'ECONNRESET', 'ESOCKETTIMEDOUT']);

/** A failed API call as a FastlaneError that says what to check. */
export function apiError(error: unknown, what: string, hint: string, endpoint: string): FastlaneError {
  const own = ownError(error);
  if (own) return own;
  const status = (error as { code?: unknown }).code;
  const message = (error as Error).message ?? String(error);
  if (status === 404) return new FastlaneError('FL_SOURCE', `${what}: not found (${message}): ${hint}`, { cause: error });
  if (status === 401 || status === 403) {
    return new FastlaneError('FL_CONNECT', `${what}: BigQuery refused the service account (${status}: ${message}): check the credentials and that the account may read the table and run query jobs in the project`, { cause: error });
  }
  if (typeof status === 'string' && NETWORK_CODES.has(status)) {
    return new FastlaneError('FL_CONNECT', `${what}: cannot reach BigQuery at ${endpoint} (${status}): check source.bigquery.endpoint and the network`, { cause: error });
  }
  return new FastlaneError('FL_SOURCE', `${what}: ${message}`, { cause: error });
}
