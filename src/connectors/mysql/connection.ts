import { readFileSync } from 'node:fs';
import mysql from 'mysql2/promise';
import type { Connection, ConnectionOptions } from 'mysql2/promise';
import { FastlaneError } from '../../errors.js';
import type { MysqlConnectionConfig, MysqlSsl } from './config.js';
import { readSecret } from './secrets.js';

export type { Connection } from 'mysql2/promise';

const DEFAULT_PORT = 3306;

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
      connectTimeout: 10_000,
      multipleStatements: false,
    });
  } catch (error) {
    throw connectError(error, endpoint, section);
  }
  await connection.query("SET time_zone = '+00:00'");
  if (sqlMode !== undefined) await connection.query('SET SESSION sql_mode = ?', [sqlMode]);
  return connection;
}

function connectError(error: unknown, endpoint: Endpoint, section: string): FastlaneError {
  const code = (error as { code?: string }).code ?? '';
  const where = `${endpoint.user}@${endpoint.host}:${endpoint.port}`;
  if (code === 'ER_ACCESS_DENIED_ERROR' || code === 'ER_DBACCESS_DENIED_ERROR') {
    return new FastlaneError('FL_CONNECT', `MySQL refused ${where}: check ${section}.username and ${section}.password (or the secret)`, { cause: error });
  }
  if (['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', 'EAI_AGAIN', 'ECONNRESET'].includes(code)) {
    return new FastlaneError('FL_CONNECT', `cannot reach MySQL at ${endpoint.host}:${endpoint.port} (${code}): check ${section}.host, ${section}.port and that the server is running`, { cause: error });
  }
  return new FastlaneError('FL_CONNECT', `cannot connect to MySQL as ${where}: ${(error as Error).message}`, { cause: error });
}

/** Closes a connection without letting a broken one throw. */
export async function closeConnection(connection: Connection | null): Promise<void> {
  if (!connection) return;
  await connection.end().catch(() => connection.destroy());
}
