import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PIPELINE, startTestServer, type TestServer } from './app.js';

let server: TestServer;
let runId: number;
beforeAll(async () => {
  server = await startTestServer();
  await server.call('POST', '/api/pipeline', PIPELINE);
  runId = (await server.call('POST', '/api/pipeline/run', { pipeline_id: PIPELINE.pipeline_id })).body.id as number;
});
afterAll(async () => { await server.close(); });

describe('JSON bodies are taken as they are, never coerced', () => {
  it.each([
    ['/api/pipeline', () => ({ ...PIPELINE, pipeline_id: 12345 }), 'body/pipeline_id must be string'],
    ['/api/pipeline', () => ({ ...PIPELINE, pipeline_id: 'n.x.y', source_type: true }), 'body/source_type must be string'],
    ['/api/pipeline/run/memory_usage', () => ({ pipeline_run_id: runId, memory_usage: [1] }), 'body/memory_usage must be number'],
    ['/api/pipeline/run/rps', () => ({ pipeline_run_id: runId, rps: '12.5' }), 'body/rps must be number'],
    ['/api/pipeline/run/rps', () => ({ pipeline_run_id: String(runId), rps: 1 }), 'body/pipeline_run_id must be integer'],
    ['/api/pipeline/run/rows_loaded', () => ({ pipeline_run_id: runId, rows_loaded: null }), 'body/rows_loaded must be integer'],
    ['/api/pipeline/run/queue_depth', () => ({ pipeline_run_id: runId, transform_queue: false, target_queue: 0 }), 'body/transform_queue must be integer'],
    ['/api/pipeline/run', () => ({ pipeline_id: PIPELINE.pipeline_id, rows_loaded: '5' }), 'body/rows_loaded must be integer,null'],
    ['/api/pipeline/run/logs', () => ({ pipeline_run_id: runId, logs: [{ message: 42 }] }), 'body/logs/0/message must be string'],
  ])('POST %s %# answers 400 naming the field', async (url, body, message) => {
    const res = await server.call('POST', url, body());
    expect(res).toEqual({ status: 400, body: { statusCode: 400, error: 'Bad Request', message } });
  });

  it('still reads numbers in query strings, where all values are text', async () => {
    await server.call('POST', '/api/pipeline/run/rps', { pipeline_run_id: runId, rps: 3 });
    const res = await server.call('GET', `/api/pipeline/run/rps?pipeline_run_id=${runId}&limit=5&offset=0`);
    expect(res.status).toBe(200);
    expect(res.body.map((p: { rps: number }) => p.rps)).toEqual([3]);
    expect((await server.call('GET', `/api/pipeline/run/rps?pipeline_run_id=${runId}&limit=many`)).body.message).toMatch(/querystring\/limit/);
  });
});

describe('DELETE bodies', () => {
  it('take ids of the right type only', async () => {
    expect((await server.call('DELETE', '/api/pipeline', { pipeline_id: 12345 })).body.message).toBe('body/pipeline_id must be string');
    expect((await server.call('DELETE', '/api/pipeline/run', { pipeline_run_id: String(runId) })).body.message).toBe('body/pipeline_run_id must be integer');
    expect((await server.call('DELETE', '/api/pipeline/run', { pipeline_run_id: 1.5 })).status).toBe(400);
  });
});
