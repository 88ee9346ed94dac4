import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PACKAGE_ROOT } from '../../paths.js';

/** The paths the UI routes in the browser: each answers the same page, which reads its own URL. */
const PAGE_PATHS = ['/', '/pipelines/*', '/runs/*'];

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * The browser may fetch from this server only, and run only the bundled script: nothing the page
 * shows (log lines, ids) can load or run anything else. uPlot sizes its elements with inline styles.
 */
const CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
  + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

interface Asset {
  readonly body: Buffer;
  readonly type: string;
  readonly etag: string;
}

/** Every file of the built UI, read once: a fixed set of names, so no request path reaches the disk. */
function loadAssets(dir: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  if (!existsSync(dir)) return assets;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const type = TYPES[extname(name)];
    if (!type || !statSync(path).isFile()) continue;
    const body = readFileSync(path);
    assets.set(name, { body, type, etag: `"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"` });
  }
  return assets;
}

function send(request: FastifyRequest, reply: FastifyReply, asset: Asset): FastifyReply {
  reply.header('content-type', asset.type).header('etag', asset.etag).header('cache-control', 'no-cache')
    .header('x-content-type-options', 'nosniff').header('referrer-policy', 'no-referrer').header('content-security-policy', CSP);
  if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();
  return reply.send(asset.body);
}

const NOT_BUILT = '<!doctype html><meta charset="utf-8"><title>Fastlane</title>'
  + '<p>The web UI is not built. Run <code>npm run build</code>, then restart <code>fastlane serve</code>.</p>\n';

/**
 * The monitoring web UI: its page at `/`, `/pipelines/<id>` and `/runs/<id>` (deep links), its
 * assets under `/ui/`. None of it holds data, so it loads without the token even when reads need
 * one; the page then asks for the token and sends it on its API calls.
 */
export async function uiRoutes(app: FastifyInstance, options: { dir?: string }): Promise<void> {
  const assets = loadAssets(options.dir ?? join(PACKAGE_ROOT, 'dist', 'ui'));
  const page = assets.get('index.html');
  for (const path of PAGE_PATHS) {
    app.get(path, { config: { openRead: true } }, async (request, reply) => {
      if (!page) return reply.code(503).type('text/html; charset=utf-8').send(NOT_BUILT);
      return send(request, reply, page);
    });
  }
  app.get<{ Params: { name: string } }>('/ui/:name', { config: { openRead: true } }, async (request, reply) => {
    const asset = request.params.name === 'index.html' ? undefined : assets.get(request.params.name);
    if (!asset) return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `no UI file '${request.params.name}'` });
    return send(request, reply, asset);
  });
}
