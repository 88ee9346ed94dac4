import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawnCli } from '../support/cli.js';
import { withTempDir } from '../support/pipeline.js';
import { createTestDatabase, exactRows, type TestDatabase } from '../support/mysql-db.js';
import { createKeyedTable } from '../support/mysql-fixtures.js';
import { S3RVER_CREDENTIALS, startS3rver, type LocalS3 } from '../support/s3rver.js';
import { startSecretsManager, type SecretsManagerServer } from '../servers/secrets-manager.js';
import { startTestServer, type TestServer } from '../server/app.js';
import { queryDatabase } from '../server/database.js';

/**
 * Pipelines with known secrets (config values, ${env:...}, Secrets Manager, a password in a URL,
 * tokens and secret keys) through success and every failure path; every output is searched for
 * them: stdout, stderr, the log file, and everything the metrics server stored.
 */
const TAG = `${process.pid}x${Date.now() % 1_000_000}`;
const SECRETS = {
  config: `CfgPw-${TAG}-q9`,
  env: `EnvPw-${TAG}-w8`,
  manager: `SmPw-${TAG}-e7`,
  wrong: `WrongPw-${TAG}-r6`,
  url: `UrlPw-${TAG}-t5`,
  apiToken: `ApiTok-${TAG}-y4`,
  s3Key: `S3Key-${TAG}-u3`,
  influxToken: `InfTok-${TAG}-i2`,
} as const;
const USERS = { config: `fl_sc_${process.pid}`, env: `fl_se_${process.pid}`, manager: `fl_sm_${process.pid}` };

let db: TestDatabase;
let secretsManager: SecretsManagerServer;
let server: TestServer;
let apiUrl: string;
let s3: LocalS3;
let closedPort: number;
const outputs: { label: string; text: string }[] = [];
/** A CLI run in a process of its own takes tens of seconds on a loaded 2-core machine: a bound, not a measure. */
const RUN_TIMEOUT = 600_000;

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

beforeAll(async () => {
  db = await createTestDatabase('secrets');
  await createKeyedTable(db, 'src', [1, 2, 3, 5, 8]);
  for (const [kind, user] of Object.entries(USERS)) {
    await db.query(`CREATE USER '${user}'@'%' IDENTIFIED BY '${SECRETS[kind as keyof typeof USERS]}'`);
    await db.query(`GRANT ALL ON \`${db.name}\`.* TO '${user}'@'%'`);
  }
  secretsManager = await startSecretsManager({ 'fastlane/db': JSON.stringify({ host: '127.0.0.1', port: 3306, username: USERS.manager, password: SECRETS.manager }) });
  server = await startTestServer({ token: SECRETS.apiToken });
  apiUrl = await server.app.listen({ host: '127.0.0.1', port: 0 });
  s3 = await startS3rver(['fastlane-secrets']);
  closedPort = await freePort();
}, 120_000);

afterAll(async () => {
  for (const user of Object.values(USERS)) await db?.query(`DROP USER IF EXISTS '${user}'@'%'`);
  await db?.drop();
  await secretsManager?.close();
  await server?.close();
  await s3?.stop();
});

const viaConfig = (extra: Record<string, unknown> = {}) => ({ host: '127.0.0.1', port: 3306, username: USERS.config, password: SECRETS.config, db: db.name, table: 'src', key: 'id', ...extra });
const viaEnv = (extra: Record<string, unknown> = {}) => ({ host: '127.0.0.1', port: 3306, username: USERS.env, password: '${env:FL_TEST_DB_PASSWORD}', db: db.name, table: 'dst', key: 'id', concurrency: 1, ...extra });
const viaManager = (table: string, extra: Record<string, unknown> = {}) => ({ secret: 'fastlane/db', secret_region: 'us-east-1', db: db.name, table, key: 'id', ...extra });

