import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtemp, rm, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { DuckDBInstance } from '@duckdb/node-api';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
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
import type { RunSummary } from '../../src/pipeline/stats.js';
import { S3RVER_CREDENTIALS, startS3rver, type LocalS3 } from '../support/s3rver.js';

const BUCKET = 'fastlane-s3-target';
const COLUMNS = {
  id: 'int64', amount: 'decimal(38,10)', big: 'uint64', created: 'timestamp', day: 'date',
  name: 'utf8', blob: 'binary', doc: 'json', flag: 'bool', ratio: 'float64',
};
const HEADER = Object.keys(COLUMNS).join(',');
/** Every kind of value a load must keep exactly; row 3 is NULL in every column but the key. */
const ROWS = [
  '1,12345678901234567890123456.1234567890,18446744073709551615,2024-02-29T23:59:59.999999Z,2024-02-29,"Zoë 🚀 李雷",AAEAAgD/,"{""a"":18446744073709551615,""b"":[1,2]}",true,0.1',
  '2,-0.0000000001,0,1969-12-31T23:59:59.000001Z,1969-12-31,"𝄞 ""music"", too",AA==,{},false,-1.5e300',
  '3,,,,,,,,,',
  '4,9999999999999999999999999999.9999999999,9007199254740993,2000-01-01T00:00:00.000000Z,2000-01-01,"",AAAAAA==,[],true,5e-324',
  '5,0.5000000000,1,2024-03-01T00:00:00.000001Z,2024-03-01,plain,/w==,"{""k"":""𝄞""}",false,1e21',
];
const MORE_ROWS = [
  '6,-123.4500000000,18446744073709551614,2030-12-31T23:59:59.123456Z,2030-12-31,"new 😀",AAE=,"[null]",true,2.5',
  '7,1.0000000000,42,2031-01-01T00:00:00.5Z,2031-01-01,last,,"{""x"":1.50}",false,-0.0',
];

/** What the source text of a row means, column by column: the oracle every read-back is held to. */
function expected(line: string): Record<string, unknown> {
  const fields = parseCsvLine(line);
  const [id, amount, big, created, day, name, blob, doc, flag, ratio] = fields;
  return {
    id: BigInt(id!),
    amount: amount,
    big: big === null ? null : BigInt(big),
    created: created === null ? null : isoToMicros(created),
    day: day,
    name,
    blob: blob === null ? null : Buffer.from(blob, 'base64').toString('hex'),
    doc,
    flag: flag === null ? null : flag === 'true',
    ratio: ratio === null ? null : Number(ratio),
  };
}

function parseCsvLine(line: string): (string | null)[] {
  const out: (string | null)[] = [];
  const re = /("((?:[^"]|"")*)"|[^,]*)(,|$)/gy;
  for (let m = re.exec(line); m !== null && m.index < line.length + 1; m = re.exec(line)) {
    out.push(m[2] !== undefined ? m[2].replace(/""/g, '"') : m[1] === '' ? null : m[1]);
    if (m[3] === '') break;
  }
  return out;
}

function isoToMicros(text: string): bigint {
  const m = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?Z$/.exec(text)!;
  return BigInt(Date.parse(`${m[1]}Z`)) * 1000n + BigInt((m[2] ?? '').padEnd(6, '0'));
}

let s3: LocalS3;
let client: S3Client;
let folder: string;
let csv: string;
let runCounter = 0;

/** Only the connectors these runs use, so their schemas alone are compiled. */
function registry(): Registry {
  return new Registry().register('source', fileSource).register('transform', defaultTransform).register('target', s3Target);
}

beforeAll(async () => {
  s3 = await startS3rver([BUCKET]);
  client = s3.client();
  folder = await mkdtemp(join(tmpdir(), 'fastlane-s3-'));
  csv = join(folder, 'rows.csv');
  await writeFile(csv, `${HEADER}\n${ROWS.join('\n')}\n`);
});

afterAll(async () => {
  client.destroy();
  await s3.stop();
  await rm(folder, { recursive: true, force: true });
});

