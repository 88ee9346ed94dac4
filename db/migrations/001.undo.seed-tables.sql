DROP TABLE pipeline_memory_usage;
DROP TABLE pipeline_rps;
DROP TABLE pipeline_run;
DROP TABLE pipeline;
