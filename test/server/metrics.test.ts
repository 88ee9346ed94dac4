import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PIPELINE, startTestServer, type TestServer } from './app.js';

describe('/metrics', () => {
  let server: TestServer;
  beforeAll(async () => { server = await startTestServer(); });
  afterAll(async () => { await server.close(); });

  it('answers the running runs\' newest points in Prometheus text format', async () => {
    await server.call('POST', '/api/pipeline', { ...PIPELINE, pipeline_id: 'p"q.x.mysql.s3' });
    const run = (await server.call('POST', '/api/pipeline/run', { pipeline_id: 'p"q.x.mysql.s3' })).body.id;
    const done = (await server.call('POST', '/api/pipeline/run', { pipeline_id: 'p"q.x.mysql.s3', status: 'completed' })).body.id;
    await server.call('POST', '/api/pipeline/run/rows_loaded', { pipeline_run_id: run, rows_loaded: 10 });
    await server.call('POST', '/api/pipeline/run/rows_loaded', { pipeline_run_id: run, rows_loaded: 2000 });
    await server.call('POST', '/api/pipeline/run/rps', { pipeline_run_id: run, rps: 400.5 });
    await server.call('POST', '/api/pipeline/run/memory_usage', { pipeline_run_id: run, memory_usage: 2 });
    await server.call('POST', '/api/pipeline/run/queue_depth', { pipeline_run_id: run, transform_queue: 3, target_queue: 1, in_flight: 4 });
    const res = await server.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const labels = `pipeline_id="p\\"q.x.mysql.s3",pipeline_run_id="${run}"`;
    const lines = res.body.split('\n');
    expect(lines).toEqual(expect.arrayContaining([
      '# TYPE fastlane_run_rows_loaded gauge',
      `fastlane_run_rows_loaded{${labels}} 2000`,
      `fastlane_run_rows_per_second{${labels}} 400.5`,
      `fastlane_run_rss_bytes{${labels}} 2097152`,
      `fastlane_run_queue_depth{${labels},queue="transform"} 3`,
      `fastlane_run_queue_depth{${labels},queue="target"} 1`,
      `fastlane_run_queue_depth{${labels},queue="in_flight"} 4`,
      `fastlane_run_status{${labels},status="running"} 1`,
    ]));
    expect(res.body).not.toContain(`pipeline_run_id="${done}"`);
  });
});
