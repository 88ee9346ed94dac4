import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local AWS Secrets Manager endpoint speaking the service's JSON 1.1 protocol (POST /,
 * `x-amz-target: secretsmanager.GetSecretValue`), enough for the real SDK client to read secrets.
 * Requests are recorded so tests can check what the client asked for.
 */
export interface SecretsManagerServer {
  readonly url: string;
  readonly requests: { target: string; body: Record<string, unknown> }[];
  close(): Promise<void>;
}

function answer(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
  response.end(JSON.stringify(body));
}

async function readBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
}

export async function startSecretsManager(secrets: Record<string, string>): Promise<SecretsManagerServer> {
  const requests: SecretsManagerServer['requests'] = [];
  const server: Server = createServer((request, response) => {
    void readBody(request).then((body) => {
      const target = String(request.headers['x-amz-target'] ?? '');
      requests.push({ target, body });
      if (request.method !== 'POST' || target !== 'secretsmanager.GetSecretValue') {
        return answer(response, 400, { __type: 'InvalidRequestException', message: `unsupported operation ${target}` });
      }
      const name = String(body.SecretId ?? '');
      if (!(name in secrets)) {
        return answer(response, 400, { __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." });
      }
      answer(response, 200, { ARN: `arn:aws:secretsmanager:us-east-1:000000000000:secret:${name}`, Name: name, SecretString: secrets[name], VersionId: 'v1', CreatedDate: 0 });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
