import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/server/build.js';

describe('a server whose database is unreachable', () => {
  let app: FastifyInstance;
  beforeAll(async () => { app = await buildServer({ databaseUrl: 'postgres://someone:pw123@127.0.0.1:9/nothing' }); });
  afterAll(() => app.close());

  it('answers 503 without a stack trace, SQL or the database password', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/pipelines' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.json()).toEqual({ statusCode: 503, error: 'Service Unavailable', message: 'the metrics database cannot be reached right now: retry later' });
    expect(res.body).not.toMatch(/pw123|SELECT|ECONNREFUSED|\bat\b/);
  });

  it('still answers the healthcheck and validates before touching the database', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/healthcheck' })).json()).toEqual({ status: 'ok' });
    const res = await app.inject({ method: 'POST', url: '/api/pipeline/run/rps', payload: { pipeline_run_id: 0, rps: 1 } });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toBe('body/pipeline_run_id must be >= 1');
  });
});
