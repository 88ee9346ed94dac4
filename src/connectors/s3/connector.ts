import type { TargetConnector } from '../../registry.js';
import { bucketOf, tablePrefix, type S3TargetConfig } from './config.js';

const s3Target: TargetConnector<S3TargetConfig> = {
  type: 's3',
  aliases: ['athena'],
  schema: 'target/s3.schema.json',
  module: import.meta.url,
  targetId: (config) => `${config.database ?? bucketOf(config)}.${config.table}`,
  // The implementation (and its client library) loads only in runs that use it.
  create: async (config, context) => (await import('./target.js')).createS3Target(config, context),
  describe: (config) => `Parquet (${config.compression}) objects in s3://${bucketOf(config)}/${tablePrefix(config)}`,
};

export default s3Target;
