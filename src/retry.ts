import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The one retry policy of the project: how many times an operation is tried and how long to wait
 * between tries. Exponential backoff from `initialMs`, capped at `maxMs`; with `jitter` each wait
 * is drawn at random below that ceiling ("full jitter"), so threads or processes that failed
 * together do not retry in step. Connectors read it from their `retry` option
 * (schemas/fragments/common.schema.json#/$defs/retry, where the defaults live).
 */
export interface RetryPolicy {
  /** Tries in all, the first one included: 1 means no retry. */
  readonly attempts: number;
  readonly initialMs: number;
  readonly maxMs: number;
  readonly jitter: boolean;
}

/** The `retry` section of a connector config, as the schema defines it. */
export interface RetrySettings {
  readonly attempts: number;
  readonly backoff_initial_ms: number;
  readonly backoff_max_ms: number;
  readonly jitter: boolean;
}

export function retryPolicy(settings: RetrySettings): RetryPolicy {
  return { attempts: settings.attempts, initialMs: settings.backoff_initial_ms, maxMs: settings.backoff_max_ms, jitter: settings.jitter };
}

/**
 * The wait before retry number `retry` (0 for the first retry). `random` is injectable for tests.
 * A server's own hint (Retry-After) replaces the computed ceiling, still capped at maxMs.
 */
export function backoffDelay(policy: Omit<RetryPolicy, 'attempts'>, retry: number, hintMs?: number, random: () => number = Math.random): number {
  if (hintMs !== undefined && hintMs > 0) return Math.min(hintMs, policy.maxMs);
  const ceiling = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.min(retry, 52));
  return policy.jitter ? Math.floor(random() * ceiling) : ceiling;
}

export interface RetryHooks {
  /** Whether this failure may pass on a later try; false ends the retries at once. */
  readonly retryable: (error: unknown) => boolean;
  /** Told before each wait: a log line, a reconnect to make before the next try. */
  readonly onRetry?: (error: unknown, retry: number, delayMs: number) => void | Promise<void>;
  /** A server's hint of how long to wait (ms), e.g. from Retry-After. */
  readonly hintMs?: (error: unknown) => number | undefined;
  /** Stops waiting (and retrying) when aborted: the last failure is thrown. */
  readonly signal?: AbortSignal;
}

/** Thrown when every attempt failed: says how many, and holds the last failure as its cause. */
export class RetriesExhausted extends Error {
  constructor(readonly attempts: number, readonly lastError: unknown) {
    super(`failed ${attempts} time(s): ${(lastError as Error)?.message ?? String(lastError)}`, { cause: lastError });
    this.name = 'RetriesExhausted';
  }
}

/**
 * Runs `operation` until it succeeds, a failure is not retryable (thrown as it is), or the
 * policy's attempts are used up (RetriesExhausted with the last failure as cause).
 */
export async function withRetry<T>(policy: RetryPolicy, hooks: RetryHooks, operation: (attempt: number) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (!hooks.retryable(error) || hooks.signal?.aborted) throw error;
      if (attempt >= policy.attempts) throw new RetriesExhausted(attempt, error);
      const delay = backoffDelay(policy, attempt - 1, hooks.hintMs?.(error));
      await hooks.onRetry?.(error, attempt, delay);
      await sleep(delay, undefined, { signal: hooks.signal }).catch(() => undefined);
      if (hooks.signal?.aborted) throw error;
    }
  }
}
