import type { SourceConnector } from '../../registry.js';
import { describeInput, type BigQuerySourceConfig } from './config.js';

const bigquerySource: SourceConnector<BigQuerySourceConfig> = {
  type: 'bigquery',
  schema: 'source/bigquery.schema.json',
  module: import.meta.url,
  // The implementation (and the Google client libraries) load only in runs that use it.
  create: async (config, context) => (await import('./source.js')).createBigQuerySource(config, context),
  describe: (config) => {
    const input = config.query === undefined ? `table ${describeInput(config)}` : `query in project ${config.gcp_project}`;
    return `BigQuery ${input}${config.key ? ` by key ${config.key}` : ''}, ${config.batch_size} rows a page, ${config.concurrency} pages at once`;
  },
};

export default bigquerySource;
