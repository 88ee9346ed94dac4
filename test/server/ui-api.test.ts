import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buildServer } from '../../src/server/build.js';
import { buildUiInto } from '../support/ui-build.js';
import { queryDatabase } from './database.js';
import { PIPELINE, startTestServer, type TestServer } from './app.js';

let server: TestServer;
let ui: ReturnType<typeof buildUiInto>;
beforeAll(async () => {
  ui = buildUiInto();
  server = await startTestServer({ uiDir: ui.dir });
}, 120_000);
afterAll(async () => {
  await server?.close();
  ui?.remove();
});

const call = (...args: Parameters<TestServer['call']>) => server.call(...args);

async function newRun(fields: Record<string, unknown>, pipelineId = PIPELINE.pipeline_id): Promise<number> {
  const res = await call('POST', '/api/pipeline/run', { pipeline_id: pipelineId, ...fields });
  expect(res.status).toBe(200);
  return res.body.id as number;
}

describe('GET /api/pipeline/runs and the newest run in GET /api/pipelines', () => {
  let ids: number[];
  beforeAll(async () => {
    await call('POST', '/api/pipeline', PIPELINE);
    await call('POST', '/api/pipeline', { ...PIPELINE, pipeline_id: 'empty.x.mysql.s3' });
    ids = [
      await newRun({ status: 'completed', started: '2026-01-01T00:00:00Z', finished: '2026-01-01T00:10:00Z', rows_loaded: 100, start_offset: 0, end_offset: 100 }),
      await newRun({ status: 'failed', started: '2026-01-02T00:00:00Z', finished: '2026-01-02T00:01:00Z' }),
      await newRun({ status: 'running', started: '2026-01-03T00:00:00Z', start_offset: 100 }),
    ];
    await call('POST', '/api/pipeline/run/rows_loaded', { pipeline_run_id: ids[2], rows_loaded: 40 });
    await call('POST', '/api/pipeline/run/rows_loaded', { pipeline_run_id: ids[2], rows_loaded: 70 });
  });

  it('lists a pipeline\'s runs newest first, with progress and last report, a page at a time', async () => {
    const all = await call('GET', `/api/pipeline/runs?pipeline_id=${PIPELINE.pipeline_id}`);
    expect(all.status).toBe(200);
    expect(all.body.map((r: { id: number; status: string }) => [r.id, r.status])).toEqual([[ids[2], 'running'], [ids[1], 'failed'], [ids[0], 'completed']]);
    expect(all.body[0]).toMatchObject({ rows_loaded: null, rows_loaded_so_far: 70, start_offset: 100 });
    expect(all.body[2]).toMatchObject({ rows_loaded: 100, rows_loaded_so_far: 100, start_offset: 0, end_offset: 100 });
    expect(Date.parse(all.body[0].last_reported_at)).toBeGreaterThanOrEqual(Date.parse(all.body[0].updated_at));
    const page = await call('GET', `/api/pipeline/runs?pipeline_id=${PIPELINE.pipeline_id}&limit=1&offset=1`);
    expect(page.body.map((r: { id: number }) => r.id)).toEqual([ids[1]]);
    expect((await call('GET', '/api/pipeline/runs?pipeline_id=empty.x.mysql.s3')).body).toEqual([]);
  });

  it('answers 404 for an unknown pipeline and 400 without one', async () => {
    const unknown = await call('GET', '/api/pipeline/runs?pipeline_id=nope.a.b');
    expect(unknown).toMatchObject({ status: 404, body: { message: "no pipeline 'nope.a.b'" } });
    expect((await call('GET', '/api/pipeline/runs')).status).toBe(400);
  });

  it('tells each pipeline\'s newest run: id, start, finish, rows loaded so far, last report', async () => {
    const list = await call('GET', '/api/pipelines');
    const byId = Object.fromEntries(list.body.map((p: { id: string }) => [p.id, p]));
    expect(byId[PIPELINE.pipeline_id]).toMatchObject({
      pipeline_status: 'running', last_run_id: ids[2], last_run_started: '2026-01-03T00:00:00.000Z', last_run_finished: null, last_run_rows_loaded: 70,
    });
    expect(typeof byId[PIPELINE.pipeline_id].last_run_reported_at).toBe('string');
    expect(byId['empty.x.mysql.s3']).toMatchObject({ pipeline_status: null, last_run_id: null, last_run_rows_loaded: null, last_run_reported_at: null });
    const single = await call('GET', `/api/pipeline?pipeline_id=${PIPELINE.pipeline_id}`);
    expect(single.body).not.toHaveProperty('last_run_id');
  });
});

