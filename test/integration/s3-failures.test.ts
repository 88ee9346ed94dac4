import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { Registry } from '../../src/registry.js';
import fileSource from '../../src/connectors/file/source.js';
import defaultTransform from '../../src/connectors/default/transform.js';
import s3Target from '../../src/connectors/s3/connector.js';
import { parseConfig } from '../../src/config/load.js';
import { planPipeline } from '../../src/config/plan.js';
import { runPipeline } from '../../src/pipeline/run.js';
import { StopRequest } from '../../src/pipeline/stop.js';
import { silentLogger } from '../../src/logging/logger.js';
import { main } from '../../src/cli/main.js';
import { createObjectStore } from '../../src/connectors/s3/store.js';
import type { S3TargetConfig } from '../../src/connectors/s3/config.js';
import type { RunSummary } from '../../src/pipeline/stats.js';
import { S3RVER_CREDENTIALS, startFaultyProxy, startS3rver, type LocalS3 } from '../support/s3rver.js';

const BUCKET = 'fastlane-s3-failures';
let s3: LocalS3;
let client: S3Client;
let folder: string;
let csv: string;

/** Only the connectors these runs use, so their schemas alone are compiled. */
function registry(): Registry {
  return new Registry().register('source', fileSource).register('transform', defaultTransform).register('target', s3Target);
}

beforeAll(async () => {
  s3 = await startS3rver([BUCKET]);
  client = s3.client();
  folder = await mkdtemp(join(tmpdir(), 'fastlane-s3-failures-'));
  csv = join(folder, 'rows.csv');
  const rows = Array.from({ length: 6 }, (_, i) => `${i + 1},${'x'.repeat(i)},2024-01-0${i + 1}T00:00:00.000001Z`);
  await writeFile(csv, `id,text,at\n${rows.join('\n')}\n`);
});

afterAll(async () => {
  client.destroy();
  await s3.stop();
  await rm(folder, { recursive: true, force: true });
});

function targetSection(overrides: Record<string, unknown>): Record<string, unknown> {
  return { bucket: BUCKET, table: 'orders', endpoint: s3.endpoint, force_path_style: true, ...S3RVER_CREDENTIALS, batch_size: 2, concurrency: 1, ...overrides };
}

function pipelineConfig(target: Record<string, unknown>, path = csv): Record<string, unknown> {
  return { source: { file: { path, key: 'id', batch_size: target.batch_size ?? 2 } }, target: { s3: targetSection(target) }, replication_mode: 'FULL_TABLE' };
}

async function run(target: Record<string, unknown>, mode: 'FULL_TABLE' | 'INCREMENTAL' = 'FULL_TABLE', path = csv): Promise<RunSummary> {
  const connectors = registry();
  const config = parseConfig({ ...pipelineConfig(target, path), replication_mode: mode }, 'test', { registry: connectors, transformType: 'default' });
  return runPipeline({ plan: planPipeline(config, connectors, { transform: 'default' }), logger: silentLogger(), stop: new StopRequest(null) });
}

async function bytesOf(key: string): Promise<Uint8Array> {
  const answer = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return answer.Body!.transformToByteArray();
}

async function keysUnder(prefix: string): Promise<string[]> {
  const answer = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
  return (answer.Contents ?? []).map((o) => o.Key!);
}

