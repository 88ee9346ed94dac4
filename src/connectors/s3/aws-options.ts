import type { AwsCredentialsConfig } from './config.js';

/** The settings every AWS SDK client of a connector shares, from its config section. */
export interface AwsClientSettings extends AwsCredentialsConfig {
  readonly region: string;
  readonly endpoint?: string;
  readonly max_attempts: number;
}

/**
 * Options for an AWS SDK v3 client. Credentials in the config win; without them the SDK's
 * default chain (environment, profile, instance role) applies.
 */
export function awsClientOptions(settings: AwsClientSettings) {
  const { access_key_id: accessKeyId, secret_access_key: secretAccessKey, session_token: sessionToken } = settings;
  return {
    region: settings.region,
    maxAttempts: settings.max_attempts,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    ...(accessKeyId && secretAccessKey
      ? { credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) } }
      : {}),
  };
}

/** The error name and HTTP status an AWS SDK v3 call failed with, when it got that far. */
export function awsFailure(error: unknown): { name: string; status?: number; network: boolean } {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return { name: e?.name ?? 'Error', status: e?.$metadata?.httpStatusCode, network: isNetworkError(error) };
}

const NETWORK_CODES = /\b(ECONNREFUSED|ECONNRESET|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|EAI_AGAIN)\b/;

/**
 * True when no answer came from the service. The SDK may wrap the socket error (its "error
 * wrapper" when the error comes from another realm), so the cause chain and message are searched.
 */
function isNetworkError(error: unknown): boolean {
  let current = error as { code?: unknown; message?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; current && depth < 4; depth++) {
    if (typeof current.code === 'string' && NETWORK_CODES.test(current.code)) return true;
    if (typeof current.message === 'string' && NETWORK_CODES.test(current.message)) return true;
    current = current.cause as typeof current;
  }
  return false;
}

const REFUSED = new Set([
  'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'UnrecognizedClientException', 'InvalidSignatureException',
  'AccessDenied', 'AccessDeniedException', 'ExpiredToken', 'ExpiredTokenException', 'CredentialsProviderError',
]);

/** True when the service refused the credentials (or none could be found). */
export function isRefusedCredentials(error: unknown): boolean {
  const { name, status } = awsFailure(error);
  return REFUSED.has(name) || status === 403;
}
