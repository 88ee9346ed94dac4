import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PIPELINE, startTestServer, type TestServer } from './app.js';

describe('/metrics', () => {
  let server: TestServer;
  beforeAll(async () => { server = await startTestServer(); });
  afterAll(async () => { await server.close(); });

  const scrape = async () => (await server.app.inject({ method: 'GET', url: '/metrics' })).body.split('\n');

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

  it('counts ended runs and rows per pipeline, and tells the last run\'s end and status', async () => {
    const id = 'short.runs.file.file';
    const p = `pipeline_id="${id}"`;
    await server.call('POST', '/api/pipeline', { ...PIPELINE, pipeline_id: id });
    // Before any run: counters at 0, no last run.
    expect(await scrape()).toEqual(expect.arrayContaining([
      '# TYPE fastlane_runs_total counter', `fastlane_runs_total{${p},status="completed"} 0`, `fastlane_runs_total{${p},status="failed"} 0`,
      `fastlane_runs_total{${p},status="exited"} 0`, '# TYPE fastlane_rows_loaded_total counter', `fastlane_rows_loaded_total{${p}} 0`,
    ]));
    expect((await scrape()).join('\n')).not.toContain(`fastlane_pipeline_last_run_status{${p}`);

    // Runs shorter than any scrape interval: created and ended between two scrapes.
    await server.call('POST', '/api/pipeline/run', { pipeline_id: id, status: 'completed', started: '2026-01-02T03:00:00Z', finished: '2026-01-02T03:00:01Z', rows_loaded: 100 });
    await server.call('POST', '/api/pipeline/run', { pipeline_id: id, status: 'completed', started: '2026-01-02T04:00:00Z', finished: '2026-01-02T04:00:02.5Z', rows_loaded: 250 });
    const failed = (await server.call('POST', '/api/pipeline/run', { pipeline_id: id, started: '2026-01-02T05:00:00Z' })).body.id;
    await server.call('POST', '/api/pipeline/run/rows_loaded', { pipeline_run_id: failed, rows_loaded: 7 });
    // A running run's rows count in the total as they come.
    expect(await scrape()).toEqual(expect.arrayContaining([`fastlane_rows_loaded_total{${p}} 357`, `fastlane_runs_total{${p},status="completed"} 2`]));
    await server.call('PUT', '/api/pipeline/run', { pipeline_run_id: failed, status: 'failed', finished: '2026-01-02T05:00:03Z', rows_loaded: 7 });

    expect(await scrape()).toEqual(expect.arrayContaining([
      `fastlane_runs_total{${p},status="completed"} 2`,
      `fastlane_runs_total{${p},status="failed"} 1`,
      `fastlane_runs_total{${p},status="exited"} 0`,
      `fastlane_rows_loaded_total{${p}} 357`,
      '# TYPE fastlane_pipeline_last_run_end_timestamp_seconds gauge',
      `fastlane_pipeline_last_run_end_timestamp_seconds{${p}} ${Date.parse('2026-01-02T05:00:03Z') / 1000}`,
      `fastlane_pipeline_last_run_status{${p},status="completed"} 0`,
      `fastlane_pipeline_last_run_status{${p},status="failed"} 1`,
      `fastlane_pipeline_last_run_status{${p},status="exited"} 0`,
    ]));
  });
});
