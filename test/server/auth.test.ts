import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PIPELINE, startTestServer, type TestServer } from './app.js';

const TOKEN = 's3cr3t-token';

describe('without a token', () => {
  let server: TestServer;
  beforeAll(async () => { server = await startTestServer(); });
  afterAll(async () => { await server.close(); });

  it('accepts writes and reads without Authorization', async () => {
    expect((await server.call('POST', '/api/pipeline', PIPELINE)).status).toBe(200);
    expect((await server.call('GET', `/api/pipeline?pipeline_id=${PIPELINE.pipeline_id}`)).body.id).toBe(PIPELINE.pipeline_id);
  });

  it('sends no CORS headers', async () => {
    const res = await server.app.inject({ method: 'GET', url: '/api/pipelines', headers: { origin: 'https://elsewhere.example' } });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('with FASTLANE_API_TOKEN', () => {
  let server: TestServer;
  beforeAll(async () => { server = await startTestServer({ token: TOKEN }); });
  afterAll(async () => { await server.close(); });

  it.each([
    [undefined],
    ['Bearer wrong'],
    [`Basic ${TOKEN}`],
  ])('refuses a write with Authorization %p', async (authorization) => {
    const res = await server.call('POST', '/api/pipeline', PIPELINE, authorization ? { authorization } : {});
    expect(res.status).toBe(401);
    expect(res.body.message).toMatch(/Bearer/);
    expect(JSON.stringify(res.body)).not.toContain(TOKEN);
  });

  it('accepts a write with the token, and reads without it', async () => {
    const res = await server.call('POST', '/api/pipeline', PIPELINE, { authorization: `Bearer ${TOKEN}` });
    expect(res.status).toBe(200);
    expect((await server.call('GET', `/api/pipeline?pipeline_id=${PIPELINE.pipeline_id}`)).body.id).toBe(PIPELINE.pipeline_id);
    expect((await server.call('DELETE', `/api/pipeline?pipeline_id=${PIPELINE.pipeline_id}`)).status).toBe(401);
  });
});

describe('with a token for reads too', () => {
  let server: TestServer;
  beforeAll(async () => { server = await startTestServer({ token: TOKEN, authenticateReads: true }); });
  afterAll(async () => { await server.close(); });

  it('refuses reads without the token, except the healthcheck', async () => {
    expect((await server.call('GET', '/api/pipelines')).status).toBe(401);
    expect((await server.call('GET', '/metrics')).status).toBe(401);
    expect((await server.call('GET', '/api/pipelines', undefined, { authorization: `Bearer ${TOKEN}` })).body).toEqual([]);
    expect((await server.call('GET', '/api/healthcheck')).body).toEqual({ status: 'ok' });
  });
});

describe('with a CORS origin', () => {
  let server: TestServer;
  beforeAll(async () => { server = await startTestServer({ token: TOKEN, corsOrigin: 'https://ui.example' }); });
  afterAll(async () => { await server.close(); });

  it('answers that origin\'s preflight and requests, and no other origin', async () => {
    const preflight = await server.app.inject({ method: 'OPTIONS', url: '/api/pipeline', headers: { origin: 'https://ui.example', 'access-control-request-method': 'POST' } });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers).toMatchObject({ 'access-control-allow-origin': 'https://ui.example', 'access-control-allow-methods': 'GET, POST, PUT, DELETE' });
    const read = await server.app.inject({ method: 'GET', url: '/api/pipelines', headers: { origin: 'https://ui.example' } });
    expect(read.headers['access-control-allow-origin']).toBe('https://ui.example');
    const other = await server.app.inject({ method: 'GET', url: '/api/pipelines', headers: { origin: 'https://evil.example' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const write = await server.app.inject({ method: 'POST', url: '/api/pipeline', payload: PIPELINE, headers: { origin: 'https://ui.example' } });
    expect(write.statusCode).toBe(401);
  });
});
