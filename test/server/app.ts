import type { FastifyInstance, InjectOptions } from 'fastify';
import { migrateDatabase } from '../../src/db/migrate.js';
import { buildServer } from '../../src/server/build.js';
import type { ServerOptions } from '../../src/server/options.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export interface TestServer {
  readonly app: FastifyInstance;
  readonly db: TestDatabase;
  /** inject() answering status and parsed JSON (or text); answers are checked by expect(), not the compiler. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  call(method: InjectOptions['method'], url: string, payload?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

/** A migrated database of its own and a server on it, not listening. */
export async function startTestServer(options: Partial<ServerOptions> = {}): Promise<TestServer> {
  const db = await createTestDatabase();
  await migrateDatabase(db.url);
  const app = await buildServer({ databaseUrl: db.url, ...options });
  return {
    app,
    db,
    async call(method, url, payload, headers) {
      const res = await app.inject({ method, url, payload: payload as InjectOptions['payload'], headers });
      const json = String(res.headers['content-type'] ?? '').includes('json');
      return { status: res.statusCode, body: json ? res.json() : res.body };
    },
    async close() {
      await app.close();
      await db.drop();
    },
  };
}

export const PIPELINE = {
  pipeline_id: 'shop.orders.mysql.s3',
  source_type: 'mysql',
  target_type: 's3',
  pipeline_type: 'INCREMENTAL',
  config: { source: { mysql: { host: 'db', password: 'hunter2', table: 'orders' } }, target: { s3: { database: 'shop' } } },
};
