import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import winston from 'winston';
import type { PipelinePlan } from '../../src/config/plan.js';
import { ApiClient } from '../../src/monitor/api-client.js';
import { ApiMonitor } from '../../src/monitor/monitor.js';
import { RunStats } from '../../src/pipeline/stats.js';
import { startTestServer, type TestServer } from '../server/app.js';

const PLAN = {
  pipelineId: 'shop.orders.file.file',
  config: { replication_mode: 'INCREMENTAL', source: { file: { path: '/data/orders.csv', password: 'hunter2' } } },
  source: { type: 'file' },
  target: { type: 'file' },
} as unknown as PipelinePlan;

describe('ApiMonitor against the server', () => {
  let server: TestServer;
  let url: string;
  beforeAll(async () => {
    server = await startTestServer();
    url = await server.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(() => server.close());

  it('reports the run, its offsets and every log line, in posts under the body limit', async () => {
    const logger = winston.createLogger({ level: 'info' });
    const monitor = new ApiMonitor({ client: new ApiClient({ baseUrl: url }), logger, intervalMs: 60_000 });
    logger.add(monitor.logTransport());
    const stats = new RunStats();
    monitor.start({ plan: PLAN, runId: '1', stats, startOffset: 9_007_199_254_740_993n });
    const lines = Array.from({ length: 3000 }, (_, i) => `line ${i} ${'é'.repeat(400)}`);
    for (const line of lines) logger.info(line);
    logger.warn('x'.repeat(100_000));
    stats.rowsLoaded = 42;
    await monitor.finish({
      status: 'completed', pipelineId: PLAN.pipelineId, rowsExtracted: 42, rowsTransformed: 42, rowsLoaded: 42, seconds: 1,
      rowsPerSecond: 42, peakRssBytes: 1, maxInFlight: 1, startOffset: '9007199254740993', endOffset: '9007199254741035', warnings: {}, committed: true,
    });
    const pipeline = (await server.call('GET', `/api/pipeline?pipeline_id=${PLAN.pipelineId}`)).body;
    expect(pipeline).toMatchObject({ id: PLAN.pipelineId, source_type: 'file', target_type: 'file', pipeline_type: 'INCREMENTAL' });
    expect(pipeline.config.source.file).toEqual({ path: '/data/orders.csv', password: '********' });
    const run = (await server.call('GET', `/api/pipeline/run/latest?pipeline_id=${PLAN.pipelineId}`)).body;
    expect(run).toMatchObject({ status: 'completed', rows_loaded: 42, start_offset: '9007199254740993', end_offset: '9007199254741035' });
    const logs = (await server.call('GET', `/api/pipeline/run/logs?pipeline_run_id=${run.id}&limit=10000`)).body.logs;
    expect(logs).toHaveLength(3001);
    expect(logs.slice(0, 3000).map((l: { message: string }) => l.message)).toEqual(lines);
    expect(logs[3000]).toMatchObject({ level: 'warn', message: `${'x'.repeat(16 * 1024)}...` });
    const rows = (await server.call('GET', `/api/pipeline/run/rows_loaded?pipeline_run_id=${run.id}`)).body;
    expect(rows.map((p: { rows_loaded: number }) => p.rows_loaded)).toEqual([42]);
  });

  it('records a run that failed before it started, with its error lines', async () => {
    const plan = { ...PLAN, pipelineId: 'early.fail.file.file' } as PipelinePlan;
    const logger = winston.createLogger({ level: 'info' });
    const monitor = new ApiMonitor({ client: new ApiClient({ baseUrl: url }), logger, plan });
    logger.add(monitor.logTransport());
    logger.error('target \'file\' failed to open: disk full');
    await monitor.finish({
      status: 'failed', pipelineId: plan.pipelineId, rowsExtracted: 0, rowsTransformed: 0, rowsLoaded: 0, seconds: 0.5,
      rowsPerSecond: 0, peakRssBytes: 1, maxInFlight: 0, startOffset: '', endOffset: '', warnings: {}, committed: false,
      error: { code: 'FL_TARGET', message: 'disk full' },
    });
    const run = (await server.call('GET', `/api/pipeline/run/latest?pipeline_id=${plan.pipelineId}`)).body;
    expect(run).toMatchObject({ status: 'failed', rows_loaded: 0, start_offset: null, end_offset: null });
    const logs = (await server.call('GET', `/api/pipeline/run/logs?pipeline_run_id=${run.id}`)).body.logs;
    expect(logs).toEqual([expect.objectContaining({ level: 'error', message: "target 'file' failed to open: disk full" })]);
  });
});
