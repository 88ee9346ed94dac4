import type { LogEventsReader } from './cloudwatch-reader.js';

/** What `buildServer` needs; the CLI fills it from flags and the environment. */
export interface ServerOptions {
  /** postgres://... of the metrics database (`--database-url`, `DATABASE_URL`). */
  readonly databaseUrl: string;
  /** When set, writes need `Authorization: Bearer <token>` (`FASTLANE_API_TOKEN`). */
  readonly token?: string;
  /** Ask for the token on reads too (`FASTLANE_API_AUTH_READS=1`); the healthcheck stays open. */
  readonly authenticateReads?: boolean;
  /** The one browser origin allowed to call the API (CORS); none by default. */
  readonly corsOrigin?: string;
  /** Largest request body in bytes (default 1 MiB). */
  readonly bodyLimit?: number;
  /** Requests per second allowed from one client address (`--rate-limit`); no limit when unset. */
  readonly rateLimit?: number;
  /** The window `rateLimit` counts over, in ms (default 1000: requests per second). */
  readonly rateLimitWindowMs?: number;
  /** Connections in the PostgreSQL pool (default 10). */
  readonly poolSize?: number;
  /** Fastify's logger (JSON lines on stdout); off by default. `serve` logs warnings and 500s. */
  readonly logger?: boolean | { readonly level: 'error' | 'warn' | 'info' | 'debug' };
  /** The built web UI (`npm run build` writes dist/ui); default: dist/ui of the package. */
  readonly uiDir?: string;
  /** Reads a run's log lines from CloudWatch Logs when the run logged there. */
  readonly cloudWatchLogs?: LogEventsReader;
}

export const DEFAULT_BODY_LIMIT = 1024 * 1024;
