import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { queryDatabase } from './database.js';
import { PIPELINE, startTestServer, type TestServer } from './app.js';

let server: TestServer;
beforeAll(async () => { server = await startTestServer(); });
afterAll(async () => { await server.close(); });

const call = (...args: Parameters<TestServer['call']>) => server.call(...args);

async function newRun(pipelineId = PIPELINE.pipeline_id): Promise<number> {
  const res = await call('POST', '/api/pipeline/run', { pipeline_id: pipelineId, status: 'running', started: '2026-01-02T03:04:05.123Z', start_offset: 7 });
  expect(res.status).toBe(200);
  return res.body.id as number;
}

describe('/api/healthcheck', () => {
  it('answers ok, echoing when asked', async () => {
    expect(await call('GET', '/api/healthcheck')).toEqual({ status: 200, body: { status: 'ok' } });
    expect((await call('GET', '/api/healthcheck?echo=ping')).body).toEqual({ status: 'ok', echo: 'ping' });
  });
});

describe('/api/pipeline', () => {
  it('answers {} for an unknown pipeline, creates one with its secrets masked, refuses a duplicate', async () => {
    expect(await call('GET', `/api/pipeline?pipeline_id=${PIPELINE.pipeline_id}`)).toEqual({ status: 200, body: {} });
    const created = await call('POST', '/api/pipeline', PIPELINE);
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ id: PIPELINE.pipeline_id, source_type: 'mysql', target_type: 's3', pipeline_type: 'INCREMENTAL' });
    expect(created.body.config.source.mysql).toEqual({ host: 'db', password: '********', table: 'orders' });
    const stored = await queryDatabase(server.db.url, 'SELECT config FROM pipeline WHERE id = $1', [PIPELINE.pipeline_id]);
    expect(JSON.stringify(stored)).not.toContain('hunter2');
    const read = await call('GET', `/api/pipeline?pipeline_id=${PIPELINE.pipeline_id}`);
    expect(read.body).toEqual(created.body);
    const duplicate = await call('POST', '/api/pipeline', PIPELINE);
    expect(duplicate.status).toBe(400);
    expect(duplicate.body.message).toMatch(/already exists/);
  });

  it.each([
    [{ ...PIPELINE, pipeline_id: undefined }, /pipeline_id/],
    [{ ...PIPELINE, pipeline_id: 'x.y.z', pipeline_type: 'SOMETIMES' }, /pipeline_type/],
    [{ ...PIPELINE, pipeline_id: 'x.y.z', config: 'text' }, /config/],
    [{ ...PIPELINE, pipeline_id: 'x.y.z', colour: 'red' }, /colour/],
  ])('refuses bad input %# with a 400 naming the field', async (body, field) => {
    const res = await call('POST', '/api/pipeline', body);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(field);
    expect(JSON.stringify(res.body)).not.toMatch(/ at .*\.(ts|js):\d+/);
  });

  it('refuses a body that is not JSON, without a stack trace', async () => {
    const res = await server.app.inject({ method: 'POST', url: '/api/pipeline', payload: '{"pipeline_id":', headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(400);
    expect(res.body).not.toMatch(/\n\s+at /);
  });

  it('lists pipelines, filtered by type and by the newest run\'s status, with paging', async () => {
    await call('POST', '/api/pipeline', { ...PIPELINE, pipeline_id: 'a.full.mysql.s3', pipeline_type: 'FULL_TABLE' });
    await call('POST', '/api/pipeline', { ...PIPELINE, pipeline_id: 'b.full.mysql.s3', pipeline_type: 'FULL_TABLE' });
    const runId = await newRun('a.full.mysql.s3');
    await call('PUT', '/api/pipeline/run', { pipeline_run_id: runId, status: 'failed' });
    const all = await call('GET', '/api/pipelines');
    expect(all.body.map((p: { id: string }) => p.id)).toEqual(['a.full.mysql.s3', 'b.full.mysql.s3', PIPELINE.pipeline_id]);
    const full = await call('GET', '/api/pipelines?pipeline_type=FULL_TABLE');
    expect(full.body.map((p: { id: string }) => p.id)).toEqual(['a.full.mysql.s3', 'b.full.mysql.s3']);
    const failed = await call('GET', '/api/pipelines?pipeline_status=failed');
    expect(failed.body.map((p: { id: string; pipeline_status: string }) => [p.id, p.pipeline_status])).toEqual([['a.full.mysql.s3', 'failed']]);
    const page = await call('GET', '/api/pipelines?limit=1&offset=1');
    expect(page.body.map((p: { id: string }) => p.id)).toEqual(['b.full.mysql.s3']);
    expect((await call('GET', '/api/pipelines?pipeline_status=sleeping')).status).toBe(400);
  });

  it('deletes a pipeline with its runs and their series', async () => {
    await call('POST', '/api/pipeline', { ...PIPELINE, pipeline_id: 'gone.x.mysql.s3' });
    const runId = await newRun('gone.x.mysql.s3');
    await call('POST', '/api/pipeline/run/rps', { pipeline_run_id: runId, rps: 5 });
    expect(await call('DELETE', '/api/pipeline?pipeline_id=gone.x.mysql.s3')).toEqual({ status: 200, body: { id: 'gone.x.mysql.s3', deleted: true } });
    expect((await call('GET', `/api/pipeline/run?pipeline_run_id=${runId}`)).body).toEqual({});
    expect(await queryDatabase(server.db.url, 'SELECT * FROM pipeline_rps WHERE pipeline_run_id = $1', [runId])).toEqual([]);
    expect((await call('DELETE', '/api/pipeline?pipeline_id=gone.x.mysql.s3')).status).toBe(404);
    expect((await call('DELETE', '/api/pipeline')).status).toBe(400);
  });
});

