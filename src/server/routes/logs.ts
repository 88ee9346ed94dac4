import type { FastifyInstance } from 'fastify';
import type { LogEventsReader } from '../cloudwatch-reader.js';
import { isDateTime } from '../dates.js';
import { HttpError, badRequest, notFound } from '../http-error.js';
import { iso } from '../rows.js';
import { ref } from '../schemas.js';

interface LogLine {
  timestamp?: string;
  level: string;
  message: string;
}

interface LogsQuery {
  pipeline_run_id: number;
  level?: string;
  search?: string;
  limit: number;
  offset: number;
}

async function fromCloudWatch(reader: LogEventsReader, group: string, stream: string, q: LogsQuery) {
  try {
    const events = await reader.read(group, stream, q.offset + q.limit);
    // CloudWatch lines carry no level: a level filter leaves none; the search looks at the lines read.
    const search = q.search?.toLowerCase();
    const kept = q.level ? [] : events.filter((e) => search === undefined || e.message.toLowerCase().includes(search));
    return kept.slice(q.offset).map((e) => ({ timestamp: new Date(e.timestamp).toISOString(), level: null, message: e.message }));
  } catch (error) {
    throw new HttpError(502, `reading CloudWatch Logs group '${group}' stream '${stream}' failed: ${(error as Error).name}`);
  }
}

/**
 * `/api/pipeline/run/logs`: POST stores lines of a run; GET answers them, from CloudWatch Logs
 * (group = pipeline id, stream = the run's cloudwatch_log_stream) when the run logged there;
 * `level` and `search` narrow the lines.
 */
export async function logRoutes(app: FastifyInstance, options: { reader?: LogEventsReader }): Promise<void> {
  app.post<{ Body: { pipeline_run_id: number; logs: LogLine[] } }>('/api/pipeline/run/logs', {
    schema: { body: ref('logs', 'post') },
  }, async (request) => {
    const { pipeline_run_id: runId, logs } = request.body;
    const bad = logs.findIndex((l) => l.timestamp !== undefined && !isDateTime(l.timestamp));
    if (bad >= 0) throw badRequest(`body/logs/${bad}/timestamp is not a date and time: use ISO 8601`);
    // Lines without a time get the database's now(), the clock every other created_at comes from.
    const times = logs.map((l) => l.timestamp ?? null);
    try {
      await app.pg.query(
        `INSERT INTO pipeline_log (pipeline_run_id, logged_at, level, message)
         SELECT $1, COALESCE(t, now()), l, m FROM unnest($2::timestamptz[], $3::text[], $4::text[]) AS x(t, l, m)`,
        [runId, times, logs.map((l) => l.level ?? 'info'), logs.map((l) => l.message)],
      );
    } catch (error) {
      if ((error as { code?: string }).code === '23503') throw notFound(`no pipeline run ${runId}`);
      throw error;
    }
    return { pipeline_run_id: runId, stored: logs.length };
  });

  app.get<{ Querystring: LogsQuery }>('/api/pipeline/run/logs', {
    schema: { querystring: ref('logs', 'query'), response: { 200: ref('logs', 'response') } },
  }, async (request) => {
    const q = request.query;
    const { rows } = await app.pg.query('SELECT pipeline_id, cloudwatch_log_stream FROM pipeline_run WHERE id = $1', [q.pipeline_run_id]);
    if (rows.length === 0) throw notFound(`no pipeline run ${q.pipeline_run_id}`);
    const { pipeline_id: group, cloudwatch_log_stream: stream } = rows[0] as { pipeline_id: string; cloudwatch_log_stream: string | null };
    if (stream && options.reader) return { source: 'cloudwatch', logs: await fromCloudWatch(options.reader, group, stream, q) };
    const lines = await app.pg.query(
      `SELECT logged_at, level, message FROM pipeline_log
       WHERE pipeline_run_id = $1 AND ($4::text IS NULL OR level = $4) AND ($5::text IS NULL OR strpos(lower(message), lower($5)) > 0)
       ORDER BY id LIMIT $2 OFFSET $3`,
      [q.pipeline_run_id, q.limit, q.offset, q.level ?? null, q.search ?? null],
    );
    return { source: 'database', logs: lines.rows.map((r) => ({ timestamp: iso(r.logged_at), level: r.level, message: r.message })) };
  });
}
