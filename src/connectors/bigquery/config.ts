/** The validated `source.bigquery` section (defaults come from schemas/source/bigquery.schema.json). */
export interface BigQuerySourceConfig {
  readonly gcp_project: string;
  readonly dataset_id?: string;
  readonly table_id?: string;
  /** A query whose result is read instead of the table. */
  readonly query?: string;
  /** The column rows are ordered and resumed by; without it pages come in the table's own order. */
  readonly key?: string;
  readonly offset?: number | string;
  readonly credentials_file?: string;
  readonly secret?: string;
  readonly secret_region?: string;
  /** The API root, for emulators and tests. */
  readonly endpoint?: string;
  readonly batch_size: number;
  /** Pages requested at once. */
  readonly concurrency: number;
  readonly bignumeric_as_text?: readonly string[];
  readonly timeout_seconds: number;
  readonly query_timeout_seconds: number;
}

/** `project.dataset.table`, or `query` when the section reads a query. */
export function describeInput(config: BigQuerySourceConfig): string {
  return config.query === undefined ? `${config.gcp_project}.${config.dataset_id}.${config.table_id}` : 'query';
}