describe('/api/pipeline/run', () => {
  it('creates, reads, updates, finds the newest and deletes runs', async () => {
    const runId = await newRun();
    const read = await call('GET', `/api/pipeline/run?pipeline_run_id=${runId}`);
    expect(read.body).toMatchObject({ id: runId, pipeline_id: PIPELINE.pipeline_id, status: 'running', started: '2026-01-02T03:04:05.123Z', start_offset: 7, rows_loaded: null, finished: null });
    const updated = await call('PUT', '/api/pipeline/run', { pipeline_run_id: runId, status: 'completed', finished: '2026-01-02 03:05:00.5', rows_loaded: 9_007_199_254_740_991, end_offset: 'k-99' });
    expect(updated.body).toMatchObject({ id: runId, status: 'completed', finished: '2026-01-02T03:05:00.500Z', rows_loaded: 9_007_199_254_740_991, start_offset: 7, end_offset: 'k-99' });
    const newer = await newRun();
    expect((await call('GET', `/api/pipeline/run/latest?pipeline_id=${PIPELINE.pipeline_id}`)).body.id).toBe(newer);
    expect((await call('GET', '/api/pipeline/run/latest?pipeline_id=nobody')).body).toEqual({});
    const other = await newRun();
    expect(await call('DELETE', '/api/pipeline/run', { pipeline_run_id: other })).toEqual({ status: 200, body: { id: other, deleted: true } });
    expect(await call('DELETE', `/api/pipeline/run?pipeline_run_id=${newer}`)).toEqual({ status: 200, body: { id: newer, deleted: true } });
    expect((await call('DELETE', `/api/pipeline/run?pipeline_run_id=${newer}`)).status).toBe(404);
    expect((await call('GET', `/api/pipeline/run?pipeline_run_id=${newer}`)).body).toEqual({});
  });

  it.each([
    ['POST', { pipeline_id: PIPELINE.pipeline_id, status: 'paused' }, 400, /status/],
    ['POST', { pipeline_id: PIPELINE.pipeline_id, started: 'yesterday-ish' }, 400, /started/],
    ['POST', { pipeline_id: 'unknown.pipeline' }, 404, /POST \/api\/pipeline/],
    ['PUT', { pipeline_run_id: 123456 , status: 'failed' }, 404, /123456/],
    ['PUT', { pipeline_run_id: 1 }, 400, /body/],
    ['PUT', { pipeline_run_id: 'one', status: 'failed' }, 400, /pipeline_run_id/],
    ['PUT', { pipeline_run_id: 1, rows_loaded: -1 }, 400, /rows_loaded/],
  ])('%s %j answers %i', async (method, body, status, message) => {
    const res = await call(method as 'POST', '/api/pipeline/run', body);
    expect(res.status).toBe(status);
    expect(res.body.message).toMatch(message);
  });

  it('refuses a GET without a run id', async () => {
    const res = await call('GET', '/api/pipeline/run');
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/pipeline_run_id/);
  });
});

