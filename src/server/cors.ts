import type { FastifyInstance } from 'fastify';

const ALLOWED_METHODS = 'GET, POST, PUT, DELETE';
const ALLOWED_HEADERS = 'authorization, content-type';

/**
 * CORS for one origin (a monitoring UI served elsewhere). Off unless an origin is given: then
 * browsers on that origin only may call the API, and preflights are answered.
 */
export function registerCors(app: FastifyInstance, origin: string | undefined): void {
  if (!origin) return;
  app.addHook('onRequest', async (request, reply) => {
    if (request.headers.origin !== origin) return;
    reply.header('access-control-allow-origin', origin).header('vary', 'origin');
    if (request.method === 'OPTIONS') {
      await reply.code(204).header('access-control-allow-methods', ALLOWED_METHODS).header('access-control-allow-headers', ALLOWED_HEADERS).header('access-control-max-age', '600').send();
    }
  });
  // Preflights reach the hook only if some route matches OPTIONS.
  app.options('*', async (_request, reply) => reply.code(204).send());
}
