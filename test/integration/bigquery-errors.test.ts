import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { runCli } from '../support/cli.js';
import { SEED_EXAMPLES } from '../support/pipeline.js';
import { S3RVER_CREDENTIALS, startS3rver, type LocalS3 } from '../support/s3rver.js';
import { startBigQueryServer, type BigQueryTestServer } from '../servers/bigquery.js';
import { startSecretsManager, type SecretsManagerServer } from '../servers/secrets-manager.js';
import { CLIENT_EMAIL, allTypesTable, isolateNetwork, keyFileText, testKey, writeKeyFile, type TestKey } from '../support/bigquery-fixtures.js';
import { serverSection } from '../support/bigquery-env.js';

let server: BigQueryTestServer;
let secrets: SecretsManagerServer;
let s3: LocalS3;
let dir: string;
let key: TestKey;
let keyFile: string;

beforeAll(async () => {
  isolateNetwork();
  key = testKey();
  server = await startBigQueryServer({ clientEmail: CLIENT_EMAIL, publicKey: key.publicKey, tables: { 'my_project.analytics.events': allTypesTable(), 'test-project.ds.events': allTypesTable() } });
  secrets = await startSecretsManager({ 'gcp-bigquery': keyFileText(key, server.tokenUri) });
  s3 = await startS3rver(['my-bucket']);
  dir = await mkdtemp(join(tmpdir(), 'fastlane-bq-err-'));
  keyFile = await writeKeyFile(dir, key, server.tokenUri);
  Object.assign(process.env, { AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true' });
});

afterAll(async () => {
  await server?.close();
  await secrets?.close();
  await s3?.stop();
  await rm(dir, { recursive: true, force: true });
});

let configs = 0;

/** Runs the CLI on a config whose source is `source` and whose target is a Parquet folder. */
async function cli(command: 'run' | 'validate', source: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const config = join(dir, `config-${++configs}.json`);
  await writeFile(config, JSON.stringify({
    source: { bigquery: source },
    transform: { add_op_fields: false },
    target: { file: { path: join(dir, `out-${configs}`), format: 'parquet' } },
    replication_mode: 'FULL_TABLE',
    ...extra,
  }));
  const logFile = join(dir, `log-${configs}.jsonl`);
  const options = command === 'run' ? [`--state-dir=${dir}`, '--progress=off', `--logs_to_file=${logFile}`] : [];
  const result = await runCli([command, `--config=${config}`, ...options]);
  const log = await readFile(logFile, 'utf8').catch(() => '');
  return { ...result, output: `${result.stderr}${result.stdout}${log}` };
}

describe("the seed's bigquery_to_athena_example.json", () => {
  const fixture = join(SEED_EXAMPLES, 'bigquery_to_athena_example.json');

  test('validates with its seed command line', async () => {
    const result = await runCli(['validate', '--source=bigquery', '--target=s3', `--config=${fixture}`]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('pipeline my-bucket.ios_app_events.bigquery.s3');
  });

  test('runs against the test servers: the key from the Secrets Manager secret, Parquet into S3', async () => {
    const example = JSON.parse(await readFile(fixture, 'utf8')) as { source: { bigquery: object }; target: { athena: object } };
    const config = join(dir, 'seed-example.json');
    await writeFile(config, JSON.stringify({
      ...example,
      source: { bigquery: { ...example.source.bigquery, endpoint: server.url } },
      target: { athena: { ...example.target.athena, endpoint: s3.endpoint, force_path_style: true, ...S3RVER_CREDENTIALS } },
    }));
    const result = await runCli(['run', '--source=bigquery', '--target=s3', `--config=${config}`, `--state-dir=${dir}`, '--progress=off']);
    expect(result.stderr).not.toContain('PRIVATE KEY');
    expect(result.code).toBe(0);
    const listed = await s3.client().send(new ListObjectsV2Command({ Bucket: 'my-bucket' }));
    expect((listed.Contents ?? []).some((o) => o.Key?.endsWith('.parquet'))).toBe(true);
    expect(secrets.requests.some((r) => r.body.SecretId === 'gcp-bigquery')).toBe(true);
  });
});

describe('BigQuery failures: clear errors and exit codes', () => {
  test('a key the token endpoint does not accept: FL_CONNECT, exit 1, the key never printed', async () => {
    const other = join(dir, 'other-key.json');
    await writeFile(other, keyFileText(testKey(), server.tokenUri));
    const result = await cli('run', serverSection(server, other, 'events'));
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/FL_CONNECT.*token endpoint http:\/\/127\.0\.0\.1:\d+\/token refused service account fastlane-test@.*invalid_grant: Invalid JWT Signature/s);
    expect(result.output).not.toContain('PRIVATE KEY');
  });

  test('a key file that is not a service-account key: FL_CONNECT, exit 1', async () => {
    const bad = join(dir, 'not-a-key.json');
    await writeFile(bad, JSON.stringify({ type: 'authorized_user', refresh_token: 'secret-token' }));
    const result = await cli('run', serverSection(server, bad, 'events'));
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/FL_CONNECT.*is not a service-account key: it needs client_email and private_key/s);
    expect(result.output).not.toContain('secret-token');
  });

  test('a missing table: FL_SOURCE naming what to check, exit 1', async () => {
    const result = await cli('run', serverSection(server, keyFile, 'no_such_table'));
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/FL_SOURCE.*test-project\.ds\.no_such_table: reading the table schema: not found.*check source\.bigquery\.gcp_project, dataset_id and table_id/s);
  });

  test('a key that is not a column: FL_SOURCE, exit 1', async () => {
    const result = await cli('run', serverSection(server, keyFile, 'events', { key: 'nope' }));
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/source\.bigquery\.key 'nope' is not a column of the input/);
  });

  test('INCREMENTAL without a key: FL_CONFIG_INVALID before any request, exit 1', async () => {
    const before = server.requests.length;
    const result = await cli('run', serverSection(server, keyFile, 'events'), { replication_mode: 'INCREMENTAL' });
    expect(result.code).toBe(1);
    expect(server.requests.length).toBe(before);
    expect(result.output).toMatch(/FL_CONFIG_INVALID.*INCREMENTAL run from BigQuery needs source\.bigquery\.key/);
  });

  test.each([
    ['dataset_id', { dataset_id: 'ds`; DROP TABLE x; --' }],
    ['table_id', { table_id: 'events` WHERE 1=1; --' }],
    ['table_id', { table_id: 'a\\`b' }],
    ['key', { key: 'id` > 0 OR `id' }],
    ['gcp_project', { gcp_project: 'p`.x' }],
  ])('a hostile %s is refused before anything connects: exit 2', async (field, hostile) => {
    const before = server.requests.length;
    const result = await cli('validate', { ...serverSection(server, keyFile, 'events'), ...hostile });
    expect(result.code).toBe(2);
    expect(result.output).toContain(field);
    expect(server.requests.length).toBe(before);
  });

  test('a table named with spaces, dashes and letters beyond ASCII is quoted, not refused', async () => {
    server.tables.set('test-project.ds.Événements du-jour', allTypesTable());
    const result = await cli('run', serverSection(server, keyFile, 'Événements du-jour', { key: 'id' }));
    expect(result.code).toBe(0);
    const query = server.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/queries')).at(-1);
    expect(query?.body?.query).toBe('SELECT * FROM `test-project.ds.Événements du-jour` ORDER BY `id`');
  });

  test('a query and a table at once, or neither: exit 2', async () => {
    const both = await cli('validate', { ...serverSection(server, keyFile, 'events'), query: 'SELECT 1' });
    expect(both.code).toBe(2);
    const neither = await cli('validate', { gcp_project: 'p', credentials_file: keyFile });
    expect(neither.code).toBe(2);
    expect(neither.output).toMatch(/table_id|query/);
  });
});
