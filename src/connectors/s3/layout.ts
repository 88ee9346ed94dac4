import { makeVector, Table } from 'apache-arrow';
import { formatColumn } from '../../arrow/format.js';
import { FastlaneError } from '../../errors.js';
import type { S3TargetConfig } from './config.js';

export const VERSION_COLUMN = '_table_version';
export const MANIFEST_NAME = '_fastlane_manifest.json';
const DEFAULT_PARTITION = '__HIVE_DEFAULT_PARTITION__';

/** Where a FULL_TABLE version's objects live under the table prefix. */
export function versionPrefix(root: string, version: string): string {
  return `${root}${VERSION_COLUMN}=${version}/`;
}

/** One object per load and partition, named by run and load: a retried load overwrites its object. */
export function objectKey(dataPrefix: string, partition: string, runId: string, sequence: number): string {
  return `${dataPrefix}${partition}part-${runId}-${String(sequence).padStart(6, '0')}.parquet`;
}

/** Adds the `_table_version` column the seed stamped on every row of a FULL_TABLE version. */
export function withVersion(batch: Table, version: string): Table {
  const values = new BigInt64Array(batch.numRows).fill(BigInt(version));
  return batch.assign(new Table({ [VERSION_COLUMN]: makeVector(values) }));
}

export interface PartitionPart {
  /** `year=YYYY/month=MM/day=DD/`, or '' without partitioning. */
  readonly path: string;
  readonly rows: Table;
}

/**
 * Splits a load by Hive-style date partitions: of the run's start (load_date) or of a date or
 * timestamp column. Rows of one day that sit together stay one slice, so clustered data is cheap.
 */
export function partitionLoad(batch: Table, config: S3TargetConfig, runStartMs: number): PartitionPart[] {
  if (config.partition_by === 'none') return [{ path: '', rows: batch }];
  if (config.partition_by === 'load_date') return [{ path: hivePath(new Date(runStartMs).toISOString().slice(0, 10)), rows: batch }];
  return partitionByColumn(batch, config.partition_column ?? '');
}

function partitionByColumn(batch: Table, column: string): PartitionPart[] {
  const index = batch.schema.fields.findIndex((f) => f.name === column);
  if (index < 0) {
    throw new FastlaneError('FL_TARGET', `target.s3.partition_column '${column}' is not a column of the data; columns: ${batch.schema.fields.map((f) => f.name).join(', ')}`);
  }
  if (batch.numRows === 0) return [];
  const format = formatColumn(batch.getChildAt(index)!, batch.schema.fields[index]).format;
  const slices = new Map<string, Table[]>();
  let start = 0;
  let current = dayOf(format(0));
  for (let row = 1; row <= batch.numRows; row++) {
    const day = row < batch.numRows ? dayOf(format(row)) : null;
    if (day === current) continue;
    const list = slices.get(current) ?? [];
    list.push(batch.slice(start, row));
    slices.set(current, list);
    start = row;
    current = day ?? '';
  }
  return [...slices].map(([day, parts]) => ({ path: hivePath(day), rows: parts[0].concat(...parts.slice(1)) }));
}

/** The day of a date or timestamp's text (YYYY-MM-DD...), or '' for NULL. */
function dayOf(text: string | null): string {
  return text === null ? '' : text.slice(0, 10);
}

function hivePath(day: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) {
    return `year=${DEFAULT_PARTITION}/month=${DEFAULT_PARTITION}/day=${DEFAULT_PARTITION}/`;
  }
  return `year=${day.slice(0, 4)}/month=${day.slice(5, 7)}/day=${day.slice(8, 10)}/`;
}
