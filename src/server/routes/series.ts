import type { FastifyInstance } from 'fastify';
import { isDateTime, isoMicros } from '../dates.js';
import { badRequest, notFound } from '../http-error.js';
import { iso, pointJson } from '../rows.js';
import { ref } from '../schemas.js';

/** One metric series of a run: its table, its value columns and its URL paths. */
interface Series {
  readonly paths: readonly string[];
  readonly table: string;
  readonly columns: readonly string[];
  readonly schema: string;
}

/** Fixed names: no table or column name ever comes from a request. */
const SERIES: readonly Series[] = [
  { paths: ['/api/pipeline/run/rps'], table: 'pipeline_rps', columns: ['rps'], schema: 'rps' },
  // The seed's README says memory_usage; its client posted to memory.
  { paths: ['/api/pipeline/run/memory_usage', '/api/pipeline/run/memory'], table: 'pipeline_memory_usage', columns: ['memory_usage'], schema: 'memory_usage' },
  { paths: ['/api/pipeline/run/queue_depth'], table: 'pipeline_queue_depth', columns: ['transform_queue', 'target_queue', 'in_flight'], schema: 'queue_depth' },
  { paths: ['/api/pipeline/run/rows_loaded'], table: 'pipeline_rows_loaded', columns: ['rows_loaded'], schema: 'rows_loaded' },
];

interface RangeQuery {
  pipeline_run_id: number;
  start_date?: string;
  end_date?: string;
  limit: number;
  offset: number;
}

/** A client's date as text for PostgreSQL (null when absent), so its microseconds are kept. */
export function dateParameter(name: string, text: string | undefined): string | null {
  if (text === undefined) return null;
  if (!isDateTime(text)) throw badRequest(`querystring/${name} is not a date and time: use ISO 8601 (2026-01-02T03:04:05.123456Z)`);
  return text;
}

/**
 * start_date..end_date, both bounds computed by the database: without end_date there is no upper
 * bound, so a point written just before the read is always in it (the server's clock and
 * PostgreSQL's differ, and a JavaScript Date has no microseconds); without start_date the window
 * starts 12 hours before end_date, or before the database's now() (as in the seed).
 */
export const TIME_WINDOW = `created_at >= COALESCE($2::timestamptz, COALESCE($3::timestamptz, now()) - interval '12 hours')
    AND ($3::timestamptz IS NULL OR created_at <= $3::timestamptz)`;

function registerSeries(app: FastifyInstance, series: Series): void {
  const columns = series.columns.join(', ');
  const placeholders = series.columns.map((_, i) => `$${i + 2}`).join(', ');
  const insert = `INSERT INTO ${series.table} (pipeline_run_id, ${columns}) VALUES ($1, ${placeholders}) RETURNING id, ${isoMicros('created_at')}`;
  // Times answered with microseconds, so a client can ask again from the newest point it has.
  const select = `SELECT pipeline_run_id, ${columns}, ${isoMicros('created_at')} FROM ${series.table}
    WHERE pipeline_run_id = $1 AND ${TIME_WINDOW} ORDER BY ${series.table}.created_at, id LIMIT $4 OFFSET $5`;
  for (const path of series.paths) {
    app.post<{ Body: Record<string, number> }>(path, {
      schema: { body: ref('series', series.schema), response: { 200: ref('series', 'created') } },
    }, async (request) => {
      const body = request.body;
      try {
        const { rows } = await app.pg.query(insert, [body.pipeline_run_id, ...series.columns.map((c) => body[c] ?? 0)]);
        return { id: Number(rows[0].id), pipeline_run_id: body.pipeline_run_id, created_at: iso(rows[0].created_at) };
      } catch (error) {
        if ((error as { code?: string }).code === '23503') throw notFound(`no pipeline run ${body.pipeline_run_id}`);
        throw error;
      }
    });
    app.get<{ Querystring: RangeQuery }>(path, {
      schema: { querystring: ref('common', 'time_range'), response: { 200: ref('series', 'points') } },
    }, async (request) => {
      const q = request.query;
      const start = dateParameter('start_date', q.start_date);
      const end = dateParameter('end_date', q.end_date);
      const { rows } = await app.pg.query(select, [q.pipeline_run_id, start, end, q.limit, q.offset]);
      return rows.map(pointJson);
    });
  }
}

/** rps, memory_usage (and memory), queue_depth and rows_loaded series: POST a point, GET a range. */
export async function seriesRoutes(app: FastifyInstance): Promise<void> {
  for (const series of SERIES) registerSeries(app, series);
}
