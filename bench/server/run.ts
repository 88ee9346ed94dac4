/**
 * POST /api/pipeline/run/rps under load, Fastlane's server beside the bare reference, on the same
 * PostgreSQL database, at 10 and 50 connections; then a clean and a mixed load (valid writes,
 * reads, malformed bodies, wrong tokens, oversized bodies) against one server, in turns:
 *   npm run bench:server -- [--seconds 30] [--mixed-seconds 60] [--runs 1] [--only compare|mixed]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import pg from 'pg';
import { migrateDatabase } from '../../src/db/migrate.js';
import { cleanLoad, mixedLoad, type LoadFigures } from './mixed.js';

const ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}
const SECONDS = Number(flag('seconds', process.env.BENCH_SECONDS ?? '30'));
const MIXED_SECONDS = Number(flag('mixed-seconds', '60'));
const RUNS = Number(flag('runs', '1'));
const ONLY = flag('only', '');
const CONNECTIONS = [10, 50];

interface Result {
  readonly server: string;
  readonly connections: number;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  await client.query(sql).finally(() => client.end());
}

async function seedRun(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("INSERT INTO pipeline (id, source_type, target_type, pipeline_type) VALUES ('bench.p.file.file', 'file', 'file', 'FULL_TABLE')");
    const { rows } = await client.query("INSERT INTO pipeline_run (pipeline_id, status) VALUES ('bench.p.file.file', 'running') RETURNING id");
    return Number(rows[0].id);
  } finally {
    await client.end();
  }
}

async function startChild(kind: string, databaseUrl: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/server/child.ts', kind, databaseUrl], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const [url] = (await once(lines, 'line')) as [string];
  return { child, url };
}

async function load(url: string, connections: number, runId: number, seconds: number): Promise<autocannon.Result> {
  return autocannon({
    url: `${url}/api/pipeline/run/rps`,
    method: 'POST',
    connections,
    duration: seconds,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ pipeline_run_id: runId, rps: 1234.5 }),
  });
}

/** Means of the runs of one server at one load level (p99: the worst). */
function combine(server: string, connections: number, runs: autocannon.Result[]): Result {
  const mean = (pick: (r: autocannon.Result) => number) => runs.reduce((sum, r) => sum + pick(r), 0) / runs.length;
  return {
    server,
    connections,
    rps: mean((r) => r.requests.average),
    p50: mean((r) => r.latency.p50),
    p99: Math.max(...runs.map((r) => r.latency.p99)),
    errors: runs.reduce((sum, r) => sum + r.errors + r.non2xx + r.timeouts, 0),
  };
}

/**
 * Both servers up at once (an idle one costs nothing). Each load level runs in the order
 * A B B A, half the time each, so a busy moment on a shared machine hurts both alike.
 */
async function bench(databaseUrl: string, runId: number): Promise<Result[]> {
  const servers = [{ kind: 'real', ...(await startChild('real', databaseUrl)) }, { kind: 'reference', ...(await startChild('reference', databaseUrl)) }];
  try {
    for (const s of servers) await load(s.url, 10, runId, Math.min(SECONDS, 3));
    const results: Result[] = [];
    for (const connections of CONNECTIONS) {
      const runs: autocannon.Result[][] = [[], []];
      for (const i of [0, 1, 1, 0]) runs[i].push(await load(servers[i].url, connections, runId, SECONDS / 2));
      servers.forEach((s, i) => results.push(combine(s.kind, connections, runs[i])));
    }
    return results;
  } finally {
    for (const s of servers) s.child.kill('SIGTERM');
  }
}

function table(results: Result[]): string {
  const lines = ['| server | connections | requests/s | p50 ms | p99 ms | errors |', '|---|---|---|---|---|---|'];
  for (const r of results) lines.push(`| ${r.server} | ${r.connections} | ${Math.round(r.rps)} | ${r.p50.toFixed(1)} | ${r.p99} | ${r.errors} |`);
  for (const connections of CONNECTIONS) {
    const ours = results.find((r) => r.server === 'real' && r.connections === connections);
    const ref = results.find((r) => r.server === 'reference' && r.connections === connections);
    if (ours && ref) lines.push(`\nratio at ${connections} connections: ${(ours.rps / ref.rps).toFixed(2)}x the reference's requests/s`);
  }
  return lines.join('\n');
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Clean then mixed, RUNS times, against one guarded server (token, 64 KiB body limit). */
async function mixedBench(databaseUrl: string, runId: number): Promise<LoadFigures[]> {
  const { child, url } = await startChild('guarded', databaseUrl);
  try {
    await cleanLoad(url, runId, 3);
    const all: LoadFigures[] = [];
    for (let i = 0; i < RUNS; i++) {
      all.push(await cleanLoad(url, runId, MIXED_SECONDS));
      all.push(await mixedLoad(url, runId, MIXED_SECONDS));
    }
    return all;
  } finally {
    child.kill('SIGTERM');
  }
}

function mixedTable(all: LoadFigures[]): string {
  const lines = ['| load | requests/s | p50 ms | p99 ms | 5xx | unexpected answers | 413 answered | runs (requests/s; p99 ms) |', '|---|---|---|---|---|---|---|---|'];
  for (const load of ['clean', 'mixed'] as const) {
    const runs = all.filter((f) => f.load === load);
    const each = runs.map((f) => `${Math.round(f.rps)}; ${f.p99.toFixed(0)}`).join(' / ');
    lines.push(`| ${load} | ${Math.round(median(runs.map((f) => f.rps)))} | ${median(runs.map((f) => f.p50)).toFixed(1)} | ${median(runs.map((f) => f.p99)).toFixed(1)} | ${runs.reduce((n, f) => n + f.fiveXx, 0)} | ${runs.reduce((n, f) => n + f.unexpected, 0)} | ${runs.reduce((n, f) => n + (f.oversized ?? 0), 0)} | ${each} |`);
  }
  return lines.join('\n');
}

const name = `fastlane_bench_${Date.now()}`;
await admin(`CREATE DATABASE ${name}`);
const url = new URL(ADMIN_URL);
url.pathname = `/${name}`;
try {
  await migrateDatabase(url.toString());
  const runId = await seedRun(url.toString());
  if (ONLY !== 'mixed') {
    const results = await bench(url.toString(), runId);
    console.log(`POST /api/pipeline/run/rps, ${SECONDS} s per server and load level (A B B A halves), autocannon on loopback, PostgreSQL on the same machine\n`);
    console.log(table(results));
  }
  if (ONLY !== 'compare') {
    const all = await mixedBench(url.toString(), runId);
    console.log(`\nClean (valid writes only) and mixed load (valid writes, reads, malformed JSON, wrong types, wrong and missing tokens, oversized bodies), ${MIXED_SECONDS} s each, 10 connections (Node fetch), ${RUNS} run(s) in turns, medians\n`);
    console.log(mixedTable(all));
  }
} finally {
  await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}
