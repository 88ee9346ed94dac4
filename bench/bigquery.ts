/**
 * BigQuery benchmark. Decode: CPU seconds per 1M rows from the REST API's page bytes
 * (tabledata.list JSON, 12 columns of every common type) to Arrow batches, beside plain
 * JSON.parse of the same bytes (the client library's own decoding). Then BigQuery -> Parquet
 * through the REST test server (in this process) with the built CLI: rows/s, CPU, peak RSS.
 *
 *   npx tsx bench/bigquery.ts [--rows=1000000] [--runs=5] [--only=decode|parquet]
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { measure, median, type Measurement } from './measure.js';
import { planColumns } from '../src/connectors/bigquery/decode/column-plan.js';
import { PageDecoder } from '../src/connectors/bigquery/decode/page-decoder.js';
import type { RawField, RawRow } from '../src/connectors/bigquery/rest.js';
import { startBigQueryServer } from '../test/servers/bigquery.js';
import { CLIENT_EMAIL, testKey, writeKeyFile } from '../test/support/bigquery-fixtures.js';

const ROOT = resolve(import.meta.dirname, '..');
const option = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const ROWS = Number(option('rows') ?? 1_000_000);
const RUNS = Number(option('runs') ?? 5);
const ONLY = option('only');
const PAGE_ROWS = 10_000;

const SCHEMA: RawField[] = [
  { name: 'id', type: 'INTEGER' }, { name: 'account', type: 'INTEGER' }, { name: 'amount', type: 'NUMERIC' }, { name: 'price', type: 'FLOAT' },
  { name: 'flag', type: 'BOOLEAN' }, { name: 'name', type: 'STRING' }, { name: 'payload', type: 'BYTES' }, { name: 'day', type: 'DATE' },
  { name: 'local', type: 'DATETIME' }, { name: 'at', type: 'TIMESTAMP' }, { name: 'doc', type: 'JSON' }, { name: 'note', type: 'STRING' },
];

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Row i as the API sends it: every value a string (or null), TIMESTAMP as int64 microseconds. */
function apiRow(i: number): unknown[] {
  const day = 1 + (i % 28);
  const micros = 1_600_000_000_000_000 + i * 1_000_003;
  return [
    String(i), String(9_007_199_254_740_993 + i * 7919), `${Math.floor(i / 7)}.${pad(i % 100)}`, String((i * 0.37) % 1000),
    i % 3 === 0 ? 'true' : 'false', `customer ${i} ü 😀`, Buffer.from([i & 255, 0, (i >> 8) & 255]).toString('base64'),
    `2024-${pad(1 + (i % 12))}-${pad(day)}`, `2024-${pad(1 + (i % 12))}-${pad(day)}T${pad(i % 24)}:${pad(i % 60)}:${pad((i * 7) % 60)}.${pad(i % 1_000_000, 6)}`,
    String(micros), `{"n":${i},"tags":["a","b"],"big":18446744073709551615}`, i % 5 === 0 ? null : `note ${i}`,
  ];
}

/** One tabledata.list page as the bytes the client receives. */
function pageBytes(start: number, count: number): Buffer {
  const rows = Array.from({ length: count }, (_, k) => ({ f: apiRow(start + k).map((v) => ({ v })) }));
  return Buffer.from(JSON.stringify({ kind: 'bigquery#tableDataList', totalRows: String(ROWS), pageToken: String(start + count), rows }));
}

const cpuSeconds = (since: NodeJS.CpuUsage) => { const u = process.cpuUsage(since); return (u.user + u.system) / 1e6; };

/** CPU seconds of JSON.parse alone and of JSON.parse + decoding into Arrow, over every page. */
function decodeRun(): { parse: number; decode: number; bytes: number } {
  const decoder = new PageDecoder(planColumns(SCHEMA), 'bench');
  let parse = 0;
  let decode = 0;
  let bytes = 0;
  for (let start = 0; start < ROWS; start += PAGE_ROWS) {
    const page = pageBytes(start, Math.min(PAGE_ROWS, ROWS - start));
    bytes += page.length;
    let t = process.cpuUsage();
    JSON.parse(page.toString('utf8'));
    parse += cpuSeconds(t);
    t = process.cpuUsage();
    const body = JSON.parse(page.toString('utf8')) as { rows: RawRow[] };
    const table = decoder.decode(body.rows, start);
    decode += cpuSeconds(t);
    if (table.numRows !== body.rows.length) throw new Error('lost rows');
  }
  return { parse, decode, bytes };
}