/** Runs the CLI in a process of its own with every secret in reach, reporting to the metrics server. */
async function runPipeline(label: string, source: Record<string, unknown>, target: Record<string, unknown>, api = apiUrl): Promise<number> {
  return withTempDir(async (dir) => {
    const config = join(dir, 'config.json');
    await writeFile(config, JSON.stringify({ replication_mode: 'FULL_TABLE', source, transform: { add_op_fields: false }, target }));
    const logFile = join(dir, 'log.jsonl');
    const env = {
      FL_TEST_DB_PASSWORD: SECRETS.env,
      FASTLANE_API_TOKEN: SECRETS.apiToken,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.url,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    const result = await spawnCli(['run', `--config=${config}`, `--state-dir=${dir}`, `--logs_to_file=${logFile}`, '--progress=log', `--api=${api}`, '--api-interval=0.1'], env).done;
    // The log file must exist and hold the run's lines, or "never logged" would prove nothing.
    const log = await readFile(logFile, 'utf8').catch((error: Error) => {
      throw new Error(`${label}: no log file (${error.message}); exit ${result.code}, stderr: ${result.stderr}`);
    });
    expect(log).toMatch(/(completed|failed): /);
    outputs.push({ label: `${label} stdout`, text: result.stdout }, { label: `${label} stderr`, text: result.stderr }, { label: `${label} log file`, text: log });
    return result.code;
  });
}

/** The secrets found in `text`, by name. */
function leaked(text: string): string[] {
  return Object.entries(SECRETS).filter(([, secret]) => text.includes(secret)).map(([name]) => name);
}

function expectNoLeak(): void {
  expect(outputs.map(({ label, text }) => ({ label, leaked: leaked(text) }))).toEqual(outputs.map(({ label }) => ({ label, leaked: [] })));
}

describe('secrets never reach an output', () => {
  test('success: passwords from the config and from ${env:...}', async () => {
    expect(await runPipeline('success', { mysql: viaConfig() }, { mysql: viaEnv() })).toBe(0);
    expect(await exactRows(db, db.name, 'dst')).toEqual(await exactRows(db, db.name, 'src'));
    expectNoLeak();
  }, RUN_TIMEOUT);

  test('success: credentials from Secrets Manager', async () => {
    expect(await runPipeline('secrets manager', { mysql: viaManager('src') }, { mysql: viaManager('dst_sm', { concurrency: 1 }) })).toBe(0);
    expect(await exactRows(db, db.name, 'dst_sm')).toEqual(await exactRows(db, db.name, 'src'));
    expectNoLeak();
  }, RUN_TIMEOUT);

  test.each([
    ['a bad host', () => ({ mysql: viaConfig({ port: closedPort }) }), () => ({ mysql: viaEnv() })],
    ['a bad password', () => ({ mysql: viaConfig({ password: SECRETS.wrong }) }), () => ({ mysql: viaEnv() })],
    ['a missing table', () => ({ mysql: viaConfig({ table: 'no_such_table' }) }), () => ({ mysql: viaEnv() })],
    ['a target that fails (missing database)', () => ({ mysql: viaConfig() }), () => ({ mysql: viaEnv({ db: 'fl_no_such_database' }) })],
    ['a target with a bad password', () => ({ mysql: viaConfig() }), () => ({ mysql: viaEnv({ password: SECRETS.wrong }) })],
    ['an S3 target that is down, with a secret key', () => ({ mysql: viaConfig() }), () => ({ s3: { bucket: 'fastlane-secrets', table: 't', endpoint: `http://127.0.0.1:${closedPort}`, force_path_style: true, access_key_id: 'S3RVER', secret_access_key: SECRETS.s3Key, max_attempts: 1 } })],
    ['an S3 target whose bucket is missing, with a secret key', () => ({ mysql: viaConfig() }), () => ({ s3: { bucket: 'no-such-bucket', table: 't', endpoint: s3.endpoint, force_path_style: true, ...S3RVER_CREDENTIALS, session_token: SECRETS.s3Key, max_attempts: 1 } })],
    ['an InfluxDB target that is down, with a token', () => ({ mysql: viaConfig() }), () => ({ influxdb: { url: `http://127.0.0.1:${closedPort}`, token: SECRETS.influxToken, org: 'o', bucket: 'b', measurement: 'm', max_retries: 0 } })],
  ])('failure: %s exits 1 and names no secret', async (label, source, target) => {
    expect(await runPipeline(label, source(), target())).toBe(1);
    expectNoLeak();
  }, RUN_TIMEOUT);

  test('a password in the metrics server URL is not shown', async () => {
    const withPassword = apiUrl.replace('http://', `http://fastlane:${SECRETS.url}@`);
    const code = await runPipeline('api url password', { mysql: viaConfig() }, { mysql: viaEnv({ table: 'dst_url' }) }, withPassword);
    expect(code).toBe(0);
    expectNoLeak();
  }, RUN_TIMEOUT);

  test('the metrics server stored the runs, and none of the secrets', async () => {
    const tables = await queryDatabase(server.db.url, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
    let stored = '';
    for (const { table_name: table } of tables) {
      const rows = await queryDatabase(server.db.url, `SELECT row_to_json(t)::text AS row FROM "${String(table)}" t`);
      stored += rows.map((r) => String(r.row)).join('\n');
    }
    // The runs reached the server (so the search below is not vacuous), failures among them.
    const statuses = (await queryDatabase(server.db.url, 'SELECT status FROM pipeline_run')).map((r) => String(r.status)).sort();
    expect({ statuses, many: statuses.length >= 6, failed: statuses.filter((s) => s === 'failed').length >= 3 }).toEqual({ statuses, many: true, failed: true });
    // The stored configs show that passwords were set, masked (jsonb prints `"key": "value"`).
    expect(stored).toMatch(/"password": ?"\*{8}"/);
    expect(leaked(stored)).toEqual([]);
    expect(outputs.length).toBeGreaterThanOrEqual(30);
  });
});
