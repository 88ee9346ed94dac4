import { createSign } from 'node:crypto';
import { OAuth2Client } from 'google-auth-library';
import { FastlaneError } from '../../errors.js';
import type { ServiceAccountKey } from './credentials.js';

const SCOPE = 'https://www.googleapis.com/auth/bigquery';
const GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const LIFETIME_SECONDS = 3600;

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

/** The signed JWT (RS256) a service account trades for an access token at its token URI. */
export function signedAssertion(key: ServiceAccountKey, nowSeconds = Math.floor(Date.now() / 1000)): string {
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', ...(key.privateKeyId ? { kid: key.privateKeyId } : {}) }));
  const claims = base64url(JSON.stringify({ iss: key.clientEmail, scope: SCOPE, aud: key.tokenUri, iat: nowSeconds, exp: nowSeconds + LIFETIME_SECONDS }));
  let signature: Buffer;
  try {
    signature = createSign('RSA-SHA256').update(`${header}.${claims}`).sign(key.privateKey);
  } catch (error) {
    throw new FastlaneError('FL_CONNECT', `the private_key of service account ${key.clientEmail} cannot sign: it must be the PEM RSA key Google Cloud exported`, { cause: error });
  }
  return `${header}.${claims}.${base64url(signature)}`;
}

export interface AccessToken {
  readonly access_token: string;
  readonly expiry_date: number;
}

/**
 * Trades a signed assertion for an access token at the key's own `token_uri` (google-auth-library's
 * JWT client sends it to Google's fixed URL whatever the key says).
 */
export async function fetchAccessToken(key: ServiceAccountKey, timeoutMs: number): Promise<AccessToken> {
  let response: Response;
  try {
    response = await fetch(key.tokenUri, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: GRANT_TYPE, assertion: signedAssertion(key) }).toString(),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    if (error instanceof FastlaneError) throw error;
    throw new FastlaneError('FL_CONNECT', `cannot reach the token endpoint ${key.tokenUri} (the key's token_uri): ${(error as Error).message}`, { cause: error });
  }
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok || typeof body.access_token !== 'string') {
    const reason = [body.error, body.error_description].filter((p) => typeof p === 'string').join(': ') || `HTTP ${response.status}`;
    throw new FastlaneError('FL_CONNECT', `the token endpoint ${key.tokenUri} refused service account ${key.clientEmail} (${reason}): check the key file or secret, and that the key is not deleted or disabled`);
  }
  const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : LIFETIME_SECONDS;
  return { access_token: body.access_token, expiry_date: Date.now() + expiresIn * 1000 };
}

/**
 * A google-auth-library client whose tokens come from `fetchAccessToken`, through its public
 * `refreshHandler` hook: the BigQuery client then authorizes, refreshes and retries as usual.
 */
export function serviceAccountAuthClient(key: ServiceAccountKey, timeoutMs: number): OAuth2Client {
  const client = new OAuth2Client();
  client.refreshHandler = () => fetchAccessToken(key, timeoutMs);
  return client;
}
