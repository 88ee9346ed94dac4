/**
 * SQL for what a list shows of a run beyond its own row: how many rows it has loaded so far and
 * when it last reported. A run's own `rows_loaded` is set at its end; while it runs, the newest
 * rows_loaded point is the progress. The newest of its update and its newest metric point tells a
 * live run from one whose process died while marked running. Each max() is one step down the
 * (pipeline_run_id, created_at) index of its table.
 */

const POINT_TABLES = ['pipeline_rows_loaded', 'pipeline_rps', 'pipeline_memory_usage', 'pipeline_queue_depth'] as const;

/** Rows loaded so far by the run aliased `run`. */
export function rowsSoFarSql(run: string): string {
  return `COALESCE(${run}.rows_loaded, (SELECT p.rows_loaded FROM pipeline_rows_loaded p WHERE p.pipeline_run_id = ${run}.id ORDER BY p.created_at DESC, p.id DESC LIMIT 1))`;
}

/** When the run aliased `run` last reported anything (GREATEST skips the series it never posted). */
export function lastReportedSql(run: string): string {
  const points = POINT_TABLES.map((t) => `(SELECT max(created_at) FROM ${t} WHERE pipeline_run_id = ${run}.id)`);
  return `GREATEST(${run}.updated_at, ${points.join(', ')})`;
}
