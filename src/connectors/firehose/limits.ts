/** Firehose's PutRecordBatch limits (AWS Firehose quotas). */
export const MAX_RECORDS_PER_CALL = 500;
export const MAX_BYTES_PER_CALL = 4 * 1024 * 1024;
export const MAX_BYTES_PER_RECORD = 1000 * 1024;
