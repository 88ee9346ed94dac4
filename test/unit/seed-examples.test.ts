import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { REPO_ROOT } from '../support/pipeline.js';

/** Copies of the seed's example configs, as the seed shipped them. */
const EXAMPLES = join(REPO_ROOT, 'test', 'fixtures', 'seed');

describe("the seed's example configs", () => {
  it.each([
    ['integration_mysql_mysql.json', 'mysql', 'mysql', 'target.planets.mysql.mysql'],
    ['mysql_to_athena_example.json', 'mysql', 's3', 'my-bucket.my_table.mysql.s3'],
    ['integration_mongodb_mysql.json', 'mongodb', 'mysql', 'target.planets.mongodb.mysql'],
    ['mongodb_to_athena_example.json', 'mongodb', 'athena', 'my-bucket.mongo_example.mongodb.athena'],
  ])('%s validates with its seed command line', async (file, source, target, pipelineId) => {
    const result = await runCli(['validate', `--source=${source}`, `--target=${target}`, `--config=${join(EXAMPLES, file)}`]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`pipeline ${pipelineId}`);
  });
});
