import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parseArgs } from '../../src/cli/args.js';
import { PIPELINE, startTestServer, type TestServer } from './app.js';

const TOKEN = 'limits-token-0123';
const LIMIT = 5;

describe('--rate-limit', () => {
  let server: TestServer;
  // A minute-long window, so that the count cannot restart in the middle of the test on a slow machine.
  beforeAll(async () => { server = await startTestServer({ rateLimit: LIMIT, rateLimitWindowMs: 60_000, token: TOKEN }); });
  afterAll(async () => { await server.close(); });

  const from = (address: string, headers: Record<string, string> = {}) =>
    server.app.inject({ method: 'GET', url: '/api/pipelines', remoteAddress: address, headers });

  it('answers 429 with Retry-After past the limit, per client address', async () => {
    for (let i = 0; i < LIMIT; i++) expect((await from('10.0.0.1')).statusCode).toBe(200);
    const refused = await from('10.0.0.1');
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.json()).toEqual({ statusCode: 429, error: 'Too Many Requests', message: expect.stringMatching(/^more than 5 requests in 60 s from this address: retry after/) });
    // Another address has its own count.
    expect((await from('10.0.0.2')).statusCode).toBe(200);
  });

  it('counts requests with a wrong token too, so tokens cannot be guessed at full speed', async () => {
    const guess = () => server.app.inject({ method: 'POST', url: '/api/pipeline', remoteAddress: '10.0.0.3', payload: PIPELINE, headers: { authorization: 'Bearer guess' } });
    for (let i = 0; i < LIMIT; i++) expect((await guess()).statusCode).toBe(401);
    expect((await guess()).statusCode).toBe(429);
  });
});

describe('without --rate-limit', () => {
  let server: TestServer;
  beforeAll(async () => { server = await startTestServer({ bodyLimit: 2048, token: TOKEN }); });
  afterAll(async () => { await server.close(); });

  it('never answers 429', async () => {
    for (let i = 0; i < 50; i++) {
      const res = await server.app.inject({ method: 'GET', url: '/api/healthcheck' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['x-ratelimit-limit']).toBeUndefined();
    }
  });

  it('answers 413 to a body over the limit, before reading it as JSON', async () => {
    const res = await server.call('POST', '/api/pipeline', { ...PIPELINE, config: { blob: 'x'.repeat(4096) } }, { authorization: `Bearer ${TOKEN}` });
    expect(res).toEqual({ status: 413, body: { statusCode: 413, error: 'Payload Too Large', message: expect.stringMatching(/body/i) } });
  });

  it('answers 401 without detail: a missing, a wrong and a malformed token get the same answer', async () => {
    const answers = await Promise.all([undefined, 'Bearer wrong', `Bearer ${TOKEN}x`, 'Basic abc', TOKEN].map(async (authorization) => {
      const res = await server.app.inject({ method: 'POST', url: '/api/pipeline', payload: PIPELINE, headers: authorization ? { authorization } : {} });
      return { status: res.statusCode, body: res.body, www: res.headers['www-authenticate'] };
    }));
    for (const answer of answers) {
      expect(answer).toEqual(answers[0]);
      expect(answer.body).not.toContain(TOKEN);
    }
    expect(answers[0].status).toBe(401);
  });
});

describe('fastlane serve --rate-limit', () => {
  it('takes a whole number of requests per second, and is off unless given', async () => {
    expect(await parseArgs(['serve', '--rate-limit=20'])).toMatchObject({ kind: 'serve', rateLimit: 20 });
    expect(await parseArgs(['serve'])).not.toHaveProperty('rateLimit');
    await expect(parseArgs(['serve', '--rate-limit=0.5'])).rejects.toThrow(/--rate-limit must be a whole number/);
    await expect(parseArgs(['serve', '--rate-limit=0'])).rejects.toThrow(/--rate-limit must be a positive number/);
  });
});
