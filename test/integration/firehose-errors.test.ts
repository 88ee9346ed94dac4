import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from '../../src/registry.js';
import fileSource from '../../src/connectors/file/source.js';
import defaultTransform from '../../src/connectors/default/transform.js';
import firehoseTarget from '../../src/connectors/firehose/connector.js';
import { parseConfig } from '../../src/config/load.js';
import { planPipeline } from '../../src/config/plan.js';
import { runPipeline } from '../../src/pipeline/run.js';
import { StopRequest } from '../../src/pipeline/stop.js';
import { silentLogger } from '../../src/logging/logger.js';
import { main } from '../../src/cli/main.js';
import type { RunSummary } from '../../src/pipeline/stats.js';
import { startFirehoseServer, type FirehoseServer } from '../servers/firehose.js';

const KEY = { access_key_id: 'AKIDFASTLANETEST', secret_access_key: 'secret' };
let server: FirehoseServer;
let folder: string;
let csv: string;

function registry(): Registry {
  return new Registry().register('source', fileSource).register('transform', defaultTransform).register('target', firehoseTarget);
}

function pipelineConfig(target: Record<string, unknown>, path = csv): Record<string, unknown> {
  return {
    source: { file: { path, columns: { id: 'int64', text: 'utf8' } } },
    replication_mode: 'FULL_TABLE',
    target: { firehose: { delivery_stream: 'events', endpoint: server.endpoint, ...KEY, concurrency: 1, ...target } },
  };
}

async function run(target: Record<string, unknown>, path?: string): Promise<RunSummary> {
  const connectors = registry();
  const config = parseConfig(pipelineConfig(target, path), 'test', { registry: connectors, transformType: 'default' });
  return runPipeline({ plan: planPipeline(config, connectors, { transform: 'default' }), logger: silentLogger(), stop: new StopRequest(null) });
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'fastlane-firehose-errors-'));
  csv = join(folder, 'rows.csv');
  await writeFile(csv, 'id,text\n1,a\n2,b\n');
  server = await startFirehoseServer({ streams: ['events'], accessKeyId: KEY.access_key_id, refuseRecord: (data) => data.includes('"always refused"') });
});

afterAll(async () => {
  await server.stop();
  await rm(folder, { recursive: true, force: true });
});

describe('target firehose errors', () => {
  test('a delivery stream that does not exist is a clear error', async () => {
    const summary = await run({ delivery_stream: 'no-such-stream' });
    expect(summary.status).toBe('failed');
    expect(summary.error?.message).toMatch(/delivery stream 'no-such-stream' does not exist in http:\/\/127\.0\.0\.1:\d+; check target.firehose.delivery_stream/);
  });

  test('refused credentials are a clear error', async () => {
    const summary = await run({ access_key_id: 'AKIDWRONG' });
    expect(summary.error).toMatchObject({ code: 'FL_CONNECT' });
    expect(summary.error?.message).toMatch(/the credentials were refused \(UnrecognizedClientException\)/);
  });

  test('a row too large for one record fails the run naming the row', async () => {
    const big = join(folder, 'big.csv');
    await writeFile(big, `id,text\n1,small\n42,${'x'.repeat(1000 * 1024)}\n`);
    const summary = await run({}, big);
    expect(summary.status).toBe('failed');
    expect(summary.error?.message).toMatch(/row 2 of load 1 \(id=42\) is 1024\d{3} bytes as JSON, over Firehose's 1024000-byte record limit/);
  });

  test('records refused on every attempt fail the run once retries run out', async () => {
    const refused = join(folder, 'refused.csv');
    await writeFile(refused, 'id,text\n1,fine\n2,always refused\n');
    const summary = await run({ record_retries: 2 }, refused);
    expect(summary.error?.message).toMatch(/refused 1 records 3 times \(ServiceUnavailableException: Slow down\.\)/);
  });

  test('the shared retry option replaces record_retries', async () => {
    const refused = join(folder, 'refused-retry.csv');
    await writeFile(refused, 'id,text\n1,fine\n2,always refused\n');
    const summary = await run({ record_retries: 8, retry: { attempts: 2, backoff_initial_ms: 1, jitter: false } }, refused);
    expect(summary.error?.message).toMatch(/refused 1 records 2 times \(ServiceUnavailableException: Slow down\.\)/);
  });

  test('an unreachable endpoint is a clear error, and the CLI exits 1', async () => {
    const summary = await run({ endpoint: 'http://127.0.0.1:9', max_attempts: 1 });
    expect(summary.error).toMatchObject({ code: 'FL_CONNECT' });
    expect(summary.error?.message).toMatch(/the endpoint http:\/\/127\.0\.0\.1:9 is unreachable/);

    const file = join(folder, 'unreachable.json');
    await writeFile(file, JSON.stringify(pipelineConfig({ endpoint: 'http://127.0.0.1:9', max_attempts: 1 })));
    const io = { stdout: () => undefined, stderr: () => undefined, env: {} };
    expect(await main(['run', `--config=${file}`, '--progress=off', `--state-dir=${folder}`], io)).toBe(1);
  });
});
