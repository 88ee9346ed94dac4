import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApiCallError, ApiClient } from '../../src/monitor/api-client.js';
import { PostQueue, type Job } from '../../src/monitor/post-queue.js';

/** A tiny HTTP server answering from a script of status codes, recording what it received. */
class ScriptedServer {
  readonly received: { method: string; url: string; body: string; authorization?: string }[] = [];
  statuses: number[] = [];
  private server: Server | null = null;

  async start(): Promise<string> {
    this.server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (chunk) => { body += chunk; });
      req.on('end', () => {
        this.received.push({ method: req.method ?? '', url: req.url ?? '', body, authorization: req.headers.authorization });
        const status = this.statuses.shift() ?? 200;
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(status === 200 ? { ok: true } : { message: `status ${status}` }));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server?.close(() => resolve()));
  }
}

function events() {
  const log: string[] = [];
  return {
    log,
    options: {
      backoffMs: 1,
      maxBackoffMs: 4,
      onDown: (error: Error) => log.push(`down: ${error.message}`),
      onUp: () => log.push('up'),
      onRejected: (job: Job, error: Error) => log.push(`rejected ${job.what}: ${error.message}`),
    },
  };
}

describe('ApiClient and PostQueue', () => {
  const server = new ScriptedServer();
  let client: ApiClient;
  beforeAll(async () => { client = new ApiClient({ baseUrl: `${await server.start()}/`, token: 'tok' }); });
  afterAll(() => server.stop());

  const post = (n: number, droppable = true): Job => ({
    what: `post ${n}`, droppable, run: async () => { await client.call('POST', '/api/pipeline/run/rps', { n }); return true; },
  });

  it('sends the token and JSON, and classifies failures', async () => {
    server.statuses = [200, 503, 404];
    expect(await client.call('POST', '/x', { a: 1 })).toEqual({ ok: true });
    expect(server.received[0]).toMatchObject({ method: 'POST', url: '/x', body: '{"a":1}', authorization: 'Bearer tok' });
    await expect(client.call('GET', '/x')).rejects.toMatchObject({ status: 503, retryable: true });
    await expect(client.call('GET', '/x')).rejects.toMatchObject({ status: 404, retryable: false, message: 'GET /x: HTTP 404 status 404' });
  });

  it('gives each job one try when draining, warning once while down', async () => {
    server.received.length = 0;
    server.statuses = [500, 502, 503];
    const { log, options } = events();
    const queue = new PostQueue({ capacity: 10, ...options });
    for (let i = 1; i <= 3; i++) queue.push(post(i));
    await queue.drain(10_000).catch(() => undefined);
    expect(log).toEqual(['down: POST /api/pipeline/run/rps: HTTP 500 status 500']);
    // Once draining, each job gets one try and none waits for a retry.
    expect(server.received.map((r) => JSON.parse(r.body).n)).toEqual([1, 2, 3]);
  });

  it('keeps retrying in the background until the server answers', async () => {
    server.received.length = 0;
    server.statuses = [500, 500, 500, 500];
    const { log, options } = events();
    const queue = new PostQueue({ capacity: 10, ...options });
    queue.push(post(1));
    while (server.received.length < 5) await new Promise((resolve) => setTimeout(resolve, 5));
    await queue.drain(1000);
    expect(log).toEqual(['down: POST /api/pipeline/run/rps: HTTP 500 status 500', 'up']);
    expect(server.received).toHaveLength(5);
  });

  it('skips a post the server refuses for good, and drops the oldest points when full', async () => {
    server.received.length = 0;
    const { log, options } = events();
    const queue = new PostQueue({ capacity: 3, ...options });
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    queue.push({ what: 'hold', droppable: false, run: async () => { await gate; return true; } });
    server.statuses = [400];
    queue.push(post(1));
    queue.push(post(2, false));
    queue.push(post(3));
    queue.push(post(4));
    queue.push(post(5));
    expect(queue.size).toBe(3);
    expect(queue.dropped).toBe(2);
    release();
    await queue.drain(5000);
    expect(server.received.map((r) => JSON.parse(r.body).n)).toEqual([2, 4, 5]);
    expect(log).toEqual(['rejected post 2: POST /api/pipeline/run/rps: HTTP 400 status 400']);
  });

  it('reports an unreachable server as retryable', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));
    const closed = new ApiClient({ baseUrl: `http://127.0.0.1:${port}` });
    const error = await closed.call('GET', '/x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiCallError);
    expect(error).toMatchObject({ status: null, retryable: true, message: 'GET /x: ECONNREFUSED' });
  });
});
