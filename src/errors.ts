/**
 * Every failure Fastlane reports carries a stable code (documented in docs/errors.md and tied to
 * it by test/unit/errors.test.ts), a message that tells the user what to do, and its cause.
 */
export const ERROR_CODES = {
  FL_USAGE: 'The command line is wrong: see `fastlane --help`.',
  FL_CONFIG_READ: 'The config file cannot be read.',
  FL_CONFIG_JSON: 'The config file is not valid JSON.',
  FL_CONFIG_INVALID: 'The config breaks its schema.',
  FL_CONFIG_ENV: 'The config names an environment variable that is not set.',
  FL_CONFIG_MISMATCH: '--source/--target disagree with the config.',
  FL_UNKNOWN_CONNECTOR: 'No connector is registered under that type name.',
  FL_SOURCE: 'The source failed while extracting.',
  FL_SOURCE_DATA: 'The source holds a value that cannot be read as its declared type.',
  FL_TRANSFORM: 'The transform failed on a batch.',
  FL_TARGET: 'The target failed while loading.',
  FL_CONNECT: 'A connection to a service failed.',
  FL_TIMEOUT: 'A wait on a connection, a statement, a load or a worker passed its bound.',
  FL_WORKER: 'A worker thread of a stage crashed or exited outside a task.',
  FL_STOP_TIMEOUT: 'A stop was asked, and what was in flight did not finish within the stop timeout.',
  FL_INTERNAL: 'An unexpected internal error.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorDetails {
  cause?: unknown;
  /** Extra facts for logs and the metrics server (stage, connector, batch...). */
  context?: Record<string, unknown>;
}

export class FastlaneError extends Error {
  readonly code: ErrorCode;
  readonly context: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'FastlaneError';
    this.code = code;
    this.context = details.context ?? {};
  }
}

export function isFastlaneError(error: unknown): error is FastlaneError {
  return error instanceof FastlaneError;
}

/**
 * The message of any thrown value, with the causes it wraps, for one log line. A cause whose text
 * the line already says (a wrapper that quoted it) is not repeated, and a code already at the
 * start of a message (Node's `ENOENT: ...`) is not written twice.
 */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    const asError = errorLike(current);
    const text = asError ? asError.message : String(current);
    if (!parts.join(' ').includes(text)) parts.push(asError ? withCode(asError) : text);
    current = asError?.cause;
  }
  return parts.join(' <- caused by: ');
}

/** Errors from another realm (a worker, a vm context) fail `instanceof Error`: check the shape. */
function errorLike(value: unknown): (Error & { code?: unknown }) | undefined {
  if (value instanceof Error) return value;
  return typeof value === 'object' && value !== null && typeof (value as Error).message === 'string' ? (value as Error) : undefined;
}

function withCode(error: Error & { code?: unknown }): string {
  const code = error.code;
  if (typeof code !== 'string' || error.message.includes(code)) return error.message;
  return `${code}: ${error.message}`;
}
