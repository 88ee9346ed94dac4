import { FastlaneError } from '../../errors.js';
import { readSecretText, type SecretsClient } from '../../aws/secrets.js';

export type { SecretsClient } from '../../aws/secrets.js';

/** The fields a connection secret may hold, as the seed stored them. */
export interface SecretCredentials {
  readonly host?: string;
  readonly port?: number;
  readonly username?: string;
  readonly password?: string;
}

/**
 * Reads {host, port, username, password} from an AWS Secrets Manager secret. The region is
 * `secret_region`, else the SDK's own (AWS_REGION); AWS_ENDPOINT_URL_SECRETS_MANAGER redirects it.
 */
export async function readSecret(name: string, region: string | undefined, client?: SecretsClient): Promise<SecretCredentials> {
  const text = await readSecretText(name, region, client);
  return parseSecret(name, text);
}

function parseSecret(name: string, text: string | undefined): SecretCredentials {
  let value: unknown;
  try {
    value = JSON.parse(text ?? '');
  } catch (error) {
    throw new FastlaneError('FL_CONNECT', `the secret '${name}' is not a JSON object: store {"host", "port", "username", "password"} in it`, { cause: error });
  }
  if (typeof value !== 'object' || value === null) {
    throw new FastlaneError('FL_CONNECT', `the secret '${name}' is not a JSON object: store {"host", "port", "username", "password"} in it`);
  }
  const fields = value as Record<string, unknown>;
  const textField = (key: string): string | undefined => (typeof fields[key] === 'string' ? (fields[key] as string) : undefined);
  const port = fields.port === undefined ? undefined : Number(fields.port);
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
    throw new FastlaneError('FL_CONNECT', `the secret '${name}' has a port that is not a number from 1 to 65535`);
  }
  return { host: textField('host'), port, username: textField('username') ?? textField('user'), password: textField('password') };
}
