import type { FastifyInstance } from 'fastify';
import { badRequest, notFound } from '../http-error.js';
import { maskSecrets } from '../../masking/mask.js';
import { pipelineJson } from '../rows.js';
import { lastReportedSql, rowsSoFarSql } from '../run-activity.js';
import { ref } from '../schemas.js';

interface PipelineBody {
  pipeline_id: string;
  source_type: string;
  target_type: string;
  pipeline_type: string;
  config?: Record<string, unknown>;
}

interface ListQuery {
  pipeline_status?: string;
  pipeline_type?: string;
  limit: number;
  offset: number;
}

/** The newest run of each listed pipeline, with its progress and when it last reported. */
const NEWEST_RUN = `LEFT JOIN LATERAL (
  SELECT r.id, r.status, r.started, r.finished, ${rowsSoFarSql('r')} AS rows_loaded, ${lastReportedSql('r')} AS reported_at
  FROM pipeline_run r WHERE r.pipeline_id = pipeline.id ORDER BY r.id DESC LIMIT 1
) newest ON true`;

/**
 * The id of a DELETE: from the query string (the seed's client) or a JSON body, where it must
 * already have its type (a body is never coerced).
 */
export function idFrom<K extends string>(key: K, query: Partial<Record<K, unknown>>, body: unknown, type: 'string' | 'number'): unknown {
  const fromBody = body !== null && typeof body === 'object' ? (body as Record<string, unknown>)[key] : undefined;
  if (query[key] === undefined && fromBody !== undefined && typeof fromBody !== type) throw badRequest(`body/${key} must be ${type === 'number' ? 'integer' : type}`);
  const id = query[key] ?? fromBody;
  if (id === undefined || id === null || id === '') throw badRequest(`${key} is required, in the query string or the JSON body`);
  return id;
}

/** `/api/pipeline` (POST, GET, DELETE) and `/api/pipelines` (GET). */
export async function pipelineRoutes(app: FastifyInstance): Promise<void> {
  app.post<{ Body: PipelineBody }>('/api/pipeline', {
    schema: { body: ref('pipeline', 'create'), response: { 200: ref('pipeline', 'pipeline') } },
  }, async (request) => {
    const b = request.body;
    const { rows } = await app.pg.query(
      `INSERT INTO pipeline (id, source_type, target_type, pipeline_type, config) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO NOTHING RETURNING *`,
      [b.pipeline_id, b.source_type, b.target_type, b.pipeline_type, JSON.stringify(maskSecrets(b.config ?? {}))],
    );
    if (rows.length === 0) throw badRequest(`pipeline '${b.pipeline_id}' already exists: DELETE it first or keep it`);
    return pipelineJson(rows[0]);
  });

  app.get<{ Querystring: { pipeline_id: string } }>('/api/pipeline', {
    schema: { querystring: ref('pipeline', 'by_id'), response: { 200: ref('pipeline', 'pipeline') } },
  }, async (request) => {
    const { rows } = await app.pg.query('SELECT * FROM pipeline WHERE id = $1', [request.query.pipeline_id]);
    return rows.length === 0 ? {} : pipelineJson(rows[0]);
  });

  app.delete<{ Querystring: { pipeline_id?: string } }>('/api/pipeline', {
    schema: { querystring: { type: 'object', properties: { pipeline_id: { type: 'string', minLength: 1 } } } },
  }, async (request) => {
    const id = String(idFrom('pipeline_id', request.query, request.body, 'string'));
    // Runs and their series go with it (ON DELETE CASCADE).
    const { rowCount } = await app.pg.query('DELETE FROM pipeline WHERE id = $1', [id]);
    if (!rowCount) throw notFound(`no pipeline '${id}'`);
    return { id, deleted: true };
  });

  app.get<{ Querystring: ListQuery }>('/api/pipelines', {
    schema: { querystring: ref('pipeline', 'list_query'), response: { 200: ref('pipeline', 'list') } },
  }, async (request) => {
    const q = request.query;
    const { rows } = await app.pg.query(
      `SELECT pipeline.*, newest.status AS pipeline_status, newest.id AS last_run_id, newest.started AS last_run_started,
         newest.finished AS last_run_finished, newest.rows_loaded AS last_run_rows_loaded, newest.reported_at AS last_run_reported_at
       FROM pipeline ${NEWEST_RUN}
       WHERE ($1::text IS NULL OR newest.status = $1) AND ($2::text IS NULL OR pipeline.pipeline_type = $2)
       ORDER BY pipeline.id LIMIT $3 OFFSET $4`,
      [q.pipeline_status ?? null, q.pipeline_type ?? null, q.limit, q.offset],
    );
    return rows.map(pipelineJson);
  });
}
