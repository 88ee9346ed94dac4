import type { ParquetCompression, ParquetDictionary, ParquetStatistics } from '../../formats/parquet.js';

/** Credentials written in a config; without them the AWS default chain applies. */
export interface AwsCredentialsConfig {
  readonly access_key_id?: string;
  readonly secret_access_key?: string;
  readonly session_token?: string;
}

/** The validated `target.s3` (or `target.athena`) section; defaults come from schemas/target/s3.schema.json. */
export interface S3TargetConfig extends AwsCredentialsConfig {
  /** The bucket; the seed's configs may name it `database` instead. */
  readonly bucket?: string;
  readonly database?: string;
  readonly prefix: string;
  readonly table: string;
  readonly region: string;
  readonly endpoint?: string;
  readonly force_path_style: boolean;
  readonly batch_size: number;
  readonly concurrency: number;
  readonly compression: Extract<ParquetCompression, 'zstd' | 'snappy' | 'gzip' | 'none'>;
  readonly row_group_size: number;
  readonly dictionary: ParquetDictionary;
  readonly statistics: ParquetStatistics;
  readonly partition_by: 'none' | 'load_date' | 'column';
  readonly partition_column?: string;
  readonly part_size_mb: number;
  readonly upload_concurrency: number;
  readonly max_attempts: number;
}

/** The bucket a config names, by either of its two names. */
export function bucketOf(config: S3TargetConfig): string {
  const bucket = config.bucket ?? config.database;
  if (bucket === undefined) throw new TypeError('target.s3 names no bucket: the schema requires bucket or database');
  return bucket;
}

/** `<prefix>/<table>/`: where every object and the manifest of the table live. */
export function tablePrefix(config: S3TargetConfig): string {
  const prefix = config.prefix.replace(/^\/+|\/+$/g, '');
  return prefix === '' ? `${config.table}/` : `${prefix}/${config.table}/`;
}
