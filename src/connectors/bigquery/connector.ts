import type { SourceConnector } from '../../registry.js';
import { describeInput, type BigQuerySourceConfig } from './config.js';

const bigquerySource: SourceConnector<BigQuerySourceConfig> = {
  type: 'bigquery',
  schema: 'source/bigquery.schema.json',
  module: import.meta.url,
  // The implementation (and the Google client libraries) load only in runs that use it.
  create: async (config, context) => (await import('./source.js')).createBigQuerySource(config, context),
  describe: (config) => `BigQuery ${config.query === undefined ? 'table' : 'query in project'} ${config.query === undefined ? describeInput(config) : config.gcp_project}${config.key ? ` by key ${config.key}` : ''}, ${config.batch_size} rows a page, ${config.concurrency} pages at once`,
};

export default bigquerySource;