/** Every id in the Parquet objects under a prefix, sorted: each row once means no duplicates. */
async function idsUnder(prefix: string): Promise<bigint[]> {
  const ids: bigint[] = [];
  for (const key of (await keysUnder(prefix)).filter((k) => k.endsWith('.parquet'))) {
    const bytes = await bytesOf(key);
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    const rows = (await parquetReadObjects({ file, compressors, columns: ['id'] })) as { id: bigint }[];
    ids.push(...rows.map((r) => r.id));
  }
  return ids.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

async function exists(key: string): Promise<boolean> {
  try {
    await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    return true;
  } catch (error) {
    if ((error as Error).name === 'NoSuchKey') return false;
    throw error;
  }
}

describe('target s3 failures and large objects', () => {
  test('an object larger than a part is uploaded in parts and reads back byte for byte', async () => {
    const proxy = await startFaultyProxy(s3.endpoint, () => false);
    const config = parseConfig(pipelineConfig({ endpoint: proxy.endpoint, part_size_mb: 5 }), 'test', { registry: registry(), transformType: 'default' });
    const store = createObjectStore(config.target.s3 as unknown as S3TargetConfig);
    try {
      const body = randomBytes(11 * 1024 * 1024 + 123);
      await store.put('multipart/big.bin', body, 'application/octet-stream');
      const parts = proxy.seen.filter((line) => line.startsWith('PUT ') && line.includes('partNumber='));
      expect(parts).toHaveLength(3);
      expect(proxy.seen.some((line) => line.startsWith('POST ') && line.includes('uploads'))).toBe(true);
      const answer = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'multipart/big.bin' }));
      expect(Buffer.from(await answer.Body!.transformToByteArray()).equals(body)).toBe(true);
    } finally {
      store.close();
      await proxy.stop();
    }
  });

  test('a load larger than a part becomes one multipart object that reads back row for row', async () => {
    const big = join(folder, 'big.csv');
    const texts = Array.from({ length: 5000 }, () => randomBytes(900).toString('base64'));
    await writeFile(big, `id,text\n${texts.map((t, i) => `${i + 1},${t}`).join('\n')}\n`);
    const proxy = await startFaultyProxy(s3.endpoint, () => false);
    try {
      const summary = await run({ endpoint: proxy.endpoint, table: 'large', compression: 'none', batch_size: 5000, part_size_mb: 5 }, 'FULL_TABLE', big);
      expect(summary).toMatchObject({ status: 'completed', rowsLoaded: 5000 });
      const parts = proxy.seen.filter((line) => line.startsWith('PUT ') && line.includes('part-') && line.includes('partNumber='));
      expect(parts).toHaveLength(2);
    } finally {
      await proxy.stop();
    }
    const [key] = (await keysUnder('large/')).filter((k) => k.endsWith('.parquet'));
    const bytes = await bytesOf(key);
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    const rows = (await parquetReadObjects({ file, compressors, columns: ['id', 'text'] })) as { id: bigint; text: string }[];
    expect(rows.map((r) => r.text)).toEqual(texts);
    expect(rows.map((r) => r.id)).toEqual(texts.map((_, i) => BigInt(i + 1)));
  });

  test('an upload that keeps failing fails the run and writes no manifest', async () => {
    const proxy = await startFaultyProxy(s3.endpoint, (method, path) => method === 'PUT' && /part-\d+-000002\.parquet/.test(path));
    try {
      const summary = await run({ endpoint: proxy.endpoint, table: 'broken', max_attempts: 2 });
      expect(summary.status).toBe('failed');
      expect(summary.error?.message).toMatch(/cannot upload s3:\/\/fastlane-s3-failures\/broken\/_table_version=\d+\/part-\d+-000002\.parquet: InternalError/);
      expect(proxy.refused).toHaveLength(2);
      expect(await exists('broken/_fastlane_manifest.json')).toBe(false);
      // The unfinished version is deleted, whatever loads of it had been uploaded.
      expect(await keysUnder('broken/')).toEqual([]);
    } finally {
      await proxy.stop();
    }
  });

  test('a failed INCREMENTAL run keeps what it loaded up to its offset, and the next run loads each row once', async () => {
    const proxy = await startFaultyProxy(s3.endpoint, (method, path) => method === 'PUT' && /part-\d+-000002\.parquet/.test(path));
    try {
      const failed = await run({ endpoint: proxy.endpoint, table: 'resume', max_attempts: 1 }, 'INCREMENTAL');
      expect(failed.status).toBe('failed');
    } finally {
      await proxy.stop();
    }
    const manifest = JSON.parse(Buffer.from(await bytesOf('resume/_fastlane_manifest.json')).toString('utf8')) as { offset: unknown };
    expect(manifest.offset).toEqual({ $bigint: '2' });
    expect(await idsUnder('resume/')).toEqual([1n, 2n]);

    const resumed = await run({ table: 'resume' }, 'INCREMENTAL');
    expect(resumed).toMatchObject({ status: 'completed', startOffset: '2', endOffset: '6', rowsLoaded: 4 });
    expect(await idsUnder('resume/')).toEqual([1n, 2n, 3n, 4n, 5n, 6n]);
  });

  test('objects an unfinished run left beyond the manifest offset are removed by the next run, so no row counts twice', async () => {
    // Refusing the manifest and every delete leaves what a kill -9 leaves: objects, no offset, no cleanup.
    const refuse = (method: string, path: string) => (method === 'PUT' && path.includes('_fastlane_manifest.json')) || (method === 'POST' && path.includes('delete'));
    const proxy = await startFaultyProxy(s3.endpoint, refuse);
    try {
      const failed = await run({ endpoint: proxy.endpoint, table: 'leftover', max_attempts: 1 }, 'INCREMENTAL');
      expect(failed.status).toBe('failed');
    } finally {
      await proxy.stop();
    }
    expect(await exists('leftover/_fastlane_manifest.json')).toBe(false);
    const left = (await keysUnder('leftover/')).filter((k) => k.endsWith('.parquet'));
    expect(left.length).toBeGreaterThan(0);

    const resumed = await run({ table: 'leftover' }, 'INCREMENTAL');
    expect(resumed).toMatchObject({ status: 'completed', rowsLoaded: 6, endOffset: '6' });
    expect(await idsUnder('leftover/')).toEqual([1n, 2n, 3n, 4n, 5n, 6n]);
    expect((await keysUnder('leftover/')).filter((k) => left.includes(k))).toEqual([]);
  });

  test('a FULL_TABLE run removes versions an earlier run left uncommitted, and keeps the versions that were current', async () => {
    const first = await run({ table: 'versions' });
    expect(first.status).toBe('completed');
    const committed = (await keysUnder('versions/_table_version=')).map((k) => k.split('/')[1]);
    expect(new Set(committed).size).toBe(1);
    const current = BigInt(committed[0].split('=')[1]);
    // What a run stopped at once leaves: objects of a newer version that no manifest names.
    const orphan = `versions/_table_version=${current + 1000n}/part-1-000001.parquet`;
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: orphan, Body: 'not a table' }));

    const second = await run({ table: 'versions' });
    expect(second.status).toBe('completed');
    const keys = await keysUnder('versions/');
    expect(keys).not.toContain(orphan);
    // The first run's version was current once: it stays until the user removes it.
    expect(keys.some((k) => k.startsWith(`versions/${committed[0]}/`))).toBe(true);
    const versions = new Set(keys.filter((k) => k.endsWith('.parquet')).map((k) => k.split('/')[1]));
    expect(versions.size).toBe(2);
  });

  test('through the CLI, an upload refused mid-run exits 1 with the cause and presents no manifest', async () => {
    const proxy = await startFaultyProxy(s3.endpoint, (method, path) => method === 'PUT' && /part-\d+-000002\.parquet/.test(path), { status: 403, code: 'AccessDenied' });
    try {
      const file = join(folder, 'refused.json');
      await writeFile(file, JSON.stringify({ ...pipelineConfig({ endpoint: proxy.endpoint, table: 'refused', max_attempts: 1 }), replication_mode: 'FULL_TABLE' }));
      const output: string[] = [];
      const io = { stdout: (t: string) => output.push(t), stderr: (t: string) => output.push(t), env: {} };
      const code = await main(['run', `--config=${file}`, '--progress=off', `--state-dir=${folder}`, `--logs_to_file=${join(folder, 'refused.jsonl')}`], io);
      expect(code).toBe(1);
      output.push(await readFile(join(folder, 'refused.jsonl'), 'utf8'));
      expect(output.join('')).toMatch(/cannot upload s3:\/\/fastlane-s3-failures\/refused\/_table_version=\d+\/part-\d+-000002\.parquet/);
      expect(output.join('')).toMatch(/AccessDenied|credentials were refused/);
      expect(await exists('refused/_fastlane_manifest.json')).toBe(false);
      expect(await keysUnder('refused/')).toEqual([]);
    } finally {
      await proxy.stop();
    }
  });

  test('a bucket that does not exist is a clear error before anything is read', async () => {
    const summary = await run({ bucket: 'no-such-bucket' });
    expect(summary).toMatchObject({ status: 'failed', rowsExtracted: 0 });
    expect(summary.error?.message).toMatch(/bucket 'no-such-bucket' does not exist; check target.s3.bucket/);
  });

  test('refused credentials are a clear error', async () => {
    const summary = await run({ access_key_id: 'WRONG', secret_access_key: 'WRONG' });
    expect(summary.status).toBe('failed');
    expect(summary.error).toMatchObject({ code: 'FL_CONNECT' });
    expect(summary.error?.message).toMatch(/the credentials were refused/);
  });

  test('an unreachable endpoint is a clear error, and the CLI exits 1', async () => {
    const summary = await run({ endpoint: 'http://127.0.0.1:9', max_attempts: 1 });
    expect(summary.error).toMatchObject({ code: 'FL_CONNECT' });
    expect(summary.error?.message).toMatch(/the endpoint is unreachable/);

    const file = join(folder, 'unreachable.json');
    await writeFile(file, JSON.stringify(pipelineConfig({ endpoint: 'http://127.0.0.1:9', max_attempts: 1 })));
    const output: string[] = [];
    const io = { stdout: (t: string) => output.push(t), stderr: (t: string) => output.push(t), env: {} };
    const code = await main(['run', `--config=${file}`, '--progress=off', `--state-dir=${folder}`, `--logs_to_file=${join(folder, 'log.jsonl')}`], io);
    expect(code).toBe(1);
  });
});
