import { createServer, type Server } from 'node:http';

/** A Slack incoming-webhook receiver on loopback: records each `{text}` it is posted, answers `ok`. */
export class SlackWebhookServer {
  readonly messages: { text: string; contentType: string }[] = [];
  /** Answer the next posts with this status instead (e.g. 500). */
  failWith: number[] = [];
  private server: Server | null = null;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => { body += chunk; });
      req.on('end', () => {
        const status = this.failWith.shift();
        if (status) return void res.writeHead(status, { 'content-type': 'text/plain' }).end('internal_error');
        if (req.method !== 'POST' || req.url !== '/services/T000/B000/XXXX') return void res.writeHead(404).end('no_service');
        try {
          const { text } = JSON.parse(body) as { text?: unknown };
          if (typeof text !== 'string' || text === '') return void res.writeHead(400, { 'content-type': 'text/plain' }).end('no_text');
          this.messages.push({ text, contentType: String(req.headers['content-type']) });
          res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        } catch {
          res.writeHead(400, { 'content-type': 'text/plain' }).end('invalid_payload');
        }
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}/services/T000/B000/XXXX`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
