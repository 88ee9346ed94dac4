import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import winston from 'winston';
import type { PipelinePlan } from '../../src/config/plan.js';
import { migrateDatabase } from '../../src/db/migrate.js';
import { ApiClient } from '../../src/monitor/api-client.js';
import { ApiMonitor } from '../../src/monitor/monitor.js';
import { RunStats } from '../../src/pipeline/stats.js';
import { buildServer } from '../../src/server/build.js';
import { createTestDatabase, queryDatabase, type TestDatabase } from './database.js';

const PLAN = {
  pipelineId: 'restart.orders.file.file',
  config: { replication_mode: 'INCREMENTAL', source: { file: { path: '/data/orders.csv' } } },
  source: { type: 'file' },
  target: { type: 'file' },
} as unknown as PipelinePlan;

/** Bounds on the waits below (each polls every 50 ms); reaching one fails the test, never a timing assertion. */
const POLLS = 600;

async function until(what: string, check: () => Promise<boolean> | boolean): Promise<void> {
  for (let i = 0; i < POLLS; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}

let db: TestDatabase;
let app: FastifyInstance | null = null;
let port = 0;

async function startServer(): Promise<void> {
  app = await buildServer({ databaseUrl: db.url });
  await app.listen({ host: '127.0.0.1', port });
  port = (app.server.address() as { port: number }).port;
}

beforeAll(async () => {
  db = await createTestDatabase();
  await migrateDatabase(db.url);
});
afterAll(async () => {
  await app?.close();
  await db.drop();
});

async function rowsSeries(pipelineId = PLAN.pipelineId): Promise<number[]> {
  const rows = await queryDatabase(db.url, `SELECT p.rows_loaded FROM pipeline_rows_loaded p JOIN pipeline_run r ON r.id = p.pipeline_run_id
    WHERE r.pipeline_id = $1 ORDER BY p.id`, [pipelineId]);
  return rows.map((r) => Number(r.rows_loaded));
}

function capture(): { logger: winston.Logger; messages: string[] } {
  const messages: string[] = [];
  const sink = new Writable({ write(chunk, _encoding, done) { messages.push(JSON.parse(String(chunk)).message); done(); } });
  return { logger: winston.createLogger({ level: 'info', transports: [new winston.transports.Stream({ stream: sink })] }), messages };
}

function completed(pipelineId: string, rows: number) {
  return {
    status: 'completed' as const, pipelineId, rowsExtracted: rows, rowsTransformed: rows, rowsLoaded: rows, seconds: 3,
    rowsPerSecond: 1, peakRssBytes: 1, maxInFlight: 1, startOffset: '0', endOffset: String(rows), warnings: {}, committed: true,
  };
}

describe('the metrics server restarted during a run', () => {
  it('the monitor reconnects; the run ends completed with its series going on after the gap', async () => {
    await startServer();
    const { logger, messages } = capture();
    const monitor = new ApiMonitor({ client: new ApiClient({ baseUrl: `http://127.0.0.1:${port}` }), logger, intervalMs: 200, backoffMs: 50, maxBackoffMs: 200 });
    const stats = new RunStats();
    stats.rowsLoaded = 1000;
    monitor.start({ plan: PLAN, runId: 'r1', stats, startOffset: 0 });
    await until('the first points', async () => (await rowsSeries()).includes(1000));

    // The server goes away in the middle of the run; the run goes on.
    await app?.close();
    app = null;
    stats.rowsLoaded = 2000;
    await until('the monitor to notice', () => messages.some((m) => /is not answering/.test(m)));
    stats.rowsLoaded = 5000;
    await new Promise((resolve) => setTimeout(resolve, 200));

    // Back on the same address: the points kept meanwhile arrive, then new ones.
    await startServer();
    await until('the points of the gap', async () => (await rowsSeries()).includes(5000));
    stats.rowsLoaded = 8000;
    await until('points after the gap', async () => (await rowsSeries()).includes(8000));
    expect(messages).toEqual(expect.arrayContaining([expect.stringMatching(/answers again/)]));

    stats.rowsLoaded = 9000;
    await monitor.finish(completed(PLAN.pipelineId, 9000));

    const runs = await queryDatabase(db.url, 'SELECT status, rows_loaded, end_offset FROM pipeline_run WHERE pipeline_id = $1', [PLAN.pipelineId]);
    expect(runs).toEqual([expect.objectContaining({ status: 'completed', rows_loaded: '9000', end_offset: 9000 })]);
    const series = await rowsSeries();
    // One series, in order, never going back, with points before, during and after the gap.
    expect([...series].sort((a, b) => a - b)).toEqual(series);
    expect(series).toEqual(expect.arrayContaining([1000, 5000, 8000]));
    expect(series[series.length - 1]).toBe(9000);
  }, 120_000);

  it('a backlog of points longer than the end\'s wait still lets the run be marked ended', async () => {
    if (!app) await startServer();
    const plan = { ...PLAN, pipelineId: 'backlog.orders.file.file' } as PipelinePlan;
    const { logger, messages } = capture();
    // Points every 5 ms pile up while the server is away: far more than one second can send.
    const monitor = new ApiMonitor({ client: new ApiClient({ baseUrl: `http://127.0.0.1:${port}` }), logger, intervalMs: 5, backoffMs: 50, maxBackoffMs: 200, finishTimeoutMs: 1000 });
    const stats = new RunStats();
    monitor.start({ plan, runId: 'r2', stats, startOffset: 0 });
    await until('the run to exist', async () => (await queryDatabase(db.url, 'SELECT 1 FROM pipeline_run WHERE pipeline_id = $1', [plan.pipelineId])).length === 1);
    await app?.close();
    app = null;
    await until('the monitor to notice', () => messages.some((m) => /is not answering/.test(m)));
    for (let rows = 1; rows <= 100; rows++) {
      stats.rowsLoaded = rows;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await startServer();
    await monitor.finish(completed(plan.pipelineId, 100));
    const runs = await queryDatabase(db.url, 'SELECT status, rows_loaded FROM pipeline_run WHERE pipeline_id = $1', [plan.pipelineId]);
    expect(runs).toEqual([{ status: 'completed', rows_loaded: '100' }]);
  }, 120_000);
});
