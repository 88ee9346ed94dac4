import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A read that never needs the token: the web UI's page and assets, which hold no data. */
    openRead?: boolean;
  }
}

const READ_METHODS = new Set(['GET', 'HEAD']);
const OPEN_PATHS = new Set(['/api/healthcheck']);

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Compares in constant time (hashes first, so lengths do not leak either). */
function sameToken(given: string, expected: Buffer): boolean {
  return timingSafeEqual(digest(given), expected);
}

/**
 * With a token, writes (and reads, when asked) need `Authorization: Bearer <token>`;
 * the healthcheck always answers, so load balancers need no secret.
 */
export function registerAuth(app: FastifyInstance, token: string | undefined, authenticateReads: boolean): void {
  if (!token) return;
  const expected = digest(token);
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    // A CORS preflight carries no credentials by design: it is answered, never authorised.
    if (request.method === 'OPTIONS') return;
    const open = OPEN_PATHS.has(request.routeOptions.url ?? '') || request.routeOptions.config?.openRead === true;
    if (READ_METHODS.has(request.method) && (!authenticateReads || open)) return;
    const header = request.headers.authorization ?? '';
    const match = /^Bearer (.+)$/i.exec(header);
    if (match && sameToken(match[1], expected)) return;
    await reply.code(401).header('www-authenticate', 'Bearer').send({
      statusCode: 401,
      error: 'Unauthorized',
      message: 'this server needs `Authorization: Bearer <token>` (the token the server was started with in FASTLANE_API_TOKEN)',
    });
  });
}
