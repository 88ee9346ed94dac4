-- The seed's four tables: pipelines, their runs, and each run's rps and memory series.
CREATE TABLE pipeline (
  id text PRIMARY KEY,
  source_type text NOT NULL,
  target_type text NOT NULL,
  pipeline_type text NOT NULL CHECK (pipeline_type IN ('INCREMENTAL', 'FULL_TABLE')),
  config jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE pipeline_run (
  id bigserial PRIMARY KEY,
  pipeline_id text NOT NULL REFERENCES pipeline (id) ON DELETE CASCADE,
  status text NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'exited')),
  cloudwatch_log_stream text,
  started timestamptz,
  finished timestamptz,
  rows_loaded bigint,
  -- jsonb keeps an offset's type: the seed's numeric keys come back as numbers, text keys as text.
  start_offset jsonb,
  end_offset jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX pipeline_run_pipeline_idx ON pipeline_run (pipeline_id, id DESC);
CREATE INDEX pipeline_run_status_idx ON pipeline_run (status);

CREATE TABLE pipeline_rps (
  id bigserial PRIMARY KEY,
  pipeline_run_id bigint NOT NULL REFERENCES pipeline_run (id) ON DELETE CASCADE,
  rps double precision NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX pipeline_rps_run_idx ON pipeline_rps (pipeline_run_id, created_at);

CREATE TABLE pipeline_memory_usage (
  id bigserial PRIMARY KEY,
  pipeline_run_id bigint NOT NULL REFERENCES pipeline_run (id) ON DELETE CASCADE,
  memory_usage double precision NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX pipeline_memory_usage_run_idx ON pipeline_memory_usage (pipeline_run_id, created_at);
