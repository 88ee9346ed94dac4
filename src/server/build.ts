import fastify, { type FastifyInstance } from 'fastify';
import fastifyPostgres from '@fastify/postgres';
import { registerAuth } from './auth.js';
import { registerCors } from './cors.js';
import { errorHandler } from './error-handler.js';
import { registerNulCheck } from './nul-check.js';
import { DEFAULT_BODY_LIMIT, type ServerOptions } from './options.js';
import { healthRoutes } from './routes/health.js';
import { logRoutes } from './routes/logs.js';
import { metricsRoutes } from './routes/metrics.js';
import { pipelineRunsRoutes } from './routes/pipeline-runs.js';
import { pipelineRoutes } from './routes/pipelines.js';
import { runRoutes } from './routes/runs.js';
import { seriesRoutes } from './routes/series.js';
import { uiRoutes } from './routes/ui.js';
import { registerRateLimit } from './rate-limit.js';
import { registerApiSchemas } from './schemas.js';
import { schemaController } from './validation.js';

const CONNECT_TIMEOUT_MS = 5000;
const QUERY_TIMEOUT_MS = 30_000;

/**
 * Builds the metrics server without listening: tests call `inject()`, `fastlane serve` listens.
 * The database schema must be migrated first (`migrateDatabase`).
 */
export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const app = fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    schemaController,
  });
  app.setErrorHandler(errorHandler);
  registerApiSchemas(app);
  registerCors(app, options.corsOrigin);
  await registerRateLimit(app, options.rateLimit, options.rateLimitWindowMs);
  registerNulCheck(app);
  registerAuth(app, options.token, options.authenticateReads ?? false);
  // Naive timestamps (the seed's 'YYYY-MM-DD HH:MM:SS') are read as UTC.
  // Bounded waits: a request waits at most 5 s for a connection and 30 s for an answer; while
  // PostgreSQL is away requests answer 503 and the pool reconnects on its own once it is back.
  await app.register(fastifyPostgres, {
    connectionString: options.databaseUrl,
    max: options.poolSize ?? 10,
    options: '-c TimeZone=UTC',
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    query_timeout: QUERY_TIMEOUT_MS,
  });
  // A connection the database drops while idle must not take the process down.
  app.pg.pool.on('error', (error) => app.log.warn({ err: error }, 'an idle PostgreSQL connection failed'));
  await app.register(healthRoutes);
  await app.register(pipelineRoutes);
  await app.register(runRoutes);
  await app.register(seriesRoutes);
  await app.register(logRoutes, { reader: options.cloudWatchLogs });
  await app.register(metricsRoutes);
  await app.register(pipelineRunsRoutes);
  await app.register(uiRoutes, { dir: options.uiDir });
  return app;
}
