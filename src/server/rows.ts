/** Turns PostgreSQL rows into the seed's JSON shapes (bigint ids as numbers, times as ISO text). */

type Row = Record<string, unknown>;

export function iso(value: unknown): string | null {
  return value instanceof Date ? value.toISOString() : value === null || value === undefined ? null : String(value);
}

function num(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

/** What a list of pipelines tells of each one's newest run. */
function newestRunJson(row: Row): Row {
  return {
    last_run_id: num(row.last_run_id),
    last_run_started: iso(row.last_run_started),
    last_run_finished: iso(row.last_run_finished),
    last_run_rows_loaded: num(row.last_run_rows_loaded),
    last_run_reported_at: iso(row.last_run_reported_at),
  };
}

export function pipelineJson(row: Row): Row {
  return {
    id: row.id,
    source_type: row.source_type,
    target_type: row.target_type,
    pipeline_type: row.pipeline_type,
    config: row.config,
    ...('pipeline_status' in row ? { pipeline_status: row.pipeline_status } : {}),
    ...('last_run_id' in row ? newestRunJson(row) : {}),
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  };
}

export function runJson(row: Row): Row {
  return {
    id: Number(row.id),
    pipeline_id: row.pipeline_id,
    status: row.status,
    cloudwatch_log_stream: row.cloudwatch_log_stream,
    started: iso(row.started),
    finished: iso(row.finished),
    rows_loaded: num(row.rows_loaded),
    start_offset: row.start_offset,
    end_offset: row.end_offset,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  };
}

/** A series point: every column as a number, except the time. */
export function pointJson(row: Row): Row {
  const point: Row = {};
  for (const [key, value] of Object.entries(row)) point[key] = key === 'created_at' ? iso(value) : Number(value);
  return point;
}
