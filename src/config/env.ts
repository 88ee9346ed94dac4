import { FastlaneError } from '../errors.js';

const REFERENCE = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Replaces `${env:NAME}` inside every string value by the variable's value, so secrets need not
 * live in config files. Every missing variable is reported at once, with where it is used.
 */
export function substituteEnv(value: unknown, env: NodeJS.ProcessEnv): unknown {
  const { data, missing } = substituteEnvCollecting(value, env);
  if (missing.length > 0) throw new FastlaneError('FL_CONFIG_ENV', missing.join('; '));
  return data;
}

/**
 * As substituteEnv, but returns the missing variables as config-error lines (`path: ...`) instead
 * of throwing, so they are reported beside the config's other mistakes. A missing variable is
 * replaced by an empty string meanwhile.
 */
export function substituteEnvCollecting(value: unknown, env: NodeJS.ProcessEnv): { data: unknown; missing: string[] } {
  const missing: string[] = [];
  const data = walk(value, '', env, missing);
  return { data, missing };
}

function walk(value: unknown, path: string, env: NodeJS.ProcessEnv, missing: string[]): unknown {
  if (typeof value === 'string') {
    return value.replace(REFERENCE, (_match, name: string) => {
      const found = env[name];
      if (found === undefined) {
        missing.push(`${path || '(top level)'}: environment variable ${name} is not set`);
        return '';
      }
      return found;
    });
  }
  if (Array.isArray(value)) return value.map((item, i) => walk(item, `${path}[${i}]`, env, missing));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, walk(item, path ? `${path}.${key}` : key, env, missing)]),
    );
  }
  return value;
}
