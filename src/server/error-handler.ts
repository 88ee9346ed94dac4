import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable } from './database-errors.js';
import { HttpError } from './http-error.js';

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 404: 'Not Found', 413: 'Payload Too Large', 415: 'Unsupported Media Type',
  429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable',
};

/** PostgreSQL errors a caller can fix: an answer with a message instead of a 500. */
const PG_ANSWERS: Record<string, [number, string]> = {
  '23505': [400, 'it already exists'],
  '23503': [404, 'what it refers to does not exist'],
  '22007': [400, 'a date/time field is not a valid date and time'],
  '22008': [400, 'a date/time field is out of range'],
  '22003': [400, 'a number is out of range'],
};

/** Ajv's message, plus the name of an unknown field (ajv leaves it out of the text). */
function validationMessage(error: FastifyError): string {
  const first = error.validation?.[0];
  const extra = (first?.params as { additionalProperty?: string } | undefined)?.additionalProperty;
  return extra ? `${error.message}: '${extra}'` : error.message;
}

interface Answer {
  readonly statusCode: number;
  readonly message: string;
}

const DATABASE_DOWN: Answer = { statusCode: 503, message: 'the metrics database cannot be reached right now: retry later' };
/** Seconds a client is asked to wait before retrying while the database is away. */
const RETRY_AFTER_SECONDS = '1';

function answerFor(error: FastifyError & { code?: string }): Answer {
  if (error instanceof HttpError) return error;
  if (error.validation) return { statusCode: 400, message: validationMessage(error) };
  if (isDatabaseUnavailable(error)) return DATABASE_DOWN;
  const pg = error.code ? PG_ANSWERS[error.code] : undefined;
  if (pg) return { statusCode: pg[0], message: pg[1] };
  const status = error.statusCode ?? 500;
  // Fastify's own 4xx (bad JSON, body too large, wrong content type) carry safe messages.
  if (status >= 400 && status < 500) return { statusCode: status, message: error.message };
  return { statusCode: 500, message: 'internal server error: see the server log' };
}

/** Every error becomes {statusCode, error, message}: never a stack trace, never SQL. */
export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const answer = answerFor(error);
  if (answer === DATABASE_DOWN) {
    request.log.warn({ err: error }, 'the metrics database cannot be reached');
    void reply.header('retry-after', RETRY_AFTER_SECONDS);
  } else if (answer.statusCode >= 500) request.log.error({ err: error }, 'request failed');
  return reply.code(answer.statusCode).send({
    statusCode: answer.statusCode,
    error: STATUS_TEXT[answer.statusCode] ?? 'Error',
    message: answer.message,
  });
}
