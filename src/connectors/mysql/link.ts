import { FastlaneError } from '../../errors.js';
import { RetriesExhausted, retryPolicy, withRetry, type RetryPolicy } from '../../retry.js';
import type { StageLogger } from '../../stages/context.js';
import { bounded } from '../../timeout.js';
import type { MysqlConnectionConfig } from './config.js';
import { closeConnection, openConnection, type Connection } from './connection.js';

/** mysql2 codes of a connection that is gone: the statement may pass on a new one. */
const CONNECTION_LOST = new Set([
  'PROTOCOL_CONNECTION_LOST', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNREFUSED', 'EHOSTUNREACH',
  'ER_CONNECTION_KILLED', 'ER_SERVER_SHUTDOWN', 'ER_NORMAL_SHUTDOWN', 'ER_CON_COUNT_ERROR', 'PROTOCOL_SEQUENCE_TIMEOUT',
]);
/** Server errors of a statement that lost a race with another session: safe to run again as it is. */
const TRANSIENT = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT']);

function codesOf(error: unknown): { codes: string[]; fatal: boolean } {
  const codes: string[] = [];
  let fatal = false;
  // Not `instanceof Error`: socket errors come from Node's own realm, which differs from a
  // sandbox's (a test runner's vm context), and they must be recognised there too.
  for (let current = error, depth = 0; typeof current === 'object' && current !== null && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    fatal ||= (current as { fatal?: unknown }).fatal === true;
  }
  return { codes, fatal };
}

/** The connection died or stopped answering (a fatal mysql2 error, a timeout of ours). */
export function isConnectionLost(error: unknown): boolean {
  const { codes, fatal } = codesOf(error);
  return fatal || codes.some((code) => CONNECTION_LOST.has(code) || code === 'FL_TIMEOUT');
}

/** Lost connection or lost race: what MysqlLink runs again. */
export function isRetryable(error: unknown): boolean {
  return isConnectionLost(error) || codesOf(error).codes.some((code) => TRANSIENT.has(code));
}

export interface LinkOptions {
  readonly section: string;
  readonly logger: StageLogger;
  readonly sqlMode?: string;
}

/**
 * One connection to MySQL that survives losing it: each statement runs within query_timeout_ms,
 * and a statement that failed because the connection died, stalled or lost a deadlock is run
 * again (on a new connection when the old one is gone) under the shared retry policy. Callers
 * hand in only statements that are safe to repeat: a page read by key, an idempotent load.
 */
export class MysqlLink {
  private connection: Connection | null = null;
  private readonly policy: RetryPolicy;

  constructor(private readonly config: MysqlConnectionConfig, private readonly options: LinkOptions) {
    this.policy = config.retry ? retryPolicy(config.retry) : { attempts: 1, initialMs: 0, maxMs: 0, jitter: false };
  }

  /** Connects (with retries) if not connected; the connection for statements that need it as is. */
  async connect(): Promise<Connection> {
    return this.run('connect', async (connection) => connection);
  }

  /** Runs `statement` on the connection, bounded, retried as the class says. */
  async run<T>(what: string, statement: (connection: Connection) => Promise<T>): Promise<T> {
    const { section, logger } = this.options;
    try {
      return await withRetry(this.policy, {
        retryable: isRetryable,
        onRetry: (error, attempt, delay) => {
          if (isConnectionLost(error)) this.drop();
          logger.warn(`${section}: ${what} failed (${(error as Error).message}); try ${attempt + 1} of ${this.policy.attempts} in ${delay} ms`);
        },
      }, async () => {
        const connection = this.connection ?? (this.connection = await this.reopen());
        const timeout = this.config.query_timeout_ms ?? Number.POSITIVE_INFINITY;
        if (!Number.isFinite(timeout)) return await statement(connection);
        return await bounded(statement(connection), timeout, `${section}: ${what}`, () => this.drop(true));
      });
    } catch (error) {
      if (!(error instanceof RetriesExhausted)) throw error;
      this.drop();
      const last = error.lastError;
      const code = last instanceof FastlaneError ? last.code : 'FL_CONNECT';
      throw new FastlaneError(code, `${section}: ${what} failed ${error.attempts} time(s), the last: ${(last as Error).message}; check the server and the network, or raise ${section}.retry.attempts / ${section}.query_timeout_ms`, { cause: last });
    }
  }

  /**
   * Forgets a dead connection (its socket destroyed), so the next statement opens a new one.
   * `stalled`: it stopped answering, and the server may still hold its session (and a load's row
   * locks) open, not knowing the client left; the next connection kills it.
   */
  private drop(stalled = false): void {
    const connection = this.connection;
    this.connection = null;
    if (stalled && connection) this.stale.push(connection.threadId);
    connection?.destroy();
  }

  /** Server thread ids of stalled sessions to end once a new connection is up. */
  private readonly stale: number[] = [];

  private async reopen(): Promise<Connection> {
    const connection = await openConnection(this.config, this.options.section, this.options.sqlMode);
    for (const id of this.stale.splice(0)) {
      // Gone already (the usual case after a real disconnect) or not ours to kill: nothing to do.
      await connection.query(`KILL CONNECTION ${Number(id)}`).catch(() => undefined);
    }
    return connection;
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = null;
    await closeConnection(connection);
  }
}
