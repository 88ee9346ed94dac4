import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { MongoClient } from 'mongodb';
import { Int32 } from 'bson';
import { spawnCli } from '../support/cli.js';
import { SEED_EXAMPLES, withTempDir } from '../support/pipeline.js';
import { MONGO_USER } from '../support/mongodb.js';
import { S3RVER_CREDENTIALS, startS3rver, type LocalS3 } from '../support/s3rver.js';
import { startMongoServer, type MongoTestServer } from '../servers/mongodb.js';
import { startSecretsManager, type SecretsManagerServer } from '../servers/secrets-manager.js';

let mongo: MongoTestServer;
let secrets: SecretsManagerServer;
let s3: LocalS3;

beforeAll(async () => {
  mongo = await startMongoServer({ users: { [MONGO_USER.user]: MONGO_USER.password } });
  const client = new MongoClient(`mongodb://127.0.0.1:${mongo.port}/`, { directConnection: true, auth: { username: MONGO_USER.user, password: MONGO_USER.password } });
  await client.db('mongo_database').collection('mongo_database_collection').insertMany(Array.from({ length: 40 }, (_, i) => ({
    n: new Int32(i), test1: { field: { number_field: new Int32(i * 5), string_field: i % 4 === 0 ? 'hi' : 'bye' } },
  })));
  await client.close();
  secrets = await startSecretsManager({ 'mongodb-ssm-secret': JSON.stringify({ host: '127.0.0.1', port: mongo.port, username: MONGO_USER.user, password: MONGO_USER.password }) });
  s3 = await startS3rver(['my-bucket']);
});

afterAll(async () => {
  await mongo?.stop();
  await secrets?.close();
  await s3?.stop();
});

describe("the seed's mongodb_to_athena_example.json, pointed at the test servers", () => {
  test('credentials from the secret, the list-form filter applied, Parquet written to the bucket', async () => {
    await withTempDir(async (dir) => {
      const seed = JSON.parse(await readFile(join(SEED_EXAMPLES, 'mongodb_to_athena_example.json'), 'utf8'));
      Object.assign(seed.target.athena, { endpoint: s3.endpoint, force_path_style: true, ...S3RVER_CREDENTIALS });
      const config = join(dir, 'config.json');
      await writeFile(config, JSON.stringify(seed));
      // ssm.region of the config does not reach connectors today: the region comes from the environment.
      const env = { AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_EC2_METADATA_DISABLED: 'true' };
      const result = await spawnCli(['run', '--source=mongodb', '--target=athena', `--config=${config}`, `--state-dir=${dir}`], env).done;
      expect(result.stderr).not.toMatch(/ error |FL_[A-Z_]+:/);
      expect(result.code).toBe(0);
      // number_field > 49 and string_field == "hi": i > 9 with i % 4 == 0.
      expect(result.stdout + result.stderr).toMatch(/rows extracted 7\b/);
    });
    const listed = await s3.client().send(new ListObjectsV2Command({ Bucket: 'my-bucket' }));
    expect((listed.Contents ?? []).some((o) => o.Key!.endsWith('.parquet'))).toBe(true);
    const finds = mongo.commands.filter((c) => c.find === 'mongo_database_collection');
    expect(finds.at(-1)!.filter).toEqual({ 'test1.field.number_field': { $gt: 49 }, 'test1.field.string_field': 'hi' });
  }, 120_000);
});
