/** The bare reference: Fastify + @fastify/postgres doing only the same one-row INSERT. */
import fastify from 'fastify';
import fastifyPostgres from '@fastify/postgres';

export async function startReference(databaseUrl: string): Promise<{ url: string; close: () => Promise<void> }> {
  const app = fastify();
  await app.register(fastifyPostgres, { connectionString: databaseUrl, max: 10 });
  app.post<{ Body: { pipeline_run_id: number; rps: number } }>('/api/pipeline/run/rps', async (request) => {
    await app.pg.query('INSERT INTO pipeline_rps (pipeline_run_id, rps) VALUES ($1, $2)', [request.body.pipeline_run_id, request.body.rps]);
    return { ok: true };
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url, close: () => app.close() };
}