describe('series', () => {
  it.each([
    ['rps', { rps: 1234.5 }],
    ['memory_usage', { memory_usage: 256.25 }],
    ['memory', { memory_usage: 300 }],
    ['queue_depth', { transform_queue: 3, target_queue: 1, in_flight: 4 }],
    ['rows_loaded', { rows_loaded: 100000 }],
  ])('POST then GET /api/pipeline/run/%s', async (path, value) => {
    const runId = await newRun();
    const posted = await call('POST', `/api/pipeline/run/${path}`, { pipeline_run_id: runId, ...value });
    expect(posted.status).toBe(200);
    expect(posted.body.pipeline_run_id).toBe(runId);
    const points = await call('GET', `/api/pipeline/run/${path}?pipeline_run_id=${runId}`);
    expect(points.body).toEqual([{ pipeline_run_id: runId, ...value, created_at: posted.body.created_at }]);
    await call('POST', `/api/pipeline/run/${path}`, { pipeline_run_id: runId, ...value });
    const paged = await call('GET', `/api/pipeline/run/${path}?pipeline_run_id=${runId}&limit=1&offset=1`);
    expect(paged.body).toHaveLength(1);
    expect(paged.body[0].created_at >= posted.body.created_at).toBe(true);
    const old = await call('GET', `/api/pipeline/run/${path}?pipeline_run_id=${runId}&start_date=2020-01-01&end_date=2020-01-02`);
    expect(old.body).toEqual([]);
  });

  it('refuses a point for an unknown run, a wrong value and a bad date', async () => {
    expect((await call('POST', '/api/pipeline/run/rps', { pipeline_run_id: 987654, rps: 1 })).status).toBe(404);
    const wrong = await call('POST', '/api/pipeline/run/memory_usage', { pipeline_run_id: 1, memory_usage: 'lots' });
    expect(wrong).toMatchObject({ status: 400, body: { message: 'body/memory_usage must be number' } });
    const date = await call('GET', '/api/pipeline/run/rps?pipeline_run_id=1&start_date=soon');
    expect(date).toMatchObject({ status: 400, body: { message: expect.stringMatching(/start_date/) } });
  });
});

describe('/api/pipeline/run/logs', () => {
  it('stores posted lines and answers them in order', async () => {
    const runId = await newRun();
    const lines = [{ message: 'starting', level: 'info', timestamp: '2026-01-02T03:04:05.000Z' }, { message: 'boom 🚀', level: 'error', timestamp: '2026-01-02T03:04:06.000Z' }];
    expect((await call('POST', '/api/pipeline/run/logs', { pipeline_run_id: runId, logs: lines })).body).toEqual({ pipeline_run_id: runId, stored: 2 });
    const read = await call('GET', `/api/pipeline/run/logs?pipeline_run_id=${runId}`);
    expect(read.body).toEqual({ source: 'database', logs: lines.map((l) => ({ timestamp: l.timestamp, level: l.level, message: l.message })) });
    expect((await call('GET', '/api/pipeline/run/logs?pipeline_run_id=999999')).status).toBe(404);
    expect((await call('POST', '/api/pipeline/run/logs', { pipeline_run_id: runId, logs: [] })).status).toBe(400);
    const second = await call('GET', `/api/pipeline/run/logs?pipeline_run_id=${runId}&limit=1&offset=1`);
    expect(second.body.logs.map((l: { message: string }) => l.message)).toEqual(['boom 🚀']);
  });
});

describe('limits', () => {
  it('refuses a body over the limit and unknown routes without a stack trace', async () => {
    const big = { ...PIPELINE, pipeline_id: 'big.one.mysql.s3', config: { blob: 'x'.repeat(1024 * 1024 + 1) } };
    const res = await call('POST', '/api/pipeline', big);
    expect(res.status).toBe(413);
    const missing = await call('GET', '/api/nothing');
    expect(missing.status).toBe(404);
  });
});
