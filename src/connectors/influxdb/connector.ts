import type { TargetConnector } from '../../registry.js';
import type { InfluxdbTargetConfig } from './config.js';

const influxdbTarget: TargetConnector<InfluxdbTargetConfig> = {
  type: 'influxdb',
  schema: 'target/influxdb.schema.json',
  module: import.meta.url,
  targetId: (config) => `${config.bucket}.${config.measurement}`,
  // The implementation (and its client library) loads only in runs that use it.
  create: async (config, context) => (await import('./target.js')).createInfluxdbTarget(config, context),
  describe: (config) => `points of measurement ${config.measurement} in bucket ${config.bucket} at ${config.url}`,
};

export default influxdbTarget;
