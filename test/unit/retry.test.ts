import { describe, expect, it } from '@jest/globals';
import { backoffDelay, RetriesExhausted, retryPolicy, withRetry, type RetryPolicy } from '../../src/retry.js';

const quick: RetryPolicy = { attempts: 4, initialMs: 1, maxMs: 4, jitter: false };
const always = { retryable: () => true };

describe('backoffDelay', () => {
  const policy = { initialMs: 100, maxMs: 1000, jitter: false };

  it('doubles from the first wait and stops at the longest', () => {
    expect([0, 1, 2, 3, 4, 10, 1000].map((retry) => backoffDelay(policy, retry))).toEqual([100, 200, 400, 800, 1000, 1000, 1000]);
  });

  it('with jitter draws below the ceiling', () => {
    const jittered = { ...policy, jitter: true };
    expect(backoffDelay(jittered, 2, undefined, () => 0)).toBe(0);
    expect(backoffDelay(jittered, 2, undefined, () => 0.5)).toBe(200);
    expect(backoffDelay(jittered, 2, undefined, () => 0.999999)).toBe(399);
  });

  it('takes a server hint instead, capped at the longest wait', () => {
    expect(backoffDelay(policy, 0, 300)).toBe(300);
    expect(backoffDelay(policy, 0, 60_000)).toBe(1000);
    expect(backoffDelay(policy, 1, 0)).toBe(200);
  });
});

describe('retryPolicy', () => {
  it('reads the schema fragment\'s names', () => {
    expect(retryPolicy({ attempts: 3, backoff_initial_ms: 50, backoff_max_ms: 500, jitter: false })).toEqual({ attempts: 3, initialMs: 50, maxMs: 500, jitter: false });
  });
});

describe('withRetry', () => {
  it('returns the first success, trying again after retryable failures', async () => {
    const tries: number[] = [];
    const result = await withRetry(quick, always, async (attempt) => {
      tries.push(attempt);
      if (attempt < 3) throw new Error(`failure ${attempt}`);
      return 'done';
    });
    expect(result).toBe('done');
    expect(tries).toEqual([1, 2, 3]);
  });

  it('gives up after `attempts` tries with the last failure as the cause', async () => {
    let tries = 0;
    const failure = withRetry(quick, always, async () => {
      tries++;
      throw new Error(`failure ${tries}`);
    });
    await expect(failure).rejects.toBeInstanceOf(RetriesExhausted);
    await failure.catch((error: RetriesExhausted) => {
      expect(error.attempts).toBe(4);
      expect((error.lastError as Error).message).toBe('failure 4');
      expect(error.cause).toBe(error.lastError);
    });
    expect(tries).toBe(4);
  });

  it('throws a failure that is not retryable at once, as it is', async () => {
    const refused = new Error('refused');
    let tries = 0;
    await expect(withRetry(quick, { retryable: (error) => error !== refused }, async () => {
      tries++;
      throw refused;
    })).rejects.toBe(refused);
    expect(tries).toBe(1);
  });

  it('with one attempt never retries', async () => {
    let tries = 0;
    await expect(withRetry({ ...quick, attempts: 1 }, always, async () => {
      tries++;
      throw new Error('once');
    })).rejects.toBeInstanceOf(RetriesExhausted);
    expect(tries).toBe(1);
  });

  it('tells onRetry each failure, retry number and wait, before the next try', async () => {
    const seen: [string, number, number][] = [];
    await withRetry(quick, { ...always, onRetry: (error, retry, delay) => { seen.push([(error as Error).message, retry, delay]); } }, async (attempt) => {
      if (attempt < 4) throw new Error(`failure ${attempt}`);
    });
    expect(seen).toEqual([['failure 1', 1, 1], ['failure 2', 2, 2], ['failure 3', 3, 4]]);
  });

  it('stops retrying when its signal is aborted', async () => {
    const controller = new AbortController();
    let tries = 0;
    const slow: RetryPolicy = { attempts: 10, initialMs: 60_000, maxMs: 60_000, jitter: false };
    const failure = withRetry(slow, { ...always, signal: controller.signal }, async () => {
      tries++;
      throw new Error('down');
    });
    controller.abort();
    await expect(failure).rejects.toThrow('down');
    expect(tries).toBe(1);
  });
});
