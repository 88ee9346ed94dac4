import { readFile } from 'node:fs/promises';
import { FastlaneError } from '../../errors.js';
import { readSecretText } from '../../aws/secrets.js';
import type { BigQuerySourceConfig } from './config.js';

/** Google's token endpoint, for key files that do not name one. */
export const DEFAULT_TOKEN_URI = 'https://oauth2.googleapis.com/token';

/** The fields of a service-account key that signing in needs. */
export interface ServiceAccountKey {
  readonly clientEmail: string;
  readonly privateKey: string;
  readonly privateKeyId?: string;
  readonly tokenUri: string;
}

/**
 * The service-account key: from `credentials_file`, else the secret `secret`, else the file named
 * by GOOGLE_APPLICATION_CREDENTIALS. The key itself is never put in an error message or a log.
 */
export async function loadServiceAccountKey(config: BigQuerySourceConfig, env: NodeJS.ProcessEnv = process.env): Promise<ServiceAccountKey> {
  if (config.credentials_file) return parseKey(await readKeyFile(config.credentials_file, 'source.bigquery.credentials_file'), `the key file ${config.credentials_file}`);
  if (config.secret) return parseKey(await readSecretText(config.secret, config.secret_region), `the secret '${config.secret}'`);
  const path = env.GOOGLE_APPLICATION_CREDENTIALS;
  if (path) return parseKey(await readKeyFile(path, 'GOOGLE_APPLICATION_CREDENTIALS'), `the key file ${path}`);
  throw new FastlaneError('FL_CONNECT', 'source.bigquery has no credentials: set credentials_file (a service-account key file), secret (an AWS Secrets Manager secret holding the key) or the GOOGLE_APPLICATION_CREDENTIALS environment variable');
}

async function readKeyFile(path: string, where: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new FastlaneError('FL_CONNECT', `cannot read the service-account key file ${path} (${where}): ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`, { cause: error });
  }
}

function parseKey(text: string | undefined, origin: string): ServiceAccountKey {
  let value: unknown;
  try {
    value = JSON.parse(text ?? '');
  } catch {
    // The parser's message may quote the key's text: it is left out.
    throw new FastlaneError('FL_CONNECT', `${origin} is not JSON: it must hold a service-account key as Google Cloud exports it`);
  }
  const fields = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const field = (name: string) => (typeof fields[name] === 'string' && fields[name] !== '' ? (fields[name] as string) : undefined);
  const clientEmail = field('client_email');
  const privateKey = field('private_key');
  if (!clientEmail || !privateKey) {
    throw new FastlaneError('FL_CONNECT', `${origin} is not a service-account key: it needs client_email and private_key (type "service_account", as Google Cloud exports it)`);
  }
  return { clientEmail, privateKey, privateKeyId: field('private_key_id'), tokenUri: field('token_uri') ?? DEFAULT_TOKEN_URI };
}
