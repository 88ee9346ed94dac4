import { describe, expect, it } from '@jest/globals';
import { runInNewContext } from 'node:vm';
import { FastlaneError } from '../../src/errors.js';
import { isConnectionLost, isRetryable } from '../../src/connectors/mysql/link.js';
import { bounded } from '../../src/timeout.js';

function withCode(message: string, code: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { code, ...extra });
}

describe('which MySQL failures are retried', () => {
  it.each([
    ['a fatal mysql2 error', Object.assign(new Error('Connection lost: The server closed the connection.'), { fatal: true, code: 'PROTOCOL_CONNECTION_LOST' })],
    ['KILL CONNECTION', withCode('Connection was killed', 'ER_CONNECTION_KILLED')],
    ['a reset socket', withCode('read ECONNRESET', 'ECONNRESET')],
    ['a server that is down', new FastlaneError('FL_CONNECT', 'cannot reach MySQL', { cause: withCode('connect ECONNREFUSED', 'ECONNREFUSED') })],
    ['a statement that stalled', new FastlaneError('FL_TIMEOUT', 'read the page did not finish within 1000 ms')],
  ])('%s: the connection is lost, retried on a new one', (_name, error) => {
    expect(isConnectionLost(error)).toBe(true);
    expect(isRetryable(error)).toBe(true);
  });

  it('an error made in another realm (Node\'s own socket errors under a vm sandbox) is recognised by its code', () => {
    const foreign = runInNewContext("Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })") as unknown;
    expect(foreign instanceof Error).toBe(false);
    expect(isConnectionLost(foreign)).toBe(true);
  });

  it('a deadlock is retried on the same connection', () => {
    const deadlock = withCode('Deadlock found', 'ER_LOCK_DEADLOCK');
    expect(isConnectionLost(deadlock)).toBe(false);
    expect(isRetryable(deadlock)).toBe(true);
  });

  it.each([
    ['wrong credentials', new FastlaneError('FL_CONNECT', 'MySQL refused', { cause: withCode('Access denied', 'ER_ACCESS_DENIED_ERROR') })],
    ['a missing table', withCode("Table 'x.y' doesn't exist", 'ER_NO_SUCH_TABLE')],
    ['a value the column cannot hold', new FastlaneError('FL_TARGET', 'MySQL changed or refused 1 value(s)')],
  ])('%s: not retried', (_name, error) => {
    expect(isRetryable(error)).toBe(false);
  });
});

describe('bounded', () => {
  it('passes a result through', async () => {
    await expect(bounded(Promise.resolve(7), 60_000, 'a quick thing')).resolves.toBe(7);
  });

  it('fails a wait that passes its bound with FL_TIMEOUT naming it, after running onTimeout', async () => {
    let stopped = false;
    const never = new Promise<never>(() => undefined);
    const failure = bounded(never, 1, 'read the page after key 5', () => (stopped = true));
    await expect(failure).rejects.toMatchObject({ code: 'FL_TIMEOUT', message: 'read the page after key 5 did not finish within 1 ms' });
    expect(stopped).toBe(true);
  });
});