async function run(table: string, mode: 'FULL_TABLE' | 'INCREMENTAL', target: Record<string, unknown> = {}): Promise<{ summary: RunSummary; runId: string }> {
  const config = parseConfig({
    source: { file: { path: csv, columns: COLUMNS, key: 'id', batch_size: 2 } },
    transform: { add_op_fields: false },
    target: {
      athena: {
        bucket: BUCKET, table, prefix: 'lake/raw', endpoint: s3.endpoint, force_path_style: true,
        ...S3RVER_CREDENTIALS, batch_size: 2, concurrency: 2, ...target,
      },
    },
    replication_mode: mode,
  }, 'test', { registry: registry(), transformType: 'default' });
  const plan = planPipeline(config, registry(), { transform: 'default' });
  const runId = String(Date.now() + ++runCounter * 1000);
  const summary = await runPipeline({ plan, logger: silentLogger(), stop: new StopRequest(null), runId });
  return { summary, runId };
}

async function listKeys(prefix: string): Promise<string[]> {
  const answer = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
  return (answer.Contents ?? []).map((o) => o.Key!).sort();
}

async function getBytes(key: string): Promise<Uint8Array> {
  const answer = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return answer.Body!.transformToByteArray();
}

async function manifest(table: string): Promise<Record<string, unknown>> {
  return JSON.parse(Buffer.from(await getBytes(`lake/raw/${table}/_fastlane_manifest.json`)).toString('utf8')) as Record<string, unknown>;
}

/** Rows of Parquet objects read by hyparquet (microseconds kept as bigint), keyed by id. */
async function readWithHyparquet(keys: string[]): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for (const key of keys) {
    const bytes = await getBytes(key);
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    rows.push(...(await parquetReadObjects({
      file,
      compressors,
      utf8: false,
      parsers: { timestampFromMicroseconds: (micros: bigint) => micros, dateFromDays: (days: number) => new Date(days * 86_400_000).toISOString().slice(0, 10) },
    })) as Record<string, unknown>[]);
  }
  return rows.sort((a, b) => Number(a.id as bigint) - Number(b.id as bigint));
}

