/*
 * Masking of secrets in configs, below both its users: the metrics server (what it stores and
 * answers) and the run monitor (what it sends), so neither imports the other.
 */

/** Keys whose values are secrets: stored configs show that they were set, never what they are. */
const SECRET_KEY = /pass(word|wd)?$|token|secret_?(access_)?key|access_key|api_?key|private_?key|credentials?$|webhook/i;
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]+):[^@\s]+@/gi;

export const MASK = '********';

/**
 * A copy of a pipeline config with secret values replaced by a mask and passwords removed
 * from URLs, so what the server stores (and answers) cannot leak credentials.
 */
export function maskSecrets(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((item) => maskSecrets(item, key));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskSecrets(v, k)]));
  }
  if (SECRET_KEY.test(key) && value !== null && value !== '' && typeof value !== 'boolean') return MASK;
  if (typeof value === 'string') return value.replace(URL_PASSWORD, `$1:${MASK}@`);
  return value;
}
