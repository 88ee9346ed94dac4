import type { FastifyInstance, FastifyRequest } from 'fastify';
import { badRequest } from './http-error.js';

/** The path of the first string (value or key) holding U+0000, which PostgreSQL text and jsonb cannot store. */
export function nulPath(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (value === null || typeof value !== 'object') return null;
  for (const [key, item] of Object.entries(value)) {
    const here = `${path}/${key}`;
    if (key.includes('\u0000')) return here;
    const found = nulPath(item, here);
    if (found) return found;
  }
  return null;
}

/** Refuses a NUL character with a 400 naming the field, instead of letting PostgreSQL fail on it. */
export function registerNulCheck(app: FastifyInstance): void {
  app.addHook('preValidation', async (request: FastifyRequest) => {
    const found = nulPath(request.body, 'body') ?? nulPath(request.query, 'querystring');
    if (found) throw badRequest(`${found} must not contain the NUL character (\\u0000)`);
  });
}
