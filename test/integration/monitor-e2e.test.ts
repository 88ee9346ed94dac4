import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { queryDatabase } from '../server/database.js';
import { startTestServer, type TestServer } from '../server/app.js';
import { createPipelineFixture, type PipelineFixture } from '../server/pipeline-fixture.js';

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('a file -> file run with --api', () => {
  let server: TestServer;
  let fixture: PipelineFixture;
  let url: string;
  beforeAll(async () => {
    server = await startTestServer();
    url = await server.app.listen({ host: '127.0.0.1', port: 0 });
    fixture = await createPipelineFixture();
  });
  afterAll(async () => {
    await fixture.remove();
    await server.close();
  });

  it('leaves the pipeline, a completed run with rows_loaded, series and log lines', async () => {
    const { code } = await fixture.run([`--api=${url}`, '--api-interval=0.1']);
    expect(code).toBe(0);
    const pipelines = await queryDatabase(server.db.url, 'SELECT id, source_type, target_type, pipeline_type, config FROM pipeline');
    expect(pipelines).toHaveLength(1);
    const pipelineId = String(pipelines[0].id);
    expect(pipelines[0]).toMatchObject({ source_type: 'file', target_type: 'file', pipeline_type: 'FULL_TABLE' });
    expect((pipelines[0].config as { source: { file: { path: string } } }).source.file.path).toContain(fixture.dir);
    const latest = await server.call('GET', `/api/pipeline/run/latest?pipeline_id=${encodeURIComponent(pipelineId)}`);
    expect(latest.body).toMatchObject({ pipeline_id: pipelineId, status: 'completed', rows_loaded: fixture.rows, start_offset: null });
    expect(Date.parse(latest.body.finished)).toBeGreaterThanOrEqual(Date.parse(latest.body.started));
    const runId = latest.body.id;
    const rps = await server.call('GET', `/api/pipeline/run/rps?pipeline_run_id=${runId}`);
    const memory = await server.call('GET', `/api/pipeline/run/memory_usage?pipeline_run_id=${runId}`);
    const rows = await server.call('GET', `/api/pipeline/run/rows_loaded?pipeline_run_id=${runId}`);
    const queues = await server.call('GET', `/api/pipeline/run/queue_depth?pipeline_run_id=${runId}`);
    expect(rps.body.length).toBeGreaterThan(0);
    expect(memory.body.length).toBeGreaterThan(0);
    expect(queues.body.length).toBeGreaterThan(0);
    for (const point of memory.body) expect(point.memory_usage).toBeGreaterThan(10);
    expect(rows.body[rows.body.length - 1].rows_loaded).toBe(fixture.rows);
    const logs = await server.call('GET', `/api/pipeline/run/logs?pipeline_run_id=${runId}`);
    expect(logs.body.source).toBe('database');
    expect(logs.body.logs.map((l: { message: string }) => l.message)).toEqual(expect.arrayContaining([expect.stringMatching(/starting after offset/)]));
    // The run's last line, as the terminal showed it, is in the server's run logs too.
    expect(logs.body.logs.map((l: { message: string }) => l.message)).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^completed: ${pipelineId.replace(/\./g, '\\.')}; rows extracted`))]));
    const lines = await fixture.logLines();
    // The server's run id, and the run's page in its web UI.
    expect(lines.map((l) => l.message)).toContain(`run ${runId} on the metrics server: ${url}/runs/${runId}`);
    expect(lines.filter((l) => l.level === 'warn')).toEqual([]);
  });

  it('runs on with the server down: exit 0 and one warning', async () => {
    const port = await closedPort();
    const before = (await fixture.logLines()).length;
    const { code } = await fixture.run([`--api=http://127.0.0.1:${port}`, '--api-interval=0.05']);
    expect(code).toBe(0);
    const lines = (await fixture.logLines()).slice(before);
    const warnings = lines.filter((l) => l.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0].message).toMatch(new RegExp(`metrics server http://127.0.0.1:${port} is not answering`));
    expect(lines.some((l) => /^completed: /.test(l.message))).toBe(true);
    expect(lines.some((l) => /answers again/.test(l.message))).toBe(false);
  });
});

describe('a run with --api and a server that needs a token', () => {
  let server: TestServer;
  let fixture: PipelineFixture;
  let url: string;
  beforeAll(async () => {
    server = await startTestServer({ token: 'run-token' });
    url = await server.app.listen({ host: '127.0.0.1', port: 0 });
    fixture = await createPipelineFixture(500);
  });
  afterAll(async () => {
    await fixture.remove();
    await server.close();
  });

  it('sends FASTLANE_API_TOKEN; with a wrong one the run still completes, warning once per refused call', async () => {
    const wrong = await fixture.run([`--api=${url}`, '--api-interval=0.1'], { FASTLANE_API_TOKEN: 'not-it' });
    expect(wrong).toEqual({ code: 0, stderr: '' });
    const warnings = (await fixture.logLines()).filter((l) => l.level === 'warn').map((l) => l.message);
    expect(warnings).toEqual([
      expect.stringMatching(/^metrics server refused to create the pipeline: POST \/api\/pipeline: HTTP 401/),
      expect.stringMatching(/^metrics server refused to create the run: POST \/api\/pipeline\/run: HTTP 401/),
    ]);
    expect(warnings.join('\n')).not.toContain('not-it');
    expect((await server.call('GET', '/api/pipelines')).body).toEqual([]);
    const right = await fixture.run([`--api=${url}`, '--api-interval=0.1'], { FASTLANE_API_TOKEN: 'run-token' });
    expect(right).toEqual({ code: 0, stderr: '' });
    const pipelines = (await server.call('GET', '/api/pipelines')).body;
    expect(pipelines).toHaveLength(1);
    const run = (await server.call('GET', `/api/pipeline/run/latest?pipeline_id=${pipelines[0].id}`)).body;
    expect(run).toMatchObject({ status: 'completed', rows_loaded: 500 });
  });
});
