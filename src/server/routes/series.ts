import type { FastifyInstance } from 'fastify';
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

const DEFAULT_WINDOW_MS = 12 * 3600 * 1000;

interface RangeQuery {
  pipeline_run_id: number;
  start_date?: string;
  end_date?: string;
  limit: number;
  offset: number;
}

function parseDate(name: string, text: string | undefined, fallback: Date): Date {
  if (text === undefined) return fallback;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw badRequest(`querystring/${name} is not a date and time: use ISO 8601`);
  return new Date(ms);
}

/** start_date..end_date, by default the last 12 hours (as in the seed). */
export function timeRange(query: { start_date?: string; end_date?: string }, now = new Date()): [Date, Date] {
  const end = parseDate('end_date', query.end_date, now);
  const start = parseDate('start_date', query.start_date, new Date(end.getTime() - DEFAULT_WINDOW_MS));
  return [start, end];
}

function registerSeries(app: FastifyInstance, series: Series): void {
  const columns = series.columns.join(', ');
  const placeholders = series.columns.map((_, i) => `$${i + 2}`).join(', ');
  const insert = `INSERT INTO ${series.table} (pipeline_run_id, ${columns}) VALUES ($1, ${placeholders}) RETURNING id, created_at`;
  const select = `SELECT pipeline_run_id, ${columns}, created_at FROM ${series.table}
    WHERE pipeline_run_id = $1 AND created_at >= $2 AND created_at <= $3 ORDER BY created_at, id LIMIT $4 OFFSET $5`;
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
      const [start, end] = timeRange(q);
      const { rows } = await app.pg.query(select, [q.pipeline_run_id, start, end, q.limit, q.offset]);
      return rows.map(pointJson);
    });
  }
}

/** rps, memory_usage (and memory), queue_depth and rows_loaded series: POST a point, GET a range. */
export async function seriesRoutes(app: FastifyInstance): Promise<void> {
  for (const series of SERIES) registerSeries(app, series);
}
