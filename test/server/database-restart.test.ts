import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { migrateDatabase } from '../../src/db/migrate.js';
import { buildServer } from '../../src/server/build.js';
import type { FastifyInstance } from 'fastify';
import { createPrivatePostgres, type PrivatePostgres } from '../support/private-postgres.js';
import { PIPELINE } from './app.js';

/** Bound on the wait for the server to find the database again; never a timing assertion. */
const RECOVERY_ATTEMPTS = 300;

let pg: PrivatePostgres;
let app: FastifyInstance;
beforeAll(async () => {
  pg = await createPrivatePostgres();
  await migrateDatabase(pg.url);
  app = await buildServer({ databaseUrl: pg.url, poolSize: 4 });
}, 120_000);
afterAll(async () => {
  await app?.close();
  await pg?.destroy();
}, 120_000);

async function call(method: 'GET' | 'POST', url: string, payload?: unknown) {
  const res = await app.inject({ method, url, payload: payload as Record<string, unknown> });
  return { status: res.statusCode, headers: res.headers, body: res.json() as Record<string, unknown> };
}

async function untilAnswered(url: string): Promise<number> {
  for (let i = 0; i < RECOVERY_ATTEMPTS; i++) {
    const res = await call('GET', url);
    if (res.status !== 503) return res.status;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the server still answered 503 after ${RECOVERY_ATTEMPTS} tries`);
}

describe('PostgreSQL restarted under the server', () => {
  it('answers 503 while the database is down and recovers by itself', async () => {
    expect((await call('POST', '/api/pipeline', PIPELINE)).status).toBe(200);
    const runId = (await call('POST', '/api/pipeline/run', { pipeline_id: PIPELINE.pipeline_id })).body.id as number;
    expect((await call('POST', '/api/pipeline/run/rps', { pipeline_run_id: runId, rps: 1 })).status).toBe(200);

    await pg.stop();
    const requests: [string, string, unknown?][] = [
      ['GET', `/api/pipeline?pipeline_id=${PIPELINE.pipeline_id}`],
      ['GET', `/api/pipeline/run/rps?pipeline_run_id=${runId}`],
      ['POST', '/api/pipeline/run/rps', { pipeline_run_id: runId, rps: 2 }],
      ['GET', '/api/pipelines'],
      ['GET', '/metrics'],
    ];
    for (const [method, url, body] of requests) {
      const res = await call(method as 'GET', url, body);
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('1');
      expect(res.body).toEqual({ statusCode: 503, error: 'Service Unavailable', message: 'the metrics database cannot be reached right now: retry later' });
    }
    // Requests that need no database still answer.
    expect((await call('GET', '/api/healthcheck')).status).toBe(200);
    expect((await call('POST', '/api/pipeline/run/rps', { pipeline_run_id: runId, rps: 'x' })).status).toBe(400);

    await pg.start();
    expect(await untilAnswered(`/api/pipeline/run/rps?pipeline_run_id=${runId}`)).toBe(200);
    expect((await call('POST', '/api/pipeline/run/rps', { pipeline_run_id: runId, rps: 3 })).status).toBe(200);
    const points = await call('GET', `/api/pipeline/run/rps?pipeline_run_id=${runId}`);
    expect((points.body as unknown as { rps: number }[]).map((p) => p.rps)).toEqual([1, 3]);
  }, 180_000);
});
