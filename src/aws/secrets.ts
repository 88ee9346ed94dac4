import type { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { FastlaneError } from '../errors.js';

/** The narrow client this module needs, so a test can hand in one pointed at a local endpoint. */
export interface SecretsClient {
  send(command: GetSecretValueCommand): Promise<{ SecretString?: string }>;
}

/**
 * The text of an AWS Secrets Manager secret. The region is `region`, else the SDK's own
 * (AWS_REGION); AWS_ENDPOINT_URL_SECRETS_MANAGER redirects the client.
 */
export async function readSecretText(name: string, region: string | undefined, client?: SecretsClient): Promise<string | undefined> {
  // Loaded on first use: the SDK costs ~0.4 s to import, in every thread that reads a secret.
  const sdk = await import('@aws-sdk/client-secrets-manager');
  const sm = client ?? new sdk.SecretsManagerClient(region ? { region } : {});
  try {
    return (await sm.send(new sdk.GetSecretValueCommand({ SecretId: name }))).SecretString;
  } catch (error) {
    throw new FastlaneError('FL_CONNECT', `cannot read the secret '${name}' from AWS Secrets Manager: check its name, secret_region and the AWS credentials`, { cause: error });
  }
}