/** The decimal column as DuckDB prints it: exact, with every digit of its scale. */
async function decimalsWithDuckDb(keys: string[]): Promise<Map<string, string | null>> {
  const files: string[] = [];
  for (const [i, key] of keys.entries()) {
    const file = join(folder, `read-${runCounter}-${i}.parquet`);
    await writeFile(file, await getBytes(key));
    files.push(file);
  }
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const list = files.map((f) => `'${f}'`).join(', ');
    const reader = await connection.runAndReadAll(`SELECT CAST(id AS VARCHAR) AS id, CAST(amount AS VARCHAR) AS amount, typeof(amount) AS type FROM read_parquet([${list}])`);
    const rows = reader.getRowObjectsJson() as { id: string; amount: string | null; type: string }[];
    expect(new Set(rows.map((r) => r.type))).toEqual(new Set(['DECIMAL(38,10)']));
    return new Map(rows.map((r) => [r.id, r.amount]));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

function comparable(row: Record<string, unknown>): Record<string, unknown> {
  const blob = row.blob as Uint8Array | null;
  return { ...row, blob: blob === null ? null : Buffer.from(blob).toString('hex'), amount: undefined };
}

describe('target s3 (alias athena) against s3rver', () => {
  test('FULL_TABLE writes a version of Parquet objects, one per load, and a manifest naming it', async () => {
    const { summary, runId } = await run('full', 'FULL_TABLE');
    expect(summary.error).toBeUndefined();
    expect(summary).toMatchObject({ status: 'completed', rowsLoaded: ROWS.length });

    const version = `lake/raw/full/_table_version=${runId}/`;
    const keys = await listKeys(version);
    expect(keys).toEqual(['000001', '000002', '000003'].map((s) => `${version}part-${runId}-${s}.parquet`));
    expect(await manifest('full')).toMatchObject({
      format: 'fastlane.s3.manifest/1', table: 'full', run_id: runId, replication_mode: 'FULL_TABLE',
      current_version: runId, data_prefix: version, offset: { $bigint: '5' },
    });

    const rows = await readWithHyparquet(keys);
    expect(rows.map(comparable)).toEqual(ROWS.map((line) => ({ ...expected(line), amount: undefined, _table_version: BigInt(runId) })));
    const decimals = await decimalsWithDuckDb(keys);
    for (const line of ROWS) expect(decimals.get(String(expected(line).id))).toBe(expected(line).amount);
  });

  test('objects keep Arrow types in Parquet (microsecond UTC timestamps, decimal(38,10), unsigned 64-bit, zstd) under load-date partitions', async () => {
    const { runId } = await run('types', 'FULL_TABLE', { partition_by: 'load_date' });
    const day = new Date(Number(runId)).toISOString().slice(0, 10);
    const folder = `lake/raw/types/_table_version=${runId}/year=${day.slice(0, 4)}/month=${day.slice(5, 7)}/day=${day.slice(8, 10)}/`;
    const keys = await listKeys(`lake/raw/types/_table_version=${runId}/`);
    expect(keys).toEqual(['000001', '000002', '000003'].map((s) => `${folder}part-${runId}-${s}.parquet`));
    const key = keys[0];
    const bytes = await getBytes(key);
    const metadata = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    const byName = new Map(metadata.schema.map((element) => [element.name, element]));
    expect(byName.get('created')?.logical_type).toMatchObject({ type: 'TIMESTAMP', unit: 'MICROS', isAdjustedToUTC: true });
    expect(byName.get('amount')?.logical_type).toMatchObject({ type: 'DECIMAL', precision: 38, scale: 10 });
    expect(byName.get('big')?.logical_type).toMatchObject({ type: 'INTEGER', bitWidth: 64, isSigned: false });
    expect(new Set(metadata.row_groups[0].columns.map((c) => c.meta_data?.codec))).toEqual(new Set(['ZSTD']));
  });

  test('a second FULL_TABLE run writes a new version and moves the manifest to it', async () => {
    const first = await run('versions', 'FULL_TABLE', { compression: 'snappy' });
    const second = await run('versions', 'FULL_TABLE', { compression: 'snappy' });
    expect(second.summary.status).toBe('completed');
    const keys = await listKeys('lake/raw/versions/');
    expect(keys.filter((k) => k.includes(`_table_version=${first.runId}/`))).toHaveLength(3);
    expect(keys.filter((k) => k.includes(`_table_version=${second.runId}/`))).toHaveLength(3);
    expect(await manifest('versions')).toMatchObject({ current_version: second.runId, data_prefix: `lake/raw/versions/_table_version=${second.runId}/` });
    const rows = await readWithHyparquet(keys.filter((k) => k.includes(second.runId)));
    expect(rows.map((r) => r._table_version)).toEqual(ROWS.map(() => BigInt(second.runId)));
  });

  test('INCREMENTAL appends only rows after the manifest offset, under Hive date partitions of a column', async () => {
    const target = { partition_by: 'column', partition_column: 'created' };
    const first = await run('events', 'INCREMENTAL', target);
    expect(first.summary).toMatchObject({ status: 'completed', rowsLoaded: ROWS.length, endOffset: '5' });
    expect(await manifest('events')).toMatchObject({ offset: { $bigint: '5' }, current_version: null, data_prefix: 'lake/raw/events/' });

    await appendFile(csv, `${MORE_ROWS.join('\n')}\n`);
    try {
      const second = await run('events', 'INCREMENTAL', target);
      expect(second.summary).toMatchObject({ status: 'completed', rowsLoaded: MORE_ROWS.length, startOffset: '5', endOffset: '7' });
      const keys = (await listKeys('lake/raw/events/')).filter((k) => k.endsWith('.parquet'));
      const partitions = keys.map((k) => k.slice('lake/raw/events/'.length, k.lastIndexOf('/')));
      expect(new Set(partitions)).toEqual(new Set([
        'year=2024/month=02/day=29', 'year=1969/month=12/day=31', 'year=2000/month=01/day=01', 'year=2024/month=03/day=01',
        'year=__HIVE_DEFAULT_PARTITION__/month=__HIVE_DEFAULT_PARTITION__/day=__HIVE_DEFAULT_PARTITION__',
        'year=2030/month=12/day=31', 'year=2031/month=01/day=01',
      ]));
      expect(keys.filter((k) => k.includes(second.runId))).toHaveLength(2);
      const rows = await readWithHyparquet(keys);
      expect(rows.map(comparable)).toEqual([...ROWS, ...MORE_ROWS].map((line) => ({ ...expected(line), amount: undefined })));
      expect(await manifest('events')).toMatchObject({ offset: { $bigint: '7' }, run_id: second.runId });
    } finally {
      await writeFile(csv, `${HEADER}\n${ROWS.join('\n')}\n`);
    }
  });
});
