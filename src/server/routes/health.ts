import type { FastifyInstance } from 'fastify';

/** `/api/healthcheck`: `{"status": "ok"}`, with `echo` repeated when given (as in the seed). */
export async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Querystring: { echo?: string } }>('/api/healthcheck', {
    schema: {
      querystring: { type: 'object', properties: { echo: { type: 'string', maxLength: 1024 } } },
      response: { 200: { type: 'object', properties: { status: { type: 'string' }, echo: { type: 'string' } } } },
    },
  }, async (request) => (request.query.echo === undefined ? { status: 'ok' } : { status: 'ok', echo: request.query.echo }));
}
