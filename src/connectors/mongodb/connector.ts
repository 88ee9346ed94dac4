import type { SourceConnector } from '../../registry.js';
import type { MongodbSourceConfig } from './config.js';
import { buildFilter } from './filter.js';

const mongodbSource: SourceConnector<MongodbSourceConfig> = {
  type: 'mongodb',
  schema: 'source/mongodb.schema.json',
  module: import.meta.url,
  // Refuses the seed's eval entries before anything connects (exit 2 from `validate` too).
  checkConfig: (config) => filterProblems(config),
  // The implementation (and the driver) loads only in runs that use it.
  create: async (config, context) => (await import('./source.js')).createMongodbSource(config, context),
  describe: (config) => `MongoDB collection ${config.database}.${config.collection} by (${config.replication_key}, _id), ${config.batch_size} documents a batch`,
};

/** The filter's problems as `field: what is wrong` lines, the field relative to the section. */
function filterProblems(config: MongodbSourceConfig): string[] {
  try {
    buildFilter(config.filter_fields);
    return [];
  } catch (error) {
    return [(error as Error).message.replace(/^source\.mongodb\./, '')];
  }
}

export default mongodbSource;
