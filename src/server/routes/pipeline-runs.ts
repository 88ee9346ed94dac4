import type { FastifyInstance } from 'fastify';
import { notFound } from '../http-error.js';
import { iso, runJson } from '../rows.js';
import { lastReportedSql, rowsSoFarSql } from '../run-activity.js';
import { ref } from '../schemas.js';

interface RunsQuery {
  pipeline_id: string;
  limit: number;
  offset: number;
}

const RUNS = `SELECT r.*, ${rowsSoFarSql('r')} AS rows_loaded_so_far, ${lastReportedSql('r')} AS last_reported_at
  FROM pipeline_run r WHERE r.pipeline_id = $1 ORDER BY r.id DESC LIMIT $2 OFFSET $3`;

/** `/api/pipeline/runs` (GET): one pipeline's runs, newest first, a page at a time. */
export async function pipelineRunsRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Querystring: RunsQuery }>('/api/pipeline/runs', {
    schema: { querystring: ref('run', 'list_query'), response: { 200: ref('run', 'list') } },
  }, async (request) => {
    const q = request.query;
    const { rows } = await app.pg.query(RUNS, [q.pipeline_id, q.limit, q.offset]);
    if (rows.length === 0 && q.offset === 0) {
      const known = await app.pg.query('SELECT 1 FROM pipeline WHERE id = $1', [q.pipeline_id]);
      if (known.rows.length === 0) throw notFound(`no pipeline '${q.pipeline_id}'`);
    }
    return rows.map((row) => ({
      ...runJson(row),
      rows_loaded_so_far: row.rows_loaded_so_far === null ? null : Number(row.rows_loaded_so_far),
      last_reported_at: iso(row.last_reported_at),
    }));
  });
}
