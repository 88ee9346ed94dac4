import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { ApiClient } from '../../src/monitor/api-client.js';

let port: number;
const seen: { url: string; headers: IncomingHttpHeaders }[] = [];
const server = createServer((request, response) => {
  seen.push({ url: request.url ?? '', headers: request.headers });
  response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('the metrics server URL with credentials', () => {
  test('user:password@ becomes Basic authorization and is never part of the shown URL', async () => {
    const client = new ApiClient({ baseUrl: `http://fl%20user:p%40ss:w0rd@127.0.0.1:${port}/base/` });
    expect(client.url).toBe(`http://127.0.0.1:${port}/base`);
    expect(await client.call('GET', '/api/pipelines')).toEqual({ ok: true });
    const last = seen[seen.length - 1];
    expect(last.url).toBe('/base/api/pipelines');
    expect(Buffer.from(String(last.headers.authorization).replace(/^Basic /, ''), 'base64').toString()).toBe('fl user:p@ss:w0rd');
  });

  test('a token wins over the URL password; a URL without credentials is kept as given', async () => {
    await new ApiClient({ baseUrl: `http://u:pw@127.0.0.1:${port}`, token: 't0k' }).call('GET', '/x');
    expect(seen[seen.length - 1].headers.authorization).toBe('Bearer t0k');
    const plain = new ApiClient({ baseUrl: `http://127.0.0.1:${port}//` });
    expect(plain.url).toBe(`http://127.0.0.1:${port}`);
    await plain.call('GET', '/y');
    expect(seen[seen.length - 1].headers.authorization).toBeUndefined();
  });
});
