import type { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { FastlaneError } from '../../errors.js';

/** The fields a connection secret may hold, as the seed stored them. */
export interface SecretCredentials {
  readonly host?: string;
  readonly port?: number;
  readonly username?: string;
  readonly password?: string;
}

/** The narrow client this module needs, so a test can hand in one pointed at a local endpoint. */
export interface SecretsClient {
  send(command: GetSecretValueCommand): Promise<{ SecretString?: string }>;
}

/**
 * Reads {host, port, username, password} from an AWS Secrets Manager secret. The region is
 * `secret_region`, else the SDK's own (AWS_REGION); AWS_ENDPOINT_URL_SECRETS_MANAGER redirects it.
 */
export async function readSecret(name: string, region: string | undefined, client?: SecretsClient): Promise<SecretCredentials> {
  // Loaded on first use: the SDK costs ~0.4 s to import, in every loader thread.
  const sdk = await import('@aws-sdk/client-secrets-manager');
  const sm = client ?? new sdk.SecretsManagerClient(region ? { region } : {});
  let text: string | undefined;
  try {
    text = (await sm.send(new sdk.GetSecretValueCommand({ SecretId: name }))).SecretString;
  } catch (error) {
    throw new FastlaneError('FL_CONNECT', `cannot read the secret '${name}' from AWS Secrets Manager: check its name, secret_region and the AWS credentials`, { cause: error });
  }
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