async function parquetRun(dir: string, config: string): Promise<Measurement> {
  await rm(join(dir, 'out'), { recursive: true, force: true });
  return measure(join(ROOT, 'bin', 'fastlane.js'), ['run', `--config=${config}`, '--progress=off', `--state-dir=${dir}`], {
    HTTP_PROXY: 'http://127.0.0.1:9', HTTPS_PROXY: 'http://127.0.0.1:9', NO_PROXY: '127.0.0.1,localhost',
  });
}

const perMillion = (seconds: number) => (seconds / (ROWS / 1e6)).toFixed(2);
const lines: string[] = [];

if (ONLY !== 'parquet') {
  const runs = Array.from({ length: RUNS }, () => decodeRun());
  const parse = median(runs.map((r) => r.parse));
  const decode = median(runs.map((r) => r.decode));
  lines.push(
    `### REST page bytes -> Arrow, ${ROWS.toLocaleString('en-US')} rows x 12 columns (${Math.round(runs[0].bytes / 1e6)} MB of JSON in pages of ${PAGE_ROWS.toLocaleString('en-US')}), median of ${RUNS} runs`,
    '',
    '| decoding | CPU s per 1M rows | vs JSON.parse |',
    '|---|---:|---:|',
    `| JSON.parse of the pages (the client library's own) | ${perMillion(parse)} | 1.00 |`,
    `| JSON.parse + Fastlane's page decoder into Arrow | ${perMillion(decode)} | ${(decode / parse).toFixed(2)} |`,
    '',
    `Peak RSS of the decode benchmark: ${Math.round(process.resourceUsage().maxRSS / 1024)} MB.`,
    '',
  );
}

if (ONLY !== 'decode') {
  const key = testKey();
  const server = await startBigQueryServer({
    clientEmail: CLIENT_EMAIL, publicKey: key.publicKey,
    tables: { 'bench.ds.events': { schema: SCHEMA, rows: [], generated: { count: ROWS, row: apiRow } } },
  });
  const dir = await mkdtemp(join(tmpdir(), 'fastlane-bq-bench-'));
  try {
    const keyFile = await writeKeyFile(dir, key, server.tokenUri);
    const config = join(dir, 'config.json');
    await writeFile(config, JSON.stringify({
      source: { bigquery: { gcp_project: 'bench', dataset_id: 'ds', table_id: 'events', credentials_file: keyFile, endpoint: server.url, batch_size: PAGE_ROWS, concurrency: 2 } },
      transform: { add_op_fields: false },
      replication_mode: 'FULL_TABLE',
      target: { file: { path: join(dir, 'out'), format: 'parquet', compression: 'zstd', batch_size: 100_000, concurrency: 2 } },
      max_buffered_batches: 4,
    }));
    const runs: Measurement[] = [];
    for (let i = 0; i < RUNS; i++) {
      const m = await parquetRun(dir, config);
      console.error(`bigquery -> parquet: ${m.seconds.toFixed(2)} s`);
      runs.push(m);
    }
    const seconds = median(runs.map((r) => r.seconds));
    lines.push(
      `### BigQuery (REST test server, in the benchmark's process) -> Parquet (zstd), ${ROWS.toLocaleString('en-US')} rows, median of ${RUNS} runs`,
      '',
      '| run | rows/s | CPU s per 1M rows (fastlane) | peak RSS MB (fastlane) |',
      '|---|---:|---:|---:|',
      `| fastlane bigquery -> file (parquet), pages of ${PAGE_ROWS.toLocaleString('en-US')}, 2 at once | ${Math.round(ROWS / seconds).toLocaleString('en-US')} | ${perMillion(median(runs.map((r) => r.cpuSeconds)))} | ${Math.round(median(runs.map((r) => r.peakRssMb)))} |`,
      '',
    );
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

console.log(lines.join('\n'));
