import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { HttpError } from './http-error.js';

/**
 * At most `max` requests per window (a second by default) from one client address; beyond it,
 * 429 with `Retry-After` (seconds). It runs before the token check, so guessing tokens is
 * limited too.
 */
export async function registerRateLimit(app: FastifyInstance, max: number | undefined, windowMs = 1000): Promise<void> {
  if (!max) return;
  await app.register(fastifyRateLimit, {
    global: false,
    max,
    timeWindow: windowMs,
    errorResponseBuilder: (_request, context) =>
      new HttpError(429, `more than ${context.max} requests in ${windowMs / 1000} s from this address: retry after ${context.after}`),
  });
  app.addHook('onRequest', app.rateLimit());
}
