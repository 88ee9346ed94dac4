import type { TargetConnector } from '../../registry.js';
import type { MysqlTargetConfig } from './config.js';

const mysqlTarget: TargetConnector<MysqlTargetConfig> = {
  type: 'mysql',
  schema: 'target/mysql.schema.json',
  module: import.meta.url,
  targetId: (config) => `${config.db}.${config.table}`,
  // The implementation (and its client library) loads only in runs that use it.
  create: async (config, context) => (await import('./target.js')).createMysqlTarget(config, context),
  check: async (config) => (await import('./check.js')).checkMysqlTarget(config),
  describe: (config) => `MySQL table ${config.db}.${config.table} (key ${config.key}) via ${config.load_method === 'insert' ? 'multi-row INSERT' : 'LOAD DATA LOCAL INFILE'}`,
};

export default mysqlTarget;
