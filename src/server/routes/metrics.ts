import type { FastifyInstance } from 'fastify';
import { add, family, render, type Family } from '../prometheus.js';

const MB = 1024 * 1024;

/** The statuses a run ends with; every pipeline gets a sample for each, so counters start at 0. */
const ENDED = ['completed', 'failed', 'exited'] as const;

/** Running runs with the newest point of each series (the (pipeline_run_id, created_at) indexes find it). */
const RUNNING = `
SELECT r.id, r.pipeline_id, r.status, r.rows_loaded AS run_rows_loaded,
       rl.rows_loaded, rps.rps, mem.memory_usage, q.transform_queue, q.target_queue, q.in_flight
FROM pipeline_run r
LEFT JOIN LATERAL (SELECT rows_loaded FROM pipeline_rows_loaded WHERE pipeline_run_id = r.id ORDER BY created_at DESC, id DESC LIMIT 1) rl ON true
LEFT JOIN LATERAL (SELECT rps FROM pipeline_rps WHERE pipeline_run_id = r.id ORDER BY created_at DESC, id DESC LIMIT 1) rps ON true
LEFT JOIN LATERAL (SELECT memory_usage FROM pipeline_memory_usage WHERE pipeline_run_id = r.id ORDER BY created_at DESC, id DESC LIMIT 1) mem ON true
LEFT JOIN LATERAL (SELECT transform_queue, target_queue, in_flight FROM pipeline_queue_depth WHERE pipeline_run_id = r.id ORDER BY created_at DESC, id DESC LIMIT 1) q ON true
WHERE r.status = 'running'
ORDER BY r.id`;

/** Per pipeline: ended runs and their rows by status, and the newest ended run (its end is `finished`, or its last update). */
const PIPELINES = `
SELECT p.id AS pipeline_id, totals.by_status, last.status AS last_status, last.ended AS last_ended
FROM pipeline p
LEFT JOIN LATERAL (
  SELECT json_object_agg(status, json_build_object('runs', runs, 'rows', rows)) AS by_status
  FROM (SELECT status, count(*) AS runs, COALESCE(sum(rows_loaded), 0) AS rows
        FROM pipeline_run WHERE pipeline_id = p.id AND status <> 'running' GROUP BY status) s
) totals ON true
LEFT JOIN LATERAL (
  SELECT status, extract(epoch FROM COALESCE(finished, updated_at)) AS ended FROM pipeline_run
  WHERE pipeline_id = p.id AND status <> 'running' ORDER BY COALESCE(finished, updated_at) DESC, id DESC LIMIT 1
) last ON true
ORDER BY p.id`;

type Row = Record<string, string | number | null>;
type ByStatus = Partial<Record<string, { runs: number; rows: string | number }>>;

interface PipelineRow {
  pipeline_id: string;
  by_status: ByStatus | null;
  last_status: string | null;
  last_ended: string | number | null;
}

/** Newest rows loaded by a running run: its newest point, or what its run row says. */
function runningRows(r: Row): number {
  return Number(r.rows_loaded ?? r.run_rows_loaded ?? 0);
}

function runFamilies(running: Row[]): Family[] {
  const rowsLoaded = family('fastlane_run_rows_loaded', 'gauge', 'Rows loaded so far by a running run.');
  const rate = family('fastlane_run_rows_per_second', 'gauge', 'Rows loaded per second (moving average) of a running run.');
  const rss = family('fastlane_run_rss_bytes', 'gauge', 'Resident set size of a running run\'s process.');
  const queues = family('fastlane_run_queue_depth', 'gauge', 'Batches waiting in or inside a stage of a running run.');
  const status = family('fastlane_run_status', 'gauge', 'One per running run, labelled with its status.');
  for (const r of running) {
    const run = { pipeline_id: String(r.pipeline_id), pipeline_run_id: String(r.id) };
    add(rowsLoaded, run, runningRows(r));
    add(rate, run, r.rps);
    add(rss, run, r.memory_usage === null ? null : Number(r.memory_usage) * MB);
    add(queues, { ...run, queue: 'transform' }, r.transform_queue);
    add(queues, { ...run, queue: 'target' }, r.target_queue);
    add(queues, { ...run, queue: 'in_flight' }, r.in_flight);
    add(status, { ...run, status: String(r.status) }, 1);
  }
  return [rowsLoaded, rate, rss, queues, status];
}

function pipelineFamilies(pipelines: PipelineRow[], running: Row[]): Family[] {
  const runs = family('fastlane_runs_total', 'counter', 'Runs that ended, by pipeline and final status.');
  const rows = family('fastlane_rows_loaded_total', 'counter', 'Rows loaded by all runs of a pipeline: ended runs plus running runs so far.');
  const lastEnd = family('fastlane_pipeline_last_run_end_timestamp_seconds', 'gauge', 'When the newest ended run of a pipeline ended (Unix time).');
  const lastStatus = family('fastlane_pipeline_last_run_status', 'gauge', '1 for the final status of the newest ended run of a pipeline, 0 for the others.');
  const inFlight = new Map<string, number>();
  for (const r of running) inFlight.set(String(r.pipeline_id), (inFlight.get(String(r.pipeline_id)) ?? 0) + runningRows(r));
  for (const p of pipelines) {
    const pipeline = { pipeline_id: p.pipeline_id };
    let loaded = inFlight.get(p.pipeline_id) ?? 0;
    for (const status of ENDED) {
      const ended = p.by_status?.[status];
      add(runs, { ...pipeline, status }, ended?.runs ?? 0);
      loaded += Number(ended?.rows ?? 0);
    }
    add(rows, pipeline, loaded);
    add(lastEnd, pipeline, p.last_ended);
    if (p.last_status !== null) for (const status of ENDED) add(lastStatus, { ...pipeline, status }, p.last_status === status ? 1 : 0);
  }
  return [runs, rows, lastEnd, lastStatus];
}

export function renderMetrics(running: Row[], pipelines: PipelineRow[]): string {
  return render([...runFamilies(running), ...pipelineFamilies(pipelines, running)]);
}

/**
 * `/metrics` in Prometheus text format (0.0.4): the running runs' newest points, and per pipeline
 * counters of ended runs and rows loaded, so that a run shorter than a scrape interval still counts.
 */
export async function metricsRoutes(app: FastifyInstance): Promise<void> {
  app.get('/metrics', async (_request, reply) => {
    // One snapshot for both reads: a run ending between them would count twice, and the
    // counter would seem to go back at the next scrape.
    const client = await app.pg.connect();
    let failure: Error | undefined;
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const running = (await client.query(RUNNING)).rows as Row[];
      const pipelines = (await client.query(PIPELINES)).rows as PipelineRow[];
      await client.query('COMMIT');
      return reply.type('text/plain; version=0.0.4; charset=utf-8').send(renderMetrics(running, pipelines));
    } catch (error) {
      failure = error as Error;
      throw error;
    } finally {
      // A connection left inside a failed transaction is closed, never handed to another request.
      client.release(failure);
    }
  });
}
