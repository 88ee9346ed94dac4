/**
 * The server under a mixed load, beside a clean one, on one server with a token and a 64 KiB body
 * limit: valid writes, reads, malformed bodies, wrong tokens and oversized bodies, each
 * connection cycling through them. The promise checked: no answer is a 5xx, and each kind gets
 * the answer it should (200, 400, 401, 413).
 */

export const MIXED_TOKEN = 'bench-token-5f2c';
export const MIXED_BODY_LIMIT = 64 * 1024;

/** One kind of request, the answer it must get, and the connections that send only it. */
interface Kind {
  readonly name: string;
  readonly expect: number;
  readonly connections: number;
  readonly request: { method: string; path: string; headers: Record<string, string>; body?: string };
}

export interface LoadFigures {
  readonly load: 'clean' | 'mixed';
  /** Answers per second, of every kind. */
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly fiveXx: number;
  /** Answers other than the one their kind should get, and connection errors/timeouts. */
  readonly unexpected: number;
  /** Oversized bodies answered (413), mixed load only. */
  readonly oversized?: number;
}

const JSON_HEADERS = { 'content-type': 'application/json', authorization: `Bearer ${MIXED_TOKEN}` };

/**
 * Ten connections: valid writes and reads on five, each bad kind on one. Each kind has its own
 * connections: Fastify answers an oversized body (413) from its Content-Length without reading it
 * and closes the connection.
 */
function kinds(runId: number): Kind[] {
  const valid = JSON.stringify({ pipeline_run_id: runId, rps: 1234.5 });
  const post = (path: string, body: string, headers: Record<string, string> = JSON_HEADERS) => ({ method: 'POST', path, headers, body });
  return [
    { name: 'valid write', expect: 200, connections: 3, request: post('/api/pipeline/run/rps', valid) },
    { name: 'read', expect: 200, connections: 2, request: { method: 'GET', path: `/api/pipeline/run/rps?pipeline_run_id=${runId}&limit=100`, headers: JSON_HEADERS } },
    { name: 'malformed JSON', expect: 400, connections: 1, request: post('/api/pipeline/run/rps', '{"pipeline_run_id": 1, "rps": ') },
    { name: 'wrong types', expect: 400, connections: 1, request: post('/api/pipeline/run/memory_usage', JSON.stringify({ pipeline_run_id: String(runId), memory_usage: [1] })) },
    { name: 'wrong token', expect: 401, connections: 1, request: post('/api/pipeline/run/rps', valid, { ...JSON_HEADERS, authorization: 'Bearer guess' }) },
    { name: 'no token', expect: 401, connections: 1, request: post('/api/pipeline/run/rps', valid, { 'content-type': 'application/json' }) },
    {
      name: 'oversized body', expect: 413, connections: 1,
      request: post('/api/pipeline/run/logs', JSON.stringify({ pipeline_run_id: runId, logs: [{ message: 'x'.repeat(MIXED_BODY_LIMIT + 1024) }] })),
    },
  ];
}

interface Sample {
  readonly kind: Kind;
  readonly status: number;
  readonly ms: number;
}

/**
 * One connection's worth of load: requests of one kind back to back until the time is up, each
 * answer's status and latency kept. Node's fetch (undici) is used rather than autocannon, which
 * mis-times answers on connections the server closes (413).
 */
async function connection(url: string, kind: Kind, until: number, samples: Sample[]): Promise<number> {
  let failures = 0;
  const { method, path, headers, body } = kind.request;
  while (performance.now() < until) {
    const start = performance.now();
    try {
      const res = await fetch(`${url}${path}`, { method, headers, body, signal: AbortSignal.timeout(30_000) });
      await res.arrayBuffer();
      samples.push({ kind, status: res.status, ms: performance.now() - start });
    } catch {
      failures++;
    }
  }
  return failures;
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function drive(load: LoadFigures['load'], url: string, all: Kind[], seconds: number): Promise<LoadFigures> {
  const samples: Sample[] = [];
  const until = performance.now() + seconds * 1000;
  const failures = await Promise.all(all.flatMap((kind) => Array.from({ length: kind.connections }, () => connection(url, kind, until, samples))));
  const wrong = new Map<string, number>();
  for (const s of samples) if (s.status !== s.kind.expect) wrong.set(`${s.kind.name} -> ${s.status}`, (wrong.get(`${s.kind.name} -> ${s.status}`) ?? 0) + 1);
  for (const [what, count] of wrong) console.error(`${load} load: ${count} x ${what}`);
  for (const kind of all) {
    const ms = samples.filter((s) => s.kind === kind).map((s) => s.ms);
    console.error(`${load} load: ${kind.name}: ${Math.round(ms.length / seconds)} requests/s, p50 ${percentile(ms, 50).toFixed(1)} ms, p99 ${percentile(ms, 99).toFixed(1)} ms`);
  }
  const latencies = samples.map((s) => s.ms);
  return {
    load,
    rps: samples.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    fiveXx: samples.filter((s) => s.status >= 500).length,
    unexpected: [...wrong.values()].reduce((a, b) => a + b, 0) + failures.reduce((a, b) => a + b, 0),
    oversized: samples.filter((s) => s.status === 413).length,
  };
}

/** Valid writes only, on all ten connections. */
export function cleanLoad(url: string, runId: number, seconds: number): Promise<LoadFigures> {
  const write = kinds(runId)[0];
  return drive('clean', url, [{ ...write, connections: 10 }], seconds);
}

/** Every kind at once; requests/s, p50 and p99 over every answer. */
export function mixedLoad(url: string, runId: number, seconds: number): Promise<LoadFigures> {
  return drive('mixed', url, kinds(runId), seconds);
}
