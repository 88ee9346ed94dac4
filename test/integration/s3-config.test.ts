import { describe, expect, test } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Registry } from '../../src/registry.js';
import fileSource from '../../src/connectors/file/source.js';
import defaultTransform from '../../src/connectors/default/transform.js';
import s3Target from '../../src/connectors/s3/connector.js';
import { parseConfig } from '../../src/config/load.js';
import { planPipeline } from '../../src/config/plan.js';
import { SEED_EXAMPLES } from '../support/pipeline.js';

const EXAMPLES = SEED_EXAMPLES;

function registry(): Registry {
  return new Registry().register('source', fileSource).register('transform', defaultTransform).register('target', s3Target);
}

/** A seed example with its source swapped for a file source: the target section is kept verbatim. */
async function seedExample(name: string): Promise<Record<string, unknown>> {
  const example = JSON.parse(await readFile(resolve(EXAMPLES, name), 'utf8')) as Record<string, unknown>;
  return { ...example, source: { file: { path: 'rows.csv' } } };
}

describe('target s3 config', () => {
  test.each([
    ['mysql_to_athena_example.json', 'my-bucket.my_table', { database: 'my-bucket', table: 'my_table', concurrency: 8 }],
    ['mongodb_to_athena_example.json', 'my-bucket.mongo_example', { bucket: 'my-bucket', table: 'mongo_example', concurrency: 4 }],
    ['bigquery_to_athena_example.json', 'my-bucket.ios_app_events', { bucket: 'my-bucket', table: 'ios_app_events', concurrency: 8 }],
  ])('the seed example %s validates as target athena, an alias of s3', async (name, targetId, section) => {
    const connectors = registry();
    const config = parseConfig(await seedExample(name), name, { registry: connectors, transformType: 'default' });
    expect(config.target.athena).toMatchObject({ ...section, prefix: '', region: 'us-east-1', compression: 'zstd', partition_by: 'none' });
    const plan = planPipeline(config, connectors, { transform: 'default', target: 's3' });
    expect(plan.pipelineId).toBe(`${targetId}.file.s3`);
    expect(plan.target.connector).toBe(s3Target);
  });

  test('a section without bucket or database, or with partition_by=column and no column, is refused', async () => {
    const connectors = registry();
    const base = { source: { file: { path: 'rows.csv' } }, replication_mode: 'FULL_TABLE' };
    expect(() => parseConfig({ ...base, target: { s3: { table: 't' } } }, 'c.json', { registry: connectors, transformType: 'default' }))
      .toThrow(/missing the required field 'bucket'/);
    expect(() => parseConfig({ ...base, target: { s3: { table: 't', bucket: 'b-1', partition_by: 'column' } } }, 'c.json', { registry: connectors, transformType: 'default' }))
      .toThrow(/partition_column/);
    expect(() => parseConfig({ ...base, target: { s3: { table: 'x;drop', bucket: 'b-1' } } }, 'c.json', { registry: connectors, transformType: 'default' }))
      .toThrow(/table/);
  });
});
