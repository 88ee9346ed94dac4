import { existsSync } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { recordedLoads } from '../fixtures/connectors/slow-target.js';
import { spawnCli } from '../support/cli.js';
import { REPO_ROOT, runConfig, threadCount, withTempDir } from '../support/pipeline.js';
import { startTestServer, type TestServer } from '../server/app.js';

/**
 * Worker threads that crash or hang, and stops that cannot finish: the run ends with the cause,
 * names the stage, leaves no thread behind and is reported failed to the metrics server.
 * Waits below are hang guards (polls with a generous limit), never timed assertions.
 */
const PLUGIN = join(REPO_ROOT, 'test', 'fixtures', 'connectors', 'plugin.ts');

let server: TestServer;
let url: string;

/** Threads of this process once the lazily created ones (V8's, libuv's pool) have started. */
let baseline = 0;

beforeAll(async () => {
  server = await startTestServer();
  url = await server.app.listen({ host: '127.0.0.1', port: 0 });
  const warmUp = await runConfig({ source: { generated: { rows: 300, batch_size: 100 } }, transform: { add_op_fields: false }, target: { slow: {} } });
  expect(warmUp.status).toBe('completed');
  // libuv starts its thread pool on the first file or DNS operation, and keeps it: start it now.
  await stat(REPO_ROOT);
  baseline = await settledThreads(Number.POSITIVE_INFINITY);
}, 120_000);

afterAll(async () => {
  await server?.close();
});

async function writeConfig(dir: string, target: Record<string, unknown>, extra: Record<string, unknown> = {}, source: Record<string, unknown> = {}): Promise<string> {
  const file = join(dir, 'pipeline.json');
  await writeFile(file, JSON.stringify({
    source: { generated: { rows: 5000, batch_size: 100, delay_ms: 5, ...source } },
    transform: { add_op_fields: false },
    target,
    replication_mode: 'FULL_TABLE',
    ...extra,
  }));
  return file;
}

/** Polls until the process is back to `threads` threads (hang guard: 60 s), then returns the count. */
async function settledThreads(threads: number): Promise<number> {
  for (let i = 0; i < 600 && threadCount() > Math.min(threads, baseline || threads); i++) await sleep(100);
  return threadCount();
}

async function latestRunStatus(pipelineId: string): Promise<unknown> {
  const latest = await server.call('GET', `/api/pipeline/run/latest?pipeline_id=${encodeURIComponent(pipelineId)}`);
  return (latest.body as { status?: unknown }).status;
}

// In-process runs first: the CLI tests' server traffic may start threads of its own in this process.
describe('a worker thread that crashes, in the engine', () => {
  it.each(['throw-outside-task', 'exit-outside-task'])('%s: the run ends failed and leaves no thread behind', async (fault) => {
    const summary = await runConfig({
      source: { generated: { rows: 5000, batch_size: 100, delay_ms: 5 } },
      transform: { add_op_fields: false },
      target: { crashing: { fault, on_load: 3, concurrency: 2 } },
    });
    expect(summary.status).toBe('failed');
    expect(summary.error?.code).toBe('FL_WORKER');
    expect(await settledThreads(baseline)).toBe(baseline);
  }, 120_000);
});

describe('a task that never finishes', () => {
  it('is ended by task_timeout_s: FL_TIMEOUT naming the load, no thread left', async () => {
    // The first load hangs, so the load named is the same however slow the machine is.
    const summary = await runConfig({
      source: { generated: { rows: 5000, batch_size: 100, delay_ms: 5 } },
      transform: { add_op_fields: false },
      target: { crashing: { fault: 'hang', on_load: 1 } },
      task_timeout_s: 3,
    });
    expect(summary.status).toBe('failed');
    expect(summary.error?.code).toBe('FL_TIMEOUT');
    expect(summary.error?.message).toMatch(/target 'crashing' load 1 \(batch 1\) did not finish within 3 s \(task_timeout_s\)/);
    expect(await settledThreads(baseline)).toBe(baseline);
  }, 120_000);
});

describe('a worker thread that crashes, through the CLI', () => {
  it.each(['throw-outside-task', 'exit-outside-task', 'exit-in-task'])('%s: the CLI fails naming the stage, exit 1, the run reported failed', async (fault) => {
    await withTempDir(async (dir) => {
      const config = await writeConfig(dir, { crashing: { fault, on_load: 3, concurrency: 2 } });
      const result = await spawnCli(['run', `--config=${config}`, `--plugin=${PLUGIN}`, `--state-dir=${dir}`, `--api=${url}`, '--api-interval=2', '--progress=off']).done;
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/FL_WORKER: a target 'crashing' worker thread (crashed|exited)/);
      expect({ status: await latestRunStatus('test.crashing.generated.crashing'), stderr: result.stderr }).toMatchObject({ status: 'failed' });
    });
  }, 120_000);
});

describe('SIGTERM always ends a run', () => {
  it('a load that hangs: the stop gives up after --stop-timeout and exits 1 with FL_STOP_TIMEOUT', async () => {
    await withTempDir(async (dir) => {
      const marker = join(dir, 'hanging');
      const config = await writeConfig(dir, { crashing: { fault: 'hang', on_load: 2, marker_file: marker } });
      const cli = spawnCli(['run', `--config=${config}`, `--plugin=${PLUGIN}`, `--state-dir=${dir}`, '--progress=off', '--stop-timeout=1']);
      for (let i = 0; i < 600 && !existsSync(marker); i++) await sleep(100);
      expect(existsSync(marker)).toBe(true);
      cli.kill('SIGTERM');
      const result = await cli.done;
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/FL_STOP_TIMEOUT: stop requested \(SIGTERM\), but what was in flight did not finish within 1 s/);
    });
  }, 120_000);

  it('a source read that never returns: the stop lets it go, loads what was handed on and exits 130', async () => {
    await withTempDir(async (dir) => {
      const record = join(dir, 'loads.txt');
      const config = await writeConfig(dir, { slow: { batch_size: 100, record_file: record } }, {}, { stall_after: 5 });
      const cli = spawnCli(['run', `--config=${config}`, `--plugin=${PLUGIN}`, `--state-dir=${dir}`, '--progress=off']);
      for (let i = 0; i < 600 && (await recordedLoads(record)).length < 5; i++) await sleep(100);
      cli.kill('SIGTERM');
      const result = await cli.done;
      expect(result.code).toBe(130);
      const loads = await recordedLoads(record);
      expect(loads.reduce((sum, load) => sum + load.rows, 0)).toBe(500);
      expect(Math.max(...loads.map((load) => load.last))).toBe(500);
    });
  }, 120_000);
});
