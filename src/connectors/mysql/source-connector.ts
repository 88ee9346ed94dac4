import type { SourceConnector } from '../../registry.js';
import type { MysqlSourceConfig } from './config.js';

const mysqlSource: SourceConnector<MysqlSourceConfig> = {
  type: 'mysql',
  schema: 'source/mysql.schema.json',
  module: import.meta.url,
  // The implementation (and its client library) loads only in runs that use it.
  create: async (config, context) => (await import('./source.js')).createMysqlSource(config, context),
  check: async (config) => (await import('./check.js')).checkMysqlSource(config),
  describe: (config) => `MySQL table ${config.db}.${config.table} by key ${config.key}, ${config.batch_size} rows a page${config.partitions > 1 ? `, ${config.partitions} key ranges at once` : ''}`,
};

export default mysqlSource;
