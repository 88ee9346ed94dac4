import { readFileSync } from 'node:fs';
import mysql from 'mysql2/promise';
import type { Connection, ConnectionOptions } from 'mysql2/promise';
import { FastlaneError } from '../../errors.js';
import type { MysqlConnectionConfig, MysqlSsl } from './config.js';
import { readSecret } from './secrets.js';

export type { Connection } from 'mysql2/promise';

const DEFAULT_PORT = 3306;
/** Only for callers outside a validated config (tests); configs get theirs from the schema. */
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

interface Endpoint {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
}

/** Host, port and credentials: from the secret when `secret` is set (config fills what it lacks). */
async function resolveEndpoint(config: MysqlConnectionConfig, section: string): Promise<Endpoint> {
  const secret = config.secret ? await readSecret(config.secret, config.secret_region) : {};
  const host = secret.host ?? config.host;
  if (!host) {
    throw new FastlaneError('FL_CONFIG_INVALID', `${section} has no host: set ${section}.host or a secret that holds one`);
  }
  return {
    host,
    port: secret.port ?? config.port ?? DEFAULT_PORT,
    user: secret.username ?? config.username ?? 'root',
    password: secret.password ?? config.password ?? '',
  };
}

function sslOptions(ssl: MysqlSsl | undefined): ConnectionOptions['ssl'] {
  if (!ssl) return undefined;
  if (ssl === true) return { rejectUnauthorized: true };
  return { rejectUnauthorized: ssl.rejectUnauthorized ?? true, ...(ssl.ca ? { ca: readFileSync(ssl.ca, 'utf8') } : {}) };
}

/**
 * Opens one connection that reads and writes values exactly: every value as raw text or bytes
 * (callers pass typeCast: false), utf8mb4, and the session in UTC so TIMESTAMP values are UTC.
 */
export async function openConnection(config: MysqlConnectionConfig, section: string, sqlMode?: string): Promise<Connection> {
  const endpoint = await resolveEndpoint(config, section);
  let connection: Connection;
  try {
    connection = await mysql.createConnection({
      ...endpoint,
      ssl: sslOptions(config.ssl),
      charset: 'UTF8MB4_BIN',
      supportBigNumbers: true,
      bigNumberStrings: true,
      dateStrings: true,
      timezone: 'Z',
      connectTimeout: config.connect_timeout_ms ?? DEFAULT_CONNECT_TIMEOUT_MS,
      multipleStatements: false,
    });
  } catch (error) {
    throw connectError(error, endpoint, section);
  }
  // A connection that dies while idle (KILL CONNECTION, a server restart) emits 'error'; with no
  // listener that event would crash the process. The failure surfaces on the connection's next
  // query instead (mysql2 answers it with a fatal error), where the caller retries or reports it.
  connection.on('error', () => undefined);
  // The session set-up counts as connecting: bounded by the same timeout as the handshake.
  const timeout = config.connect_timeout_ms ?? DEFAULT_CONNECT_TIMEOUT_MS;
  try {
    await connection.query({ sql: "SET time_zone = '+00:00'", timeout });
    if (sqlMode !== undefined) await connection.query({ sql: 'SET SESSION sql_mode = ?', values: [sqlMode], timeout });
  } catch (error) {
    connection.destroy();
    throw connectError(error, endpoint, section);
  }
  return connection;
}

function connectError(error: unknown, endpoint: Endpoint, section: string): FastlaneError {
  const code = (error as { code?: string }).code ?? '';
  const where = `${endpoint.user}@${endpoint.host}:${endpoint.port}`;
  if (code === 'ER_ACCESS_DENIED_ERROR' || code === 'ER_DBACCESS_DENIED_ERROR') {
    return new FastlaneError('FL_CONNECT', `MySQL refused ${where}: check ${section}.username and ${section}.password (or the secret)`, { cause: error });
  }
  if (['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', 'EAI_AGAIN', 'ECONNRESET', 'PROTOCOL_SEQUENCE_TIMEOUT', 'PROTOCOL_CONNECTION_LOST'].includes(code)) {
    return new FastlaneError('FL_CONNECT', `cannot reach MySQL at ${endpoint.host}:${endpoint.port} (${code}): check ${section}.host, ${section}.port and that the server is running`, { cause: error });
  }
  return new FastlaneError('FL_CONNECT', `cannot connect to MySQL as ${where}: ${(error as Error).message}`, { cause: error });
}

/** How long a polite close (COM_QUIT) may take before the socket is simply destroyed. */
const CLOSE_TIMEOUT_MS = 2000;

/** Closes a connection without letting a broken one throw, or a silent one hang the caller. */
export async function closeConnection(connection: Connection | null): Promise<void> {
  if (!connection) return;
  let timer: NodeJS.Timeout | undefined;
  const closed = await Promise.race([
    connection.end().then(() => true, () => false),
    new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), CLOSE_TIMEOUT_MS); }),
  ]);
  clearTimeout(timer);
  if (!closed) connection.destroy();
}
