import { Registry } from '../registry.js';
import fileSource from './file/source.js';
import fileTarget from './file/target.js';
import defaultTransform from './default/transform.js';
import { mysqlSource, mysqlTarget } from './mysql/index.js';
import mongodbSource from './mongodb/connector.js';
import bigquerySource from './bigquery/connector.js';
import s3Target from './s3/connector.js';
import firehoseTarget from './firehose/connector.js';
import influxdbTarget from './influxdb/connector.js';

/** The registry of every connector that ships with Fastlane. Add a connector here to ship it. */
export function builtinRegistry(): Registry {
  return new Registry()
    .register('source', fileSource)
    .register('source', mysqlSource)
    .register('source', mongodbSource)
    .register('source', bigquerySource)
    .register('transform', defaultTransform)
    .register('target', fileTarget)
    .register('target', s3Target)
    .register('target', firehoseTarget)
    .register('target', influxdbTarget)
    .register('target', mysqlTarget);
}
