import type { FastifyInstance } from 'fastify';
import { isDateTime } from '../dates.js';
import { badRequest, notFound } from '../http-error.js';
import { runJson } from '../rows.js';
import { ref } from '../schemas.js';
import { idFrom } from './pipelines.js';

type RunFields = Partial<Record<(typeof RUN_FIELDS)[number], unknown>>;

/** The columns a POST or PUT may set, in a fixed order: no name from a request reaches SQL. */
const RUN_FIELDS = ['status', 'cloudwatch_log_stream', 'started', 'finished', 'rows_loaded', 'start_offset', 'end_offset'] as const;
const TIME_FIELDS = new Set(['started', 'finished']);
const JSON_FIELDS = new Set(['start_offset', 'end_offset']);

function checkTimes(body: RunFields): void {
  for (const field of TIME_FIELDS) {
    const value = body[field as keyof RunFields];
    if (typeof value === 'string' && !isDateTime(value)) throw badRequest(`body/${field} is not a date and time: use ISO 8601`);
  }
}

/** A column's SQL parameter: offsets go in as JSON, so a numeric key stays a number. */
function parameter(field: string, value: unknown): unknown {
  return JSON_FIELDS.has(field) && value !== null ? JSON.stringify(value) : value;
}

function cast(field: string, index: number): string {
  return JSON_FIELDS.has(field) ? `$${index}::jsonb` : `$${index}`;
}

/** `/api/pipeline/run` (POST, PUT, GET, DELETE) and `/api/pipeline/run/latest` (GET). */
export async function runRoutes(app: FastifyInstance): Promise<void> {
  app.post<{ Body: RunFields & { pipeline_id: string } }>('/api/pipeline/run', {
    schema: { body: ref('run', 'create'), response: { 200: ref('run', 'run') } },
  }, async (request) => {
    const body = { status: 'running', ...request.body };
    checkTimes(body);
    const fields = RUN_FIELDS.filter((f) => body[f] !== undefined);
    const values = [body.pipeline_id, ...fields.map((f) => parameter(f, body[f]))];
    const { rows } = await app.pg.query(
      `INSERT INTO pipeline_run (pipeline_id${fields.map((f) => `, ${f}`).join('')})
       SELECT id${fields.map((f, i) => `, ${cast(f, i + 2)}`).join('')} FROM pipeline WHERE id = $1 RETURNING *`,
      values,
    );
    if (rows.length === 0) throw notFound(`no pipeline '${body.pipeline_id}': POST /api/pipeline first`);
    return runJson(rows[0]);
  });

  app.put<{ Body: RunFields & { pipeline_run_id: number } }>('/api/pipeline/run', {
    schema: { body: ref('run', 'update'), response: { 200: ref('run', 'run') } },
  }, async (request) => {
    const body = request.body;
    checkTimes(body);
    const fields = RUN_FIELDS.filter((f) => body[f] !== undefined);
    const sets = fields.map((f, i) => `${f} = ${cast(f, i + 2)}`);
    const { rows } = await app.pg.query(
      `UPDATE pipeline_run SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE id = $1 RETURNING *`,
      [body.pipeline_run_id, ...fields.map((f) => parameter(f, body[f]))],
    );
    if (rows.length === 0) throw notFound(`no pipeline run ${body.pipeline_run_id}`);
    return runJson(rows[0]);
  });

  app.get<{ Querystring: { pipeline_run_id: number } }>('/api/pipeline/run', {
    schema: { querystring: ref('run', 'by_id'), response: { 200: ref('run', 'run') } },
  }, async (request) => {
    const { rows } = await app.pg.query('SELECT * FROM pipeline_run WHERE id = $1', [request.query.pipeline_run_id]);
    return rows.length === 0 ? {} : runJson(rows[0]);
  });

  app.delete<{ Querystring: { pipeline_run_id?: number } }>('/api/pipeline/run', {
    schema: { querystring: { type: 'object', properties: { pipeline_run_id: { type: 'integer', minimum: 1 } } } },
  }, async (request) => {
    const id = Number(idFrom('pipeline_run_id', request.query, request.body, 'number'));
    if (!Number.isSafeInteger(id) || id < 1) throw badRequest('pipeline_run_id must be a positive integer');
    const { rowCount } = await app.pg.query('DELETE FROM pipeline_run WHERE id = $1', [id]);
    if (!rowCount) throw notFound(`no pipeline run ${id}`);
    return { id, deleted: true };
  });

  app.get<{ Querystring: { pipeline_id: string } }>('/api/pipeline/run/latest', {
    schema: { querystring: ref('pipeline', 'by_id'), response: { 200: ref('run', 'run') } },
  }, async (request) => {
    const { rows } = await app.pg.query('SELECT * FROM pipeline_run WHERE pipeline_id = $1 ORDER BY id DESC LIMIT 1', [request.query.pipeline_id]);
    return rows.length === 0 ? {} : runJson(rows[0]);
  });
}
