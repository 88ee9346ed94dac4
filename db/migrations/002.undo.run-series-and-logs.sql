DROP TABLE pipeline_log;
DROP TABLE pipeline_rows_loaded;
DROP TABLE pipeline_queue_depth;
