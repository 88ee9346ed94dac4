import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { SEED_EXAMPLES } from '../support/pipeline.js';

const EXAMPLES = SEED_EXAMPLES;

describe("the seed's example configs", () => {
  it.each([
    ['integration_mysql_mysql.json', 'mysql', 'mysql', 'target.planets.mysql.mysql'],
    ['mysql_to_athena_example.json', 'mysql', 's3', 'my-bucket.my_table.mysql.s3'],
    ['integration_mongodb_mysql.json', 'mongodb', 'mysql', 'target.planets.mongodb.mysql'],
    ['mongodb_to_athena_example.json', 'mongodb', 'athena', 'my-bucket.mongo_example.mongodb.s3'],
    ['bigquery_to_athena_example.json', 'bigquery', 'athena', 'my-bucket.ios_app_events.bigquery.s3'],
  ])('%s validates with its seed command line', async (file, source, target, pipelineId) => {
    const result = await runCli(['validate', `--source=${source}`, `--target=${target}`, `--config=${join(EXAMPLES, file)}`]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`pipeline ${pipelineId}`);
  });
});

describe('aliases', () => {
  it('one config has one pipeline id, whichever name of the target the command line uses', async () => {
    const config = `--config=${join(EXAMPLES, 'mysql_to_athena_example.json')}`;
    const ids = await Promise.all([[], ['--target=s3'], ['--target=athena']].map(async (flags) => {
      const result = await runCli(['validate', config, ...flags]);
      expect(result.code).toBe(0);
      return /pipeline (\S+)/.exec(result.stdout)?.[1];
    }));
    expect(ids).toEqual(['my-bucket.my_table.mysql.s3', 'my-bucket.my_table.mysql.s3', 'my-bucket.my_table.mysql.s3']);
  });
});
