import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestServer, type TestServer } from './app.js';

/** The calls the seed's Python monitor made, in its order, with its field names. */
describe('the seed client\'s call sequence', () => {
  let server: TestServer;
  beforeAll(async () => { server = await startTestServer(); });
  afterAll(async () => { await server.close(); });

  it('get, post pipeline; create run; post rps and memory; update; read back', async () => {
    const id = 'shop.orders.mysql.s3';
    const existing = await server.call('GET', `/api/pipeline?pipeline_id=${id}`);
    expect(Object.keys(existing.body)).toHaveLength(0);
    const config = { source: { mysql: { table: 'orders' } }, target: { s3: { table: 'orders' } }, replication_mode: 'INCREMENTAL' };
    const pipeline = await server.call('POST', '/api/pipeline', { pipeline_id: id, source_type: 'mysql', target_type: 's3', pipeline_type: 'INCREMENTAL', config });
    expect(pipeline.status).toBe(200);
    const started = '2026-03-04 05:06:07.891011';
    const run = await server.call('POST', '/api/pipeline/run', { pipeline_id: id, cloudwatch_log_stream: '2026-03-04 05:06:07', started, status: 'running', start_offset: 41 });
    expect(run.body).toMatchObject({ id: expect.any(Number), status: 'running', start_offset: 41, started: '2026-03-04T05:06:07.891Z' });
    const runId = run.body.id;
    for (const rps of [100, 250.5]) expect((await server.call('POST', '/api/pipeline/run/rps', { pipeline_run_id: runId, rps })).status).toBe(200);
    for (const mb of [120.5, 130]) expect((await server.call('POST', '/api/pipeline/run/memory', { pipeline_run_id: runId, memory_usage: mb })).status).toBe(200);
    await server.call('PUT', '/api/pipeline/run', { pipeline_run_id: runId, rows_loaded: 5000 });
    await server.call('PUT', '/api/pipeline/run', { pipeline_run_id: runId, end_offset: 5041 });
    await server.call('PUT', '/api/pipeline/run', { pipeline_run_id: runId, status: 'completed', finished: '2026-03-04 05:10:00' });
    const latest = await server.call('GET', `/api/pipeline/run/latest?pipeline_id=${id}`);
    expect(latest.body).toMatchObject({ id: runId, pipeline_id: id, status: 'completed', rows_loaded: 5000, start_offset: 41, end_offset: 5041, cloudwatch_log_stream: '2026-03-04 05:06:07', finished: '2026-03-04T05:10:00.000Z' });
    const window = 'start_date=2026-01-01T00:00:00Z&end_date=2100-01-01T00:00:00Z';
    const rps = await server.call('GET', `/api/pipeline/run/rps?pipeline_run_id=${runId}&${window}`);
    expect(rps.body.map((p: { rps: number }) => p.rps)).toEqual([100, 250.5]);
    const memory = await server.call('GET', `/api/pipeline/run/memory_usage?pipeline_run_id=${runId}`);
    expect(memory.body.map((p: { memory_usage: number; pipeline_run_id: number }) => [p.pipeline_run_id, p.memory_usage])).toEqual([[runId, 120.5], [runId, 130]]);
    expect((await server.call('GET', `/api/pipelines?pipeline_status=completed`)).body.map((p: { id: string }) => p.id)).toEqual([id]);
  });
});
