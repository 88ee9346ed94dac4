import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawnCli } from '../support/cli.js';
import { withTempDir } from '../support/pipeline.js';
import { createTestDatabase, exactRows, type TestDatabase } from '../support/mysql-db.js';
import { createKeyedTable } from '../support/mysql-fixtures.js';
import { startSecretsManager, type SecretsManagerServer } from '../servers/secrets-manager.js';

const USER = `fl_secret_${process.pid}`;
const PASSWORD = `Pw-${process.pid}-${Date.now()}-not-logged`;
let db: TestDatabase;
let secrets: SecretsManagerServer;

beforeAll(async () => {
  db = await createTestDatabase('sec');
  await createKeyedTable(db, 'src', [1, 5, 9]);
  await db.query(`CREATE USER '${USER}'@'%' IDENTIFIED BY '${PASSWORD}'`);
  await db.query(`GRANT ALL ON \`${db.name}\`.* TO '${USER}'@'%'`);
  const credentials = JSON.stringify({ host: '127.0.0.1', port: 3306, username: USER, password: PASSWORD });
  secrets = await startSecretsManager({ 'fastlane/mysql': credentials, 'fastlane/not-json': 'host=x' });
});

afterAll(async () => {
  await db?.query(`DROP USER IF EXISTS '${USER}'@'%'`);
  await db?.drop();
  await secrets?.close();
});

/** Runs the CLI with both sections reading their credentials from `secret`. */
async function runWithSecret(secret: string) {
  return withTempDir(async (dir) => {
    const config = join(dir, 'config.json');
    const section = (table: string) => ({ secret, secret_region: 'us-east-1', db: db.name, table, key: 'id' });
    await writeFile(config, JSON.stringify({
      source: { mysql: section('src') },
      replication_mode: 'FULL_TABLE',
      transform: { add_op_fields: false },
      target: { mysql: { ...section('dst'), concurrency: 1 } },
    }));
    const logFile = join(dir, 'log.jsonl');
    const env = { AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_EC2_METADATA_DISABLED: 'true' };
    // A process of its own: loader threads read the endpoint from the real environment.
    const result = await spawnCli(['run', `--config=${config}`, `--state-dir=${dir}`, `--logs_to_file=${logFile}`], env).done;
    // The log file must exist and hold the run's lines: a missing file would make "never logged" pass.
    const log = await readFile(logFile, 'utf8');
    expect(log.trim().length).toBeGreaterThan(0);
    return { ...result, output: `${result.stderr}${result.stdout}${log}` };
  });
}

describe('MySQL credentials from AWS Secrets Manager', () => {
  test('host, port, username and password come from the secret; the password is never logged', async () => {
    const result = await runWithSecret('fastlane/mysql');
    expect(result.output).not.toContain(PASSWORD);
    expect(result.code).toBe(0);
    expect(await exactRows(db, db.name, 'dst')).toEqual(await exactRows(db, db.name, 'src'));
    const asked = secrets.requests.filter((r) => r.body.SecretId === 'fastlane/mysql');
    expect(asked.length).toBeGreaterThanOrEqual(2);
    expect(asked.every((r) => r.target === 'secretsmanager.GetSecretValue')).toBe(true);
  });

  test.each([
    ['a missing secret', 'fastlane/missing', /FL_CONNECT.*cannot read the secret 'fastlane\/missing'.*check its name, secret_region/s],
    ['a secret that is not JSON', 'fastlane/not-json', /FL_CONNECT.*secret 'fastlane\/not-json' is not a JSON object/s],
  ])('%s: a clear error, exit 1', async (_label, secret, message) => {
    const result = await runWithSecret(secret);
    expect(result.code).toBe(1);
    expect(result.output).toMatch(message);
  });
});
