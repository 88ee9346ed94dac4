/**
 * MongoDB benchmark.
 *
 *   tsx bench/mongodb.ts [--rows=1000000] [--runs=5] [--fastlane=bin/fastlane.js]
 *
 * 1. Decoding, the engine's own cost: CPU seconds per 1M documents from the raw BSON bytes the
 *    driver receives to Arrow batches, beside the driver's own decoding of the same bytes
 *    (`BSON.deserialize`), each in a process of its own (bench/mongodb/decode.ts).
 * 2. MongoDB -> Parquet file through the wire-protocol test server (in a process of its own, so
 *    only fastlane's CPU is counted): rows/s, CPU seconds per 1M rows and peak RSS of fastlane.
 * Medians of --runs runs. Prints Markdown.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { measure, median } from './measure.js';

const ROOT = resolve(import.meta.dirname, '..');
const option = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const ROWS = Number(option('rows') ?? 1_000_000);
const RUNS = Number(option('runs') ?? 5);
const FASTLANE = resolve(ROOT, option('fastlane') ?? join('bin', 'fastlane.js'));
const WORK = mkdtempSync(join(tmpdir(), 'fastlane-mongodb-bench-'));

async function decodeCpu(mode: 'arrow' | 'deserialize'): Promise<number> {
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const output = await new Promise<string>((done, fail) => {
      const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'mongodb', 'decode.ts'), mode, String(ROWS)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
      child.on('close', (code) => (code === 0 ? done(text) : fail(new Error(`decode ${mode} failed (${code})`))));
    });
    runs.push((JSON.parse(output) as { cpuSeconds: number }).cpuSeconds);
  }
  return median(runs) * (1_000_000 / ROWS);
}

/** Starts the test server with ROWS documents in a child process; resolves its port. */
function startServer(): Promise<{ port: number; stop: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'mongodb', 'server.ts'), String(ROWS)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((done, fail) => {
    child.stdout.once('data', (chunk: Buffer) => done({ port: Number(chunk.toString().trim()), stop: () => child.kill('SIGTERM') }));
    child.on('error', fail);
  });
}

async function pipelineRuns(port: number): Promise<{ seconds: number; cpuSeconds: number; peakRssMb: number }[]> {
  const results = [];
  for (let i = 0; i < RUNS; i++) {
    const out = join(WORK, `out-${i}`);
    const config = join(WORK, `config-${i}.json`);
    writeFileSync(config, JSON.stringify({
      source: { mongodb: { host: '127.0.0.1', port, database: 'bench', collection: 'events', batch_size: 10_000 } },
      transform: { add_op_fields: false },
      replication_mode: 'FULL_TABLE',
      target: { file: { path: out, format: 'parquet', compression: 'snappy', concurrency: 2 } },
    }));
    results.push(await measure(process.execPath, [FASTLANE, 'run', `--config=${config}`, `--state-dir=${WORK}`]));
    rmSync(out, { recursive: true, force: true });
  }
  return results;
}

const deserialize = await decodeCpu('deserialize');
const arrow = await decodeCpu('arrow');
const server = await startServer();
let runs;
try {
  runs = await pipelineRuns(server.port);
} finally {
  server.stop();
  rmSync(WORK, { recursive: true, force: true });
}
const seconds = median(runs.map((r) => r.seconds));
const cpu = median(runs.map((r) => r.cpuSeconds));
const rss = median(runs.map((r) => r.peakRssMb));
console.log(`${ROWS.toLocaleString('en')} documents of 11 fields (~300 bytes), medians of ${RUNS} runs.\n`);
console.log('| measure | CPU s per 1M documents | ratio |');
console.log('|---|---|---|');
console.log(`| \`BSON.deserialize\` of the raw documents (the driver's own decoding) | ${deserialize.toFixed(2)} | 1.00 |`);
console.log(`| raw BSON -> Arrow batches (the source's decoder) | ${arrow.toFixed(2)} | ${(arrow / deserialize).toFixed(2)} |`);
console.log('\n| run | rows/s | CPU s per 1M rows (fastlane) | peak RSS MB |');
console.log('|---|---|---|---|');
console.log(`| MongoDB (test server) -> Parquet file, snappy | ${Math.round(ROWS / seconds).toLocaleString('en')} | ${(cpu * 1_000_000 / ROWS).toFixed(2)} | ${rss.toFixed(0)} |`);
