import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { runCli } from '../support/cli.js';
import { runConfig, withTempDir } from '../support/pipeline.js';
import { columnTypes, createTestDatabase, exactRows, mysqlSection, type TestDatabase } from '../support/mysql-db.js';
import { createKeyedTable } from '../support/mysql-fixtures.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('err');
  await createKeyedTable(db, 'src', [1, 2, 3]);
  await db.query('CREATE TABLE canary (id INT PRIMARY KEY)');
  await db.query('CREATE TABLE null_keys (id INT NULL, label VARCHAR(10), UNIQUE KEY (id))');
  await db.query("INSERT INTO null_keys VALUES (NULL, 'a'), (NULL, 'b'), (1, 'c')");
});

afterAll(async () => {
  await db?.drop();
});

/** Runs the CLI on a MySQL -> MySQL config whose sections are changed by `source` and `target`. */
async function runWith(source: Record<string, unknown>, target: Record<string, unknown> = {}) {
  return withTempDir(async (dir) => {
    const config = join(dir, 'config.json');
    await writeFile(config, JSON.stringify({
      source: { mysql: mysqlSection(db.name, 'src', source) },
      replication_mode: 'FULL_TABLE',
      transform: { add_op_fields: false },
      target: { mysql: mysqlSection(db.name, 'dst', { concurrency: 1, ...target }) },
    }));
    const logFile = join(dir, 'log.jsonl');
    const result = await runCli(['run', `--config=${config}`, '--source=mysql', '--target=mysql', `--state-dir=${dir}`, `--logs_to_file=${logFile}`]);
    const log = await readFile(logFile, 'utf8').catch(() => '');
    return { ...result, output: `${result.stderr}${result.stdout}${log}` };
  });
}

async function tables(): Promise<string[]> {
  const rows = (await db.query('SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY 1', [db.name])) as { name: string }[];
  return rows.map((r) => r.name);
}

describe('MySQL connectors, bad input', () => {
  test.each([
    ['a wrong password', { password: 'not-the-password' }, {}, /FL_CONNECT.*refused .*check source\.mysql\.username and source\.mysql\.password/s],
    ['a wrong target password', {}, { password: 'not-the-password' }, /FL_CONNECT.*check target\.mysql\.username and target\.mysql\.password/s],
    ['a missing table', { table: 'no_such_table' }, {}, /FL_SOURCE.*no_such_table does not exist.*check source\.mysql\.db, source\.mysql\.table/s],
    ['a missing key column', { key: 'no_such_column' }, {}, /FL_SOURCE.*key 'no_such_column' is not a column of .*src; its columns: id, label, amount/s],
    ['an unreachable host', { port: 1 }, {}, /FL_CONNECT.*cannot reach MySQL at 127\.0\.0\.1:1 \(ECONNREFUSED\): check source\.mysql\.host, source\.mysql\.port/s],
    ['a missing target database', {}, { db: 'fl_no_such_database' }, /FL_TARGET.*database 'fl_no_such_database' does not exist/s],
    ['a key column holding NULL', { table: 'null_keys', batch_size: 2 }, {}, /FL_SOURCE_DATA.*key column 'id' holds NULL: choose a NOT NULL, unique key/s],
  ])('%s: a clear error, exit 1, nothing written', async (_label, source, target, message) => {
    const result = await runWith(source, target);
    expect(result.code).toBe(1);
    expect(result.output).toMatch(message);
    expect(await tables()).toEqual(['canary', 'null_keys', 'src']);
  });

  test.each([
    ['table', { table: 'src`; DROP TABLE canary; --' }, {}],
    ['key', { key: "id' OR 1=1; --" }, {}],
    ['target table', {}, { table: 'dst;DROP TABLE canary' }],
    ['column list', { columns: ['id', 'label`, (SELECT 1)'] }, {}],
  ])('a %s name with a backquote, quote or ; is refused before connecting (exit 2)', async (_label, source, target) => {
    const result = await runWith(source, target);
    expect(result.code).toBe(2);
    expect(result.output).toMatch(/FL_CONFIG_INVALID/);
    expect(await tables()).toEqual(['canary', 'null_keys', 'src']);
  });

  test('column names with backquotes, quotes and ; in the source are quoted, never run', async () => {
    await db.query("CREATE TABLE hostile (id INT PRIMARY KEY, `we``ird; DROP TABLE canary; --` VARCHAR(10), `quo'te\"s` INT)");
    await db.query("INSERT INTO hostile VALUES (1, 'a', 1), (2, NULL, 2)");
    const summary = await runConfig({
      source: { mysql: mysqlSection(db.name, 'hostile') },
      transform: { add_op_fields: false },
      target: { mysql: mysqlSection(db.name, 'hostile_copy', { concurrency: 1 }) },
    });
    expect(summary.error).toBeUndefined();
    expect(await columnTypes(db, db.name, 'hostile_copy')).toEqual(await columnTypes(db, db.name, 'hostile'));
    expect(await exactRows(db, db.name, 'hostile_copy')).toEqual(await exactRows(db, db.name, 'hostile'));
    expect(await tables()).toContain('canary');
  });
});
