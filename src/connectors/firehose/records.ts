import type { Table } from 'apache-arrow';
import { formatColumn } from '../../arrow/format.js';
import { encodeNdjson } from '../../formats/text.js';
import { FastlaneError } from '../../errors.js';
import { MAX_BYTES_PER_CALL, MAX_BYTES_PER_RECORD, MAX_RECORDS_PER_CALL } from './limits.js';

const NEWLINE = 0x0a;

/**
 * One record per row: a JSON object and its newline, since Firehose concatenates records
 * downstream. Numbers are written bare with every digit (see encodeNdjson); JSON strings escape
 * line breaks, so every newline byte ends a row.
 */
export function rowsToRecords(batch: Table, describeLoad: string): Uint8Array[] {
  const bytes = encodeNdjson(batch);
  const records: Uint8Array[] = [];
  let start = 0;
  for (let end = bytes.indexOf(NEWLINE, start); end >= 0; end = bytes.indexOf(NEWLINE, start)) {
    const record = bytes.subarray(start, end + 1);
    if (record.byteLength > MAX_BYTES_PER_RECORD) throw tooLarge(batch, records.length, record.byteLength, describeLoad);
    records.push(record);
    start = end + 1;
  }
  return records;
}

function tooLarge(batch: Table, row: number, size: number, describeLoad: string): FastlaneError {
  const field = batch.schema.fields[0];
  const key = formatColumn(batch.getChildAt(0)!, field).format(row);
  return new FastlaneError(
    'FL_TARGET',
    `row ${row + 1} of ${describeLoad} (${field.name}=${key ?? 'NULL'}) is ${size} bytes as JSON, over Firehose's ${MAX_BYTES_PER_RECORD}-byte record limit: shorten or drop its large columns in a transform`,
  );
}

/** Cuts records into PutRecordBatch calls within Firehose's count and size limits. */
export function* recordCalls(records: readonly Uint8Array[]): Generator<Uint8Array[]> {
  let call: Uint8Array[] = [];
  let bytes = 0;
  for (const record of records) {
    if (call.length === MAX_RECORDS_PER_CALL || bytes + record.byteLength > MAX_BYTES_PER_CALL) {
      yield call;
      call = [];
      bytes = 0;
    }
    call.push(record);
    bytes += record.byteLength;
  }
  if (call.length > 0) yield call;
}