describe('GET /api/pipeline/run/logs with level and search', () => {
  it('filters by level (lines of other levels left out) and by text, case-insensitively', async () => {
    const run = await newRun({ status: 'running' });
    await call('POST', '/api/pipeline/run/logs', {
      pipeline_run_id: run,
      logs: [{ level: 'info', message: 'started reading orders' }, { level: 'warn', message: 'slow batch' }, { level: 'error', message: 'Target refused 100% of rows' }, { message: 'no level given' }],
    });
    const get = async (query: string) => (await call('GET', `/api/pipeline/run/logs?pipeline_run_id=${run}${query}`)).body.logs.map((l: { message: string }) => l.message);
    expect(await get('')).toHaveLength(4);
    expect(await get('&level=error')).toEqual(['Target refused 100% of rows']);
    expect(await get('&level=info')).toEqual(['started reading orders', 'no level given']);
    expect(await get('&search=ROWS')).toEqual(['Target refused 100% of rows']);
    expect(await get('&search=100%25')).toEqual(['Target refused 100% of rows']);
    expect(await get('&search=_')).toEqual([]);
    expect(await get('&level=warn&search=orders')).toEqual([]);
    expect((await call('GET', `/api/pipeline/run/logs?pipeline_run_id=${run}&level=debug`)).status).toBe(400);
  });
});

describe('the web UI\'s page and assets', () => {
  it('answers the page at / and at deep links, with a strict content security policy', async () => {
    for (const url of ['/', '/pipelines/shop%2Eorders%2Emysql%2Es3', '/pipelines/a.b.c', '/runs/12']) {
      const res = await server.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.body).toContain('<script type="module" src="/ui/app.js"></script>');
      expect(res.headers['content-security-policy']).toContain("connect-src 'self'");
    }
    const js = await server.app.inject({ method: 'GET', url: '/ui/app.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    const again = await server.app.inject({ method: 'GET', url: '/ui/app.js', headers: { 'if-none-match': String(js.headers.etag) } });
    expect(again.statusCode).toBe(304);
    expect((await server.app.inject({ method: 'GET', url: '/ui/uplot.css' })).statusCode).toBe(200);
  });

  it('answers nothing else from disk, and leaves /api and /metrics as they were', async () => {
    for (const url of ['/ui/..%2Fpackage.json', '/ui/../package.json', '/ui/nope.js', '/ui/index.html']) {
      const res = await server.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(404);
    }
    expect((await call('GET', '/api/nothing')).status).toBe(404);
    expect((await call('GET', '/api/nothing')).body).toMatchObject({ statusCode: 404 });
    const metrics = await server.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.headers['content-type']).toContain('text/plain');
  });

  it('loads the page and assets without the token when reads need one, but not the data', async () => {
    const app = await buildServer({ databaseUrl: server.db.url, token: 'secret-token', authenticateReads: true, uiDir: ui.dir });
    try {
      for (const url of ['/', '/runs/3', '/ui/app.js', '/ui/style.css']) expect((await app.inject({ method: 'GET', url })).statusCode).toBe(200);
      expect((await app.inject({ method: 'GET', url: '/api/pipelines' })).statusCode).toBe(401);
      expect((await app.inject({ method: 'GET', url: '/api/pipelines', headers: { authorization: 'Bearer secret-token' } })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('says how to build the UI when it is not built', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'fastlane-no-ui-'));
    const app = await buildServer({ databaseUrl: server.db.url, uiDir: join(empty, 'missing') });
    try {
      const res = await app.inject({ method: 'GET', url: '/' });
      expect(res.statusCode).toBe(503);
      expect(res.body).toContain('npm run build');
    } finally {
      await app.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('keeps secrets out of what the UI reads', async () => {
    const stored = await queryDatabase(server.db.url, 'SELECT config FROM pipeline WHERE id = $1', [PIPELINE.pipeline_id]);
    expect(JSON.stringify(stored)).not.toContain('hunter2');
  });
});
