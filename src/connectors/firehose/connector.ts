import type { TargetConnector } from '../../registry.js';
import type { FirehoseTargetConfig } from './config.js';

const firehoseTarget: TargetConnector<FirehoseTargetConfig> = {
  type: 'firehose',
  schema: 'target/firehose.schema.json',
  module: import.meta.url,
  targetId: (config) => `firehose.${config.delivery_stream}`,
  // The implementation (and its client library) loads only in runs that use it.
  create: async (config, context) => (await import('./target.js')).createFirehoseTarget(config, context),
  describe: (config) => `JSON records into Firehose delivery stream ${config.delivery_stream} (${config.max_records_per_second} records/s)`,
};

export default firehoseTarget;
