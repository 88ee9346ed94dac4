import { createRequire } from 'node:module';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';

interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;

// s3rver is CommonJS without type declarations.
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverClass;

/** The only credentials s3rver accepts. */
export const S3RVER_CREDENTIALS = { access_key_id: 'S3RVER', secret_access_key: 'S3RVER' } as const;

export interface LocalS3 {
  readonly endpoint: string;
  readonly directory: string;
  /** A client for reading back what a test wrote. */
  client(): S3Client;
  stop(): Promise<void>;
}

/** Starts s3rver on 127.0.0.1 (a free port) in this process, with the given buckets, over a fresh folder. */
export async function startS3rver(buckets: readonly string[]): Promise<LocalS3> {
  const directory = await mkdtemp(join(tmpdir(), 'fastlane-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  const address = await server.run();
  const endpoint = `http://127.0.0.1:${address.port}`;
  return {
    endpoint,
    directory,
    client: () => new S3Client({
      region: 'us-east-1',
      endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: S3RVER_CREDENTIALS.access_key_id, secretAccessKey: S3RVER_CREDENTIALS.secret_access_key },
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    }),
    async stop() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

export interface FaultyProxy {
  readonly endpoint: string;
  /** Requests answered with a failure instead of being passed on, by method and path. */
  readonly refused: string[];
  /** Every request passed on or refused, as `METHOD path?query`. */
  readonly seen: string[];
  stop(): Promise<void>;
}

export interface S3Fault {
  readonly status: number;
  readonly code: string;
}

/**
 * An HTTP proxy in front of s3rver that answers an S3 error (by default 500 InternalError, which
 * the SDK retries) to the requests `fails` picks: a real S3 error on the real protocol.
 */
export async function startFaultyProxy(
  target: string,
  fails: (method: string, path: string) => boolean,
  fault: S3Fault = { status: 500, code: 'InternalError' },
): Promise<FaultyProxy> {
  const upstream = new URL(target);
  const refused: string[] = [];
  const seen: string[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const line = `${req.method} ${req.url}`;
    seen.push(line);
    if (fails(req.method ?? '', req.url ?? '')) {
      refused.push(line);
      req.resume();
      res.writeHead(fault.status, { 'content-type': 'application/xml' });
      res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${fault.code}</Code><Message>refused by the test proxy</Message></Error>`);
      return;
    }
    const forward = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    refused,
    seen,
    stop: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
