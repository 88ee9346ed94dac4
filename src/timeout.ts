import { FastlaneError } from './errors.js';

/**
 * Waits for `promise` at most `ms`. On timeout `onTimeout` runs (drop the connection, terminate
 * the thread: whatever stops the stalled work) and the wait fails with FL_TIMEOUT naming `what`.
 */
export async function bounded<T>(promise: Promise<T>, ms: number, what: string, onTimeout?: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      onTimeout?.();
      reject(new FastlaneError('FL_TIMEOUT', `${what} did not finish within ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}
