import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from '../../src/registry.js';
import fileSource from '../../src/connectors/file/source.js';
import defaultTransform from '../../src/connectors/default/transform.js';
import influxdbTarget from '../../src/connectors/influxdb/connector.js';
import { parseConfig } from '../../src/config/load.js';
import { planPipeline } from '../../src/config/plan.js';
import { runPipeline } from '../../src/pipeline/run.js';
import { StopRequest } from '../../src/pipeline/stop.js';
import { silentLogger } from '../../src/logging/logger.js';
import { main } from '../../src/cli/main.js';
import type { RunSummary } from '../../src/pipeline/stats.js';

let folder: string;
let csv: string;
let server: Server;
let url: string;
const requests: string[] = [];

/**
 * Answers /api/v2/write as InfluxDB 2 does when things go wrong: 401 for an unknown token,
 * 404 for an unknown bucket, and for bucket `flaky` a 503 before every other write.
 */
async function startInfluxErrorServer(): Promise<void> {
  let flakyCalls = 0;
  server = createServer((req, res) => {
    req.resume();
    const query = new URL(req.url ?? '/', 'http://x').searchParams;
    requests.push(`${query.get('bucket')} ${req.headers.authorization}`);
    const json = (status: number, body: object) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== 'Token good') return json(401, { code: 'unauthorized', message: 'unauthorized access' });
    if (query.get('bucket') === 'flaky' && flakyCalls++ % 2 === 0) return json(503, { code: 'unavailable', message: 'try again' });
    if (query.get('bucket') !== 'metrics' && query.get('bucket') !== 'flaky') return json(404, { code: 'not found', message: `bucket "${query.get('bucket')}" not found` });
    res.writeHead(204);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function pipelineConfig(target: Record<string, unknown>): Record<string, unknown> {
  return {
    source: { file: { path: csv } },
    replication_mode: 'FULL_TABLE',
    target: { influxdb: { url, token: 'good', org: 'o', bucket: 'metrics', measurement: 'm', concurrency: 1, max_retries: 0, ...target } },
  };
}

async function run(target: Record<string, unknown>): Promise<RunSummary> {
  const connectors = new Registry().register('source', fileSource).register('transform', defaultTransform).register('target', influxdbTarget);
  const config = parseConfig(pipelineConfig(target), 'test', { registry: connectors, transformType: 'default' });
  return runPipeline({ plan: planPipeline(config, connectors, { transform: 'default' }), logger: silentLogger(), stop: new StopRequest(null) });
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'fastlane-influxdb-errors-'));
  csv = join(folder, 'rows.csv');
  await writeFile(csv, 'id,value\n1,1.5\n2,2.5\n');
  await startInfluxErrorServer();
});

afterAll(async () => {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
  await rm(folder, { recursive: true, force: true });
});

describe('target influxdb errors', () => {
  test('a refused token is a clear error', async () => {
    const summary = await run({ token: 'wrong' });
    expect(summary.error).toMatchObject({ code: 'FL_CONNECT' });
    expect(summary.error?.message).toMatch(/refused the token \(unauthorized access\); check target.influxdb.token/);
  });

  test('a bucket that does not exist is a clear error', async () => {
    const summary = await run({ bucket: 'nope' });
    expect(summary.status).toBe('failed');
    expect(summary.error?.message).toMatch(/has no org 'o' with bucket 'nope' \(bucket "nope" not found\)/);
  });

  test('a write refused with 503 is retried', async () => {
    const summary = await run({ bucket: 'flaky', max_retries: 2, min_retry_delay_ms: 10 });
    expect(summary).toMatchObject({ status: 'completed', rowsLoaded: 2 });
    expect(requests.filter((r) => r.startsWith('flaky '))).toHaveLength(2);
  });

  test('the shared retry option replaces max_retries: a 503 is retried by it', async () => {
    const before = requests.length;
    const summary = await run({ bucket: 'flaky', max_retries: 0, retry: { attempts: 2, backoff_initial_ms: 10, jitter: false } });
    expect(summary).toMatchObject({ status: 'completed', rowsLoaded: 2 });
    expect(requests.slice(before).filter((r) => r.startsWith('flaky '))).toHaveLength(2);
  });

  test('an unreachable server is a clear error, and the CLI exits 1', async () => {
    const summary = await run({ url: 'http://127.0.0.1:9' });
    expect(summary.error).toMatchObject({ code: 'FL_CONNECT' });
    expect(summary.error?.message).toMatch(/InfluxDB at http:\/\/127\.0\.0\.1:9 is unreachable/);

    const file = join(folder, 'unreachable.json');
    await writeFile(file, JSON.stringify(pipelineConfig({ url: 'http://127.0.0.1:9' })));
    const io = { stdout: () => undefined, stderr: () => undefined, env: {} };
    expect(await main(['run', `--config=${file}`, '--progress=off', `--state-dir=${folder}`], io)).toBe(1);
  });
});
