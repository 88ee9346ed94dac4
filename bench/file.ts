/**
 * File -> Parquet benchmark: Fastlane (the built CLI) beside DuckDB's CSV -> Parquet on the same
 * generated 12-column file, medians of several runs; then peak RSS at 1M and 5M rows.
 *   npm run bench            (all benchmarks)     tsx bench/file.ts [--runs 3] [--rows 1000000]
 */
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { generateSample } from '../scripts/generate-sample.js';
import { measure, medianOf, type Measurement } from './measure.js';

const ROOT = resolve(import.meta.dirname, '..');
const WORK = join(ROOT, 'tmp', 'bench');
const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf('--runs') + 1] ?? 3) || 3;
const ROWS = Number(args[args.indexOf('--rows') + 1] ?? 1_000_000) || 1_000_000;

async function sample(rows: number): Promise<string> {
  const path = join(WORK, `orders-${rows}.csv`);
  if (!existsSync(path)) await generateSample({ rows, out: path, format: 'csv', seed: 42 });
  return path;
}

async function fastlaneRun(input: string): Promise<Measurement> {
  const out = join(WORK, 'out-fastlane');
  await rm(out, { recursive: true, force: true });
  const config = join(WORK, 'bench-file.json');
  await writeFile(config, JSON.stringify({
    source: { file: { path: input, format: 'csv', batch_size: 50000, columns: { id: 'int64', account_id: 'int64', amount: 'decimal(12,2)', created_at: 'timestamp', attributes: 'json' } } },
    transform: { add_op_fields: false, concurrency: 1 },
    target: { file: { path: out, format: 'parquet', compression: 'zstd', batch_size: 100000, concurrency: 2 } },
    replication_mode: 'FULL_TABLE',
    max_buffered_batches: 4,
  }));
  return measure(join(ROOT, 'bin', 'fastlane.js'), ['run', `--config=${config}`, '--progress=off']);
}

async function duckdbRun(input: string): Promise<Measurement> {
  const out = join(WORK, 'out-duckdb.parquet');
  await rm(out, { force: true });
  return measure(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'duckdb-csv-to-parquet.ts'), input, out]);
}

function row(name: string, m: Measurement, rows: number, reference?: Measurement): string {
  const rate = rows / m.seconds;
  const ratio = reference ? (rate / (rows / reference.seconds)).toFixed(2) : '1.00';
  return `| ${name} | ${Math.round(rate).toLocaleString('en-US')} | ${(m.cpuSeconds / (rows / 1e6)).toFixed(2)} | ${Math.round(m.peakRssMb)} | ${ratio} |`;
}

await mkdir(WORK, { recursive: true });
const input = await sample(ROWS);
const duck = await medianOf(RUNS, () => duckdbRun(input));
const fast = await medianOf(RUNS, () => fastlaneRun(input));
const big = await fastlaneRun(await sample(ROWS * 5));
const lines = [
  `### CSV -> Parquet (zstd), ${ROWS.toLocaleString('en-US')} rows x 12 columns, median of ${RUNS} runs`,
  '',
  '| run | rows/s | CPU s per 1M rows | peak RSS MB | rows/s vs DuckDB |',
  '|---|---:|---:|---:|---:|',
  row('DuckDB read_csv -> COPY parquet (peer)', duck, ROWS),
  row('fastlane file -> file (parquet)', fast, ROWS, duck),
  '',
  `Peak RSS at ${(ROWS * 5).toLocaleString('en-US')} rows: ${Math.round(big.peakRssMb)} MB, ` +
    `${((big.peakRssMb / fast.peakRssMb - 1) * 100).toFixed(1)}% over ${ROWS.toLocaleString('en-US')} rows (limit: 15%).`,
];
console.log(lines.join('\n'));
await writeFile(join(WORK, 'file-bench.md'), `${lines.join('\n')}\n`);
