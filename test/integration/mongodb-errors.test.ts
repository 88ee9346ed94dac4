import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { runCli } from '../support/cli.js';
import { withTempDir } from '../support/pipeline.js';
import { MONGO_USER, startTestMongo, type TestMongo } from '../support/mongodb.js';
import { MongoClient } from 'mongodb';
import { startMongoServer, type MongoTestServer } from '../servers/mongodb.js';

let mongo: TestMongo;

beforeAll(async () => {
  mongo = await startTestMongo('err');
  await mongo.db.collection('items').insertMany([{ n: 1 }, { n: 2 }]);
});

afterAll(async () => {
  await mongo?.stop();
});

/** Runs the CLI in this process on a config of mongodb -> ndjson file. */
async function run(section: Record<string, unknown>, command: 'run' | 'validate' = 'run'): Promise<{ code: number; output: string; rows: string }> {
  return withTempDir(async (dir) => {
    const config = join(dir, 'config.json');
    await writeFile(config, JSON.stringify({ source: { mongodb: section }, transform: { add_op_fields: false }, target: { file: { path: join(dir, 'out'), format: 'ndjson', concurrency: 1 } }, replication_mode: 'FULL_TABLE' }));
    const extra = command === 'run' ? [`--state-dir=${dir}`, `--logs_to_file=${join(dir, 'log.txt')}`] : [];
    const result = await runCli([command, `--config=${config}`, ...extra]);
    const log = await readFile(join(dir, 'log.txt'), 'utf8').catch(() => '');
    const files = (await readdir(join(dir, 'out')).catch(() => [] as string[])).filter((f) => f.endsWith('.ndjson'));
    const rows = files.length === 1 ? await readFile(join(dir, 'out', files[0]), 'utf8') : '';
    return { code: result.code, output: `${result.stderr}${result.stdout}${log}`, rows };
  });
}

describe('MongoDB source: config errors exit 2 before connecting', () => {
  test("the seed's eval entries (flag 1) are refused, showing the JSON filter to write instead", async () => {
    const result = await run(mongo.section('items', { filter_fields: [['n', '$gt', 'int("1")', 1], ['tag', 'x', 'None', 0]] }), 'validate');
    expect(result.code).toBe(2);
    expect(result.output).toContain('FL_CONFIG_INVALID');
    expect(result.output).toContain('{"n":{"$gt":"int(\\"1\\")"},"tag":"x"}');
    expect(result.output).toMatch(/never does/);
  });

  test.each([
    ['$where', { $where: 'this.n > 1' }],
    ['$function inside $expr', { $expr: { $function: { body: 'return true', args: [], lang: 'js' } } }],
  ])('a filter with server-side JavaScript (%s) is refused', async (_label, filter) => {
    const result = await run(mongo.section('items', { filter_fields: filter }), 'validate');
    expect(result.code).toBe(2);
    expect(result.output).toMatch(/runs JavaScript on the server/);
  });

  test('Extended JSON that does not parse is refused', async () => {
    const result = await run(mongo.section('items', { filter_fields: { n: { $numberLong: 'twelve' } } }), 'validate');
    expect(result.code).toBe(2);
    expect(result.output).toMatch(/FL_CONFIG_INVALID.*Extended JSON/s);
  });

  test.each([
    ['database', 'a.b'], ['database', 'x$'], ['database', 'sp ace'], ['database', 'quo"te'], ['database', ''],
    ['collection', 'system.users'], ['collection', 'a$b'], ['replication_key', '$where'], ['replication_key', 'a\u0000b'],
  ])('a %s named %j is refused', async (field, name) => {
    const result = await run(mongo.section('items', { [field]: name }), 'validate');
    expect(result.code).toBe(2);
    expect(result.output).toContain(`source.mongodb.${field}`);
  });

  test('a host with connection-string syntax in it is refused, not spliced into a URI', async () => {
    const result = await run({ ...mongo.section('items'), host: 'evil/?authSource=x&tls=false', port: 27017, uri: undefined });
    expect(result.code).toBe(2);
    expect(result.output).toMatch(/FL_CONFIG_INVALID.*source.mongodb.host/s);
  });
});

describe('MongoDB source: run failures exit 1 with the cause', () => {
  test('a collection that does not exist (checked with listCollections)', async () => {
    const result = await run(mongo.section('nothing_here'));
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/FL_SOURCE.*collection 'nothing_here' does not exist in database/s);
  });

  test('names with quotes, dots, Unicode and a field named like an operator are read safely', async () => {
    const name = 'we"ird \'coll\'.ünï ✓';
    await mongo.db.collection(name).insertMany([{ 'a"b': 1, 'dot.ted': 'x', ünï: '✓', '$dollar': 2 } as Record<string, unknown>]);
    const result = await run(mongo.section(name));
    expect(result.output).toMatch(/completed: .* rows extracted 1, transformed 1, loaded 1/);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.rows)).toEqual({ 'a"b': 1, 'dot.ted': 'x', ünï: '✓', $dollar: 2 });
  });

  test('unreachable server: a bounded wait, then FL_CONNECT', async () => {
    const result = await run({ host: '127.0.0.1', port: 1, database: 'd', collection: 'c', timeout_ms: 500 });
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/FL_CONNECT.*cannot reach MongoDB at 127.0.0.1:1 within 500 ms/s);
  });
});

describe('MongoDB source: credentials and a server that stops answering (a test server of its own)', () => {
  let server: MongoTestServer;

  beforeAll(async () => {
    server = await startMongoServer({ users: { [MONGO_USER.user]: MONGO_USER.password } });
    const client = new MongoClient(`mongodb://127.0.0.1:${server.port}/`, { directConnection: true, auth: { username: MONGO_USER.user, password: MONGO_USER.password } });
    await client.db('d').collection('c').insertMany([{ n: 1 }]);
    await client.close();
  });

  afterAll(async () => {
    await server?.stop();
  });

  const section = (extra: Record<string, unknown>) => ({ host: '127.0.0.1', port: server.port, database: 'd', collection: 'c', ...MONGO_USER, ...extra });

  test('wrong credentials: FL_CONNECT naming the user, never the password', async () => {
    const result = await run(section({ password: 'not-the-password-4711' }));
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/FL_CONNECT.*refused the credentials of user 'mongo'/s);
    expect(result.output).not.toContain('not-the-password-4711');
  });

  test('a server that stops answering mid-run: the wait is bounded, the run fails', async () => {
    server.silent = true;
    try {
      const result = await run(section({ timeout_ms: 500 }));
      expect(result.code).toBe(1);
      expect(result.output).toMatch(/FL_SOURCE.*MongoDB (did not answer|failed) the sample/s);
    } finally {
      server.silent = false;
    }
  });
});
