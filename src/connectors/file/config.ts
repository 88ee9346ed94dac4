import type { ParquetDictionary, ParquetStatistics } from '../../formats/parquet.js';

/** The validated `source.file` / `target.file` section (defaults come from schemas/). */
export interface FileSourceConfig {
  readonly path: string;
  readonly format: 'csv' | 'ndjson' | 'parquet';
  readonly batch_size: number;
  /** Declared column types by name; the rest are inferred from the first `infer_rows` rows. */
  readonly columns?: Readonly<Record<string, string>>;
  readonly infer_rows: number;
  readonly delimiter: string;
  readonly null_value: string;
  /** Column the file is sorted by, for INCREMENTAL runs and offsets. */
  readonly key?: string;
  readonly offset?: number | string;
}

export interface FileTargetConfig {
  readonly path: string;
  readonly format: 'csv' | 'ndjson' | 'parquet';
  readonly batch_size: number;
  readonly concurrency: number;
  readonly compression: 'zstd' | 'snappy' | 'gzip' | 'lz4' | 'none';
  readonly row_group_size: number;
  readonly dictionary: ParquetDictionary;
  readonly statistics: ParquetStatistics;
  readonly delimiter: string;
  readonly null_value: string;
}
