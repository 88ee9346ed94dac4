/**
 * MySQL benchmark: fastlane MySQL -> Parquet and MySQL -> MySQL beside the tools a user would
 * otherwise reach for, on one generated table, in one session.
 *
 *   tsx bench/mysql/run.ts [--rows=1000000] [--runs=N (median)] [--only=<part of a run's name>] [--fastlane=bin/fastlane.js] [--keep]
 *
 * Reports rows/s, MB/s (of InnoDB data), CPU seconds per 1M rows of the client and of the server
 * (mariadbd, from /proc), and peak RSS of the client. Prints Markdown.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { measure, type Measurement } from '../measure.js';
import { countRows, createBenchTable, sql, tableMegabytes } from './dataset.js';
import { S3RVER_CREDENTIALS, startS3rver } from '../../test/support/s3rver.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const option = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const ROWS = Number(option('rows') ?? 1_000_000);
const FASTLANE = resolve(ROOT, option('fastlane') ?? join('bin', 'fastlane.js'));
const DB = `fl_bench_${process.pid}`;
const COPY_DB = `${DB}_copy`;
const WORK = mkdtempSync(join(tmpdir(), 'fastlane-mysql-bench-'));

interface Result extends Measurement {
  readonly name: string;
  readonly serverCpuSeconds: number;
}

/** CPU seconds mariadbd has used so far (utime + stime from /proc, in clock ticks of 1/100 s). */
function serverCpu(): number {
  const pid = execFileSync('pidof', ['mariadbd'], { encoding: 'utf8' }).trim().split(' ')[0];
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const RUNS = Number(option('runs') ?? 1);

/** Runs a command RUNS times (prepare before each) and keeps the run of median wall time. */
async function timed(name: string, command: string, args: string[], prepare?: () => void): Promise<Result> {
  const results: Result[] = [];
  for (let i = 0; i < RUNS; i++) {
    prepare?.();
    const before = serverCpu();
    const m = await measure(command, args);
    results.push({ name, ...m, serverCpuSeconds: serverCpu() - before });
    console.error(`${name}: ${m.seconds.toFixed(2)} s`);
  }
  return results.sort((a, b) => a.seconds - b.seconds)[Math.floor((RUNS - 1) / 2)];
}

function resetCopy(): void {
  sql(`DROP DATABASE IF EXISTS ${COPY_DB}; CREATE DATABASE ${COPY_DB} CHARACTER SET utf8mb4`);
}

function fastlaneConfig(name: string, target: Record<string, unknown>, table: string): string {
  const file = join(WORK, `${name}.json`);
  writeFileSync(file, JSON.stringify({
    source: { mysql: { host: '127.0.0.1', username: 'root', password: '', db: DB, table, key: 'id', batch_size: 50_000 } },
    transform: { add_op_fields: false },
    target,
    replication_mode: 'FULL_TABLE',
  }));
  return file;
}

function fastlane(name: string, target: Record<string, unknown>, table = 'bench_src'): Promise<Result> {
  const config = fastlaneConfig(name.replace(/\W+/g, '-'), target, table);
  // bin/fastlane.js runs as an executable, so its shebang's malloc setting applies as for users.
  return timed(name, FASTLANE, ['run', `--config=${config}`, '--progress=off', `--state-dir=${WORK}`], () => {
    resetCopy();
    rmSync(join(WORK, 'parquet'), { recursive: true, force: true });
  });
}

const mysqlTarget = (concurrency: number) => ({ mysql: { host: '127.0.0.1', username: 'root', password: '', db: COPY_DB, table: 'bench_copy', key: 'id', batch_size: 50_000, concurrency } });

let fixedCost: Result | null = null;

/** MySQL -> S3 on s3rver (in this process, on the same 2 cores): beside MySQL -> Parquet file, what the upload costs. */
async function fastlaneToS3(): Promise<Result> {
  const s3 = await startS3rver(['bench']);
  try {
    return await fastlane('fastlane MySQL -> S3 (s3rver, zstd, 2 threads, loads of 50k)', {
      s3: { bucket: 'bench', table: 'bench_copy', endpoint: s3.endpoint, force_path_style: true, access_key_id: S3RVER_CREDENTIALS.access_key_id, secret_access_key: S3RVER_CREDENTIALS.secret_access_key, concurrency: 2, batch_size: 50_000 },
    });
  } finally {
    await s3.stop();
  }
}

const parquetTarget = (threads: number, loadRows: number, compression: string) => ({ file: { path: join(WORK, 'parquet'), format: 'parquet', compression, concurrency: threads, batch_size: loadRows } });

/** Every run, by name; `--only=<text>` keeps the limit and the runs whose name holds the text. */
function plannedRuns(select: string): [string, () => Promise<Result>][] {
  return [
    ['limit: mariadb --quick --batch > /dev/null', () => timed('limit: mariadb --quick --batch > /dev/null', 'bash', ['-c', `mariadb -uroot -h127.0.0.1 --quick --batch -e '${select}' > /dev/null`])],
    ['mariadb-dump --quick | mariadb', () => timed('mariadb-dump --quick | mariadb', 'bash', ['-c', `mariadb-dump -uroot -h127.0.0.1 --quick ${DB} bench_src | mariadb -uroot -h127.0.0.1 ${COPY_DB}`], resetCopy)],
    ['server-side INSERT ... SELECT', () => timed('server-side INSERT ... SELECT', 'mariadb', ['-uroot', '-h127.0.0.1', '-e', `CREATE TABLE ${COPY_DB}.bench_copy LIKE ${DB}.bench_src; INSERT INTO ${COPY_DB}.bench_copy ${select}`], resetCopy)],
    ['naive mysql2 stream -> JSON lines', () => timed('naive mysql2 stream -> JSON lines', 'bash', ['-c', `${process.execPath} --import tsx ${join(ROOT, 'bench', 'mysql', 'naive-stream.ts')} ${DB} bench_src > /dev/null`])],
    ['fastlane MySQL -> Parquet (zstd, 1 thread, loads of 50k)', () => fastlane('fastlane MySQL -> Parquet (zstd, 1 thread, loads of 50k)', parquetTarget(1, 50_000, 'zstd'))],
    ['fastlane MySQL -> Parquet (zstd, 2 threads, loads of 50k)', () => fastlane('fastlane MySQL -> Parquet (zstd, 2 threads, loads of 50k)', parquetTarget(2, 50_000, 'zstd'))],
    ['fastlane MySQL -> Parquet (zstd, 2 threads, loads of 100k)', () => fastlane('fastlane MySQL -> Parquet (zstd, 2 threads, loads of 100k)', parquetTarget(2, 100_000, 'zstd'))],
    ['fastlane MySQL -> Parquet (snappy, 2 threads, loads of 50k)', () => fastlane('fastlane MySQL -> Parquet (snappy, 2 threads, loads of 50k)', parquetTarget(2, 50_000, 'snappy'))],
    ['fastlane MySQL -> S3', fastlaneToS3],
    ['fastlane MySQL -> MySQL (1 thread)', async () => {
      const result = await fastlane('fastlane MySQL -> MySQL (1 thread)', mysqlTarget(1));
      const copied = countRows(COPY_DB, 'bench_copy');
      if (copied !== ROWS) throw new Error(`MySQL -> MySQL copied ${copied} of ${ROWS} rows`);
      return result;
    }],
    ['fastlane MySQL -> MySQL (2 threads)', () => fastlane('fastlane MySQL -> MySQL (2 threads)', mysqlTarget(2))],
  ];
}

async function runAll(): Promise<Result[]> {
  const only = option('only');
  const runs = plannedRuns(`SELECT * FROM ${DB}.bench_src`).filter(([name], i) => i === 0 || only === undefined || name.includes(only));
  const results: Result[] = [];
  for (const [, run] of runs) results.push(await run());
  if (only !== undefined) return results;
  // What a run costs whatever its size (process, worker threads, connections): a one-row table.
  sql('CREATE TABLE bench_one LIKE bench_src; INSERT INTO bench_one SELECT * FROM bench_src LIMIT 1', DB);
  fixedCost = await fastlane('fastlane MySQL -> MySQL, one row (fixed cost)', mysqlTarget(2), 'bench_one');
  return results;
}

function report(results: Result[], megabytes: number): string {
  const limit = results[0];
  const perMillion = 1_000_000 / ROWS;
  const lines = [
    `${ROWS.toLocaleString('en')} rows, ${megabytes.toFixed(0)} MB of InnoDB data; \`tsx bench/mysql/run.ts ${process.argv.slice(2).join(' ')}\``,
    '',
    '| run | rows/s | MB/s | x limit | client CPU s / 1M rows | server CPU s / 1M rows | peak RSS MB |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of results) {
    const rate = ROWS / r.seconds;
    lines.push(`| ${r.name.replace(/\|/g, '\\|')} | ${Math.round(rate).toLocaleString('en')} | ${(megabytes / r.seconds).toFixed(1)} | ${(limit.seconds / r.seconds).toFixed(2)} | ${(r.cpuSeconds * perMillion).toFixed(2)} | ${(r.serverCpuSeconds * perMillion).toFixed(2)} | ${Math.round(r.peakRssMb)} |`);
  }
  const dump = results.find((r) => r.name.startsWith('mariadb-dump'));
  const best = results.filter((r) => r.name.startsWith('fastlane MySQL -> MySQL')).sort((a, b) => a.seconds - b.seconds)[0];
  if (dump && best) lines.push('', `fastlane MySQL -> MySQL vs mariadb-dump | mariadb: ${(dump.seconds / best.seconds).toFixed(2)}x`);
  const parquet = results.find((r) => r.name.startsWith('fastlane MySQL -> Parquet (zstd, 2 threads, loads of 50k'));
  const s3 = results.find((r) => r.name.startsWith('fastlane MySQL -> S3'));
  if (parquet && s3) lines.push('', `fastlane MySQL -> S3 vs MySQL -> Parquet file: ${(parquet.seconds / s3.seconds).toFixed(2)}x`);
  if (fixedCost) lines.push('', `fixed cost of one fastlane run (one-row table): ${fixedCost.seconds.toFixed(2)} s, ${fixedCost.cpuSeconds.toFixed(2)} CPU s, peak RSS ${Math.round(fixedCost.peakRssMb)} MB`);
  return lines.join('\n');
}

try {
  console.error(`generating ${ROWS} rows in ${DB}...`);
  createBenchTable(DB, ROWS);
  const results = await runAll();
  console.log(report(results, tableMegabytes(DB, 'bench_src')));
} finally {
  if (!process.argv.includes('--keep')) sql(`DROP DATABASE IF EXISTS ${DB}; DROP DATABASE IF EXISTS ${COPY_DB}`);
  rmSync(WORK, { recursive: true, force: true });
}
