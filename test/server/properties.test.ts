import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { PIPELINE, startTestServer, type TestServer } from './app.js';

/** Enough cases per route to meet odd values (NUL, huge numbers, deep nesting) every run. */
const RUNS = 60;

let server: TestServer;
let runId: number;
let pipelineCount = 0;
beforeAll(async () => {
  server = await startTestServer();
  await server.call('POST', '/api/pipeline', PIPELINE);
  runId = (await server.call('POST', '/api/pipeline/run', { pipeline_id: PIPELINE.pipeline_id })).body.id as number;
});
afterAll(async () => { await server.close(); });

type Method = 'POST' | 'PUT' | 'DELETE';

/** A valid body of each route; pipelines get a fresh id each time so a case never hits a duplicate. */
const ROUTES: [Method, string, () => Record<string, unknown>][] = [
  ['POST', '/api/pipeline', () => ({ ...PIPELINE, pipeline_id: `prop.${pipelineCount++}.mysql.s3` })],
  ['POST', '/api/pipeline/run', () => ({ pipeline_id: PIPELINE.pipeline_id, status: 'completed', started: '2026-01-02T03:04:05.123456Z', finished: '2026-01-02 03:05:00', rows_loaded: 5, start_offset: 1, end_offset: 'k' })],
  ['PUT', '/api/pipeline/run', () => ({ pipeline_run_id: runId, status: 'running', rows_loaded: 7, end_offset: 9 })],
  ['POST', '/api/pipeline/run/rps', () => ({ pipeline_run_id: runId, rps: 1.5 })],
  ['POST', '/api/pipeline/run/memory_usage', () => ({ pipeline_run_id: runId, memory_usage: 100 })],
  ['POST', '/api/pipeline/run/memory', () => ({ pipeline_run_id: runId, memory_usage: 100 })],
  ['POST', '/api/pipeline/run/queue_depth', () => ({ pipeline_run_id: runId, transform_queue: 1, target_queue: 2, in_flight: 3 })],
  ['POST', '/api/pipeline/run/rows_loaded', () => ({ pipeline_run_id: runId, rows_loaded: 10 })],
  ['POST', '/api/pipeline/run/logs', () => ({ pipeline_run_id: runId, logs: [{ message: 'm', level: 'info', timestamp: '2026-01-02T03:04:05Z' }] })],
  ['DELETE', '/api/pipeline', () => ({ pipeline_id: `gone.${pipelineCount++}` })],
  ['DELETE', '/api/pipeline/run', () => ({ pipeline_run_id: 999_999_999 })],
];

/** Values of every JSON type, including the awkward ones. */
const anyValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(0, -1, 1.5, 2 ** 53 + 2, 1e300, -1e300, 2 ** 31, '', '\u0000', 'a\u0000b', '2026-02-30', '9999-12-31T23:59:59Z', '💥'.repeat(3), [], {}, null, true),
  fc.string({ unit: 'binary', maxLength: 20 }),
);

async function send(method: Method, url: string, payload: unknown) {
  const res = await server.app.inject({ method, url, payload: JSON.stringify(payload), headers: { 'content-type': 'application/json' } });
  return { status: res.statusCode, body: res.json() as { message?: string } };
}

describe.each(ROUTES)('%s %s', (method, url, valid) => {
  it('answers random JSON bodies below 500, naming the body', async () => {
    await fc.assert(fc.asyncProperty(anyValue, async (body) => {
      const res = await send(method, url, body);
      expect(res.status).toBeLessThan(500);
      // A key named __proto__ is refused by the JSON parser itself: "Body is not valid JSON ...".
      if (res.status === 400) expect(res.body.message).toMatch(/\bbody\b|pipeline_id|pipeline_run_id/i);
    }), { numRuns: RUNS });
  });

  it('answers a valid body with one field changed, removed or added below 500, naming that field', async () => {
    const keys = Object.keys(valid());
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), key: fc.constantFrom(...keys), value: anyValue }),
      fc.record({ kind: fc.constant('delete' as const), key: fc.constantFrom(...keys), value: fc.constant(null) }),
      fc.record({ kind: fc.constant('add' as const), key: fc.stringMatching(/^[a-z_]{1,12}$/), value: anyValue }),
    );
    await fc.assert(fc.asyncProperty(mutation, async ({ kind, key, value }) => {
      const body: Record<string, unknown> = valid();
      if (kind === 'delete') delete body[key];
      else body[key] = value;
      const res = await send(method, url, body);
      expect(res.status).toBeLessThan(500);
      // A value holding a key named __proto__ is refused by the JSON parser, before any field is read.
      const refusedByParser = /^Body is not valid JSON/.test(String(res.body.message));
      if (res.status === 400 && !refusedByParser) expect(res.body.message).toContain(key);
    }), { numRuns: RUNS });
  });
});

describe('bodies that are not JSON', () => {
  it('answer 400 or 415, never 5xx', async () => {
    await fc.assert(fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 200 }), fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded'), async (text, type) => {
      const res = await server.app.inject({ method: 'POST', url: '/api/pipeline/run/rps', payload: text, headers: { 'content-type': type } });
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
    }), { numRuns: RUNS * 2 });
  });
});

describe('query strings', () => {
  it.each(['/api/pipeline/run/rps', '/api/pipeline/run/logs', '/api/pipeline/run', '/api/pipelines', '/api/pipeline', '/api/pipeline/run/latest'])('of GET %s answer below 500', async (url) => {
    const param = fc.constantFrom('pipeline_run_id', 'pipeline_id', 'start_date', 'end_date', 'limit', 'offset', 'pipeline_status', 'pipeline_type', 'x');
    await fc.assert(fc.asyncProperty(fc.array(fc.tuple(param, fc.oneof(fc.string({ unit: 'binary', maxLength: 30 }), fc.integer().map(String), fc.constant(String(runId)))), { maxLength: 4 }), async (pairs) => {
      const query = pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
      const res = await server.app.inject({ method: 'GET', url: `${url}?${query}` });
      expect(res.statusCode).toBeLessThan(500);
      if (res.statusCode === 400) expect(res.json().message).toMatch(/querystring|pipeline_id|pipeline_run_id|start_date|end_date/);
    }), { numRuns: RUNS });
  });
});
