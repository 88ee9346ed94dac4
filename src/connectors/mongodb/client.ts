import type { MongoClient, MongoClientOptions } from 'mongodb';
import { FastlaneError } from '../../errors.js';
import { readSecret } from '../mysql/secrets.js';
import type { MongodbSourceConfig } from './config.js';

const HOST = /^(?:[A-Za-z0-9_.-]+|\[[0-9A-Fa-f:.]+\])$/;

/** Where the client connects, without the password: for messages. */
export function serverLabel(config: MongodbSourceConfig): string {
  if (config.uri) return 'the server of source.mongodb.uri';
  return config.host ? `${config.host}:${config.port}` : `the server of secret '${config.secret}'`;
}

/**
 * Connects with bounded waits. Host, port and credentials go in as options, never spliced into a
 * connection string; a secret holds {host, port, username, password} as for MySQL.
 */
export async function connect(config: MongodbSourceConfig): Promise<MongoClient> {
  const { MongoClient } = await import('mongodb');
  const secret = config.secret ? await readSecret(config.secret, config.secret_region) : {};
  // As for MySQL: the secret's fields win, the section fills what the secret lacks.
  const host = secret.host ?? config.host;
  const port = secret.port ?? config.port;
  const user = secret.username ?? config.user;
  const password = secret.password ?? config.password;
  const options: MongoClientOptions = {
    serverSelectionTimeoutMS: config.timeout_ms,
    connectTimeoutMS: config.timeout_ms,
    socketTimeoutMS: config.timeout_ms,
    maxPoolSize: 2,
    appName: 'fastlane',
    ...(config.uri ? {} : { directConnection: true }),
    ...(user === undefined || user === '' ? {} : { auth: { username: user, password }, authSource: config.auth_source }),
  };
  let url = config.uri;
  if (!url) {
    if (!host || !HOST.test(host)) {
      throw new FastlaneError('FL_CONFIG_INVALID', `source.mongodb.host '${host ?? ''}' is not a host name or address: give host and port, or uri`);
    }
    url = `mongodb://${host}:${port}/`;
  }
  const client = new MongoClient(url, options);
  try {
    await client.connect();
  } catch (error) {
    await client.close().catch(() => undefined);
    throw connectError(error, config, user);
  }
  return client;
}

function connectError(error: unknown, config: MongodbSourceConfig, user: string | undefined): FastlaneError {
  const name = (error as { name?: string }).name ?? '';
  const code = (error as { code?: number }).code;
  if (code === 18 || /Authentication/i.test(name) || /auth/i.test((error as Error).message ?? '')) {
    return new FastlaneError('FL_CONNECT', `MongoDB at ${serverLabel(config)} refused the credentials of user '${user ?? ''}' (auth_source '${config.auth_source}'): check source.mongodb.user, password, auth_source or the secret`, { cause: error });
  }
  return new FastlaneError('FL_CONNECT', `cannot reach MongoDB at ${serverLabel(config)} within ${config.timeout_ms} ms: check host, port (or uri) and that the server runs`, { cause: error });
}
