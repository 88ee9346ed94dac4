-- Series the seed only logged (queue depths, rows loaded) and the log lines a run POSTs.
CREATE TABLE pipeline_queue_depth (
  id bigserial PRIMARY KEY,
  pipeline_run_id bigint NOT NULL REFERENCES pipeline_run (id) ON DELETE CASCADE,
  transform_queue integer NOT NULL,
  target_queue integer NOT NULL,
  in_flight integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX pipeline_queue_depth_run_idx ON pipeline_queue_depth (pipeline_run_id, created_at);

CREATE TABLE pipeline_rows_loaded (
  id bigserial PRIMARY KEY,
  pipeline_run_id bigint NOT NULL REFERENCES pipeline_run (id) ON DELETE CASCADE,
  rows_loaded bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX pipeline_rows_loaded_run_idx ON pipeline_rows_loaded (pipeline_run_id, created_at);

CREATE TABLE pipeline_log (
  id bigserial PRIMARY KEY,
  pipeline_run_id bigint NOT NULL REFERENCES pipeline_run (id) ON DELETE CASCADE,
  logged_at timestamptz NOT NULL,
  level text NOT NULL,
  message text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX pipeline_log_run_idx ON pipeline_log (pipeline_run_id, id);
