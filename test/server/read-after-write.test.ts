import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PIPELINE, startTestServer, type TestServer } from './app.js';

/** Enough rounds that a point missed one time in a hundred fails every run. */
const ROUNDS = 200;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  expect((await server.call('POST', '/api/pipeline', PIPELINE)).status).toBe(200);
});
afterAll(async () => { await server.close(); });

async function newRun(): Promise<number> {
  const res = await server.call('POST', '/api/pipeline/run', { pipeline_id: PIPELINE.pipeline_id });
  expect(res.status).toBe(200);
  return res.body.id as number;
}

describe('a point read right after it is written', () => {
  it.each([
    ['rps', (i: number) => ({ rps: i + 0.5 })],
    ['memory_usage', (i: number) => ({ memory_usage: i + 0.25 })],
    ['memory', (i: number) => ({ memory_usage: i })],
    ['queue_depth', (i: number) => ({ transform_queue: i, target_queue: i % 7, in_flight: 1 })],
    ['rows_loaded', (i: number) => ({ rows_loaded: i * 1000 })],
  ])('is always in the answer of GET /api/pipeline/run/%s', async (path, value) => {
    const runId = await newRun();
    const url = `/api/pipeline/run/${path}?pipeline_run_id=${runId}`;
    for (let i = 0; i < ROUNDS; i++) {
      const posted = await server.call('POST', `/api/pipeline/run/${path}`, { pipeline_run_id: runId, ...value(i) });
      expect(posted.status).toBe(200);
      const at = posted.body.created_at as string;
      const point = { pipeline_run_id: runId, ...value(i), created_at: at };
      // No dates: the newest point is there, however close to the read it was written.
      const newest = await server.call('GET', `${url}&offset=${i}`);
      expect(newest.body).toEqual([point]);
      // Its own time as both bounds, to the microsecond: exactly that point.
      const exact = await server.call('GET', `${url}&start_date=${encodeURIComponent(at)}&end_date=${encodeURIComponent(at)}`);
      expect(exact.body).toEqual([point]);
    }
  });
});

describe('series windows', () => {
  it('answers times with microseconds and keeps the microseconds of the dates asked', async () => {
    const runId = await newRun();
    const first = (await server.call('POST', '/api/pipeline/run/rps', { pipeline_run_id: runId, rps: 1 })).body.created_at as string;
    const second = (await server.call('POST', '/api/pipeline/run/rps', { pipeline_run_id: runId, rps: 2 })).body.created_at as string;
    expect(first).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    const url = `/api/pipeline/run/rps?pipeline_run_id=${runId}`;
    // start_date alone has no upper bound either.
    expect((await server.call('GET', `${url}&start_date=${first}`)).body.map((p: { rps: number }) => p.rps)).toEqual([1, 2]);
    expect((await server.call('GET', `${url}&start_date=${second}`)).body.map((p: { rps: number }) => p.rps)).toEqual([2]);
    expect((await server.call('GET', `${url}&end_date=${first}`)).body.map((p: { rps: number }) => p.rps)).toEqual([1]);
    // The seed's form, read as UTC.
    const seedForm = second.replace('T', ' ').replace('Z', '');
    expect((await server.call('GET', `${url}&start_date=${encodeURIComponent(seedForm)}`)).body.map((p: { rps: number }) => p.rps)).toEqual([2]);
  });

  it.each(['2026-02-30', '1', 'yesterday', '2026-01-02T24:00:00Z', '0000-01-01', '2026-01-02T03:04:05+16:00'])('refuses %s naming the field', async (date) => {
    const res = await server.call('GET', `/api/pipeline/run/rps?pipeline_run_id=1&end_date=${encodeURIComponent(date)}`);
    expect(res).toMatchObject({ status: 400, body: { message: expect.stringMatching(/querystring\/end_date/) } });
  });
});

describe('log lines', () => {
  it('get the database\'s time when they have none, and a bad time is refused naming the line', async () => {
    const runId = await newRun();
    const before = (await server.call('POST', '/api/pipeline/run/rps', { pipeline_run_id: runId, rps: 1 })).body.created_at as string;
    expect((await server.call('POST', '/api/pipeline/run/logs', { pipeline_run_id: runId, logs: [{ message: 'now' }] })).status).toBe(200);
    const read = await server.call('GET', `/api/pipeline/run/logs?pipeline_run_id=${runId}`);
    expect(Date.parse(read.body.logs[0].timestamp)).toBeGreaterThanOrEqual(Math.floor(Date.parse(before)));
    const bad = await server.call('POST', '/api/pipeline/run/logs', { pipeline_run_id: runId, logs: [{ message: 'a' }, { message: 'b', timestamp: '2026-02-30' }] });
    expect(bad).toMatchObject({ status: 400, body: { message: expect.stringMatching(/body\/logs\/1\/timestamp/) } });
  });
});
