import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { createTestDatabase, mysqlSection, type TestDatabase } from '../support/mysql-db.js';
import { withTempDir } from '../support/pipeline.js';

async function check(dir: string, config: Record<string, unknown>): Promise<{ code: number; stdout: string; stderr: string }> {
  const file = join(dir, 'pipeline.json');
  await writeFile(file, JSON.stringify({ replication_mode: 'FULL_TABLE', transform: { add_op_fields: false }, ...config }));
  return runCli(['check', `--config=${file}`]);
}

describe('fastlane check: file source and target', () => {
  it('exits 0 when the file has the key and the declared columns and the folder is writable', async () => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, 'in.csv'), 'id,amount\n1,2.50\n');
      const result = await check(dir, { source: { file: { path: join(dir, 'in.csv'), key: 'id', columns: { amount: 'decimal(10,2)' } } }, target: { file: { path: join(dir, 'out', 'orders') } } });
      expect(result.stdout).toMatch(/source file: ok\ntarget file: ok\npipeline file\.orders\.file\.file is ready to run/);
      expect(result.code).toBe(0);
    });
  });

  it('exits 1 naming each problem: a missing key column, a declared column the file lacks', async () => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, 'in.csv'), 'id,amount\n1,2.50\n');
      const result = await check(dir, { source: { file: { path: join(dir, 'in.csv'), key: 'rowid', columns: { price: 'utf8' } } }, target: { file: { path: join(dir, 'out') } } });
      expect(result.stdout).toMatch(/source file: column 'rowid' \(the key\) is not in the header of .*in\.csv; its columns: id, amount/);
      expect(result.stdout).toMatch(/source file: column 'price' \(in columns\) is not in the header/);
      expect(result.stdout).toMatch(/2 problems found/);
      expect(result.code).toBe(1);
    });
  });

  it('exits 2 for a bad config, connecting nowhere', async () => {
    await withTempDir(async (dir) => {
      const result = await check(dir, { source: { file: { path: 'x.csv', batch_size: 0 } }, target: { file: { path: 'out' } } });
      expect(result.stderr).toMatch(/source\.file\.batch_size: must be >= 1/);
      expect(result.code).toBe(2);
    });
  });
});

describe('fastlane check: MySQL source and target', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('check');
    await db.query('CREATE TABLE src (id INT PRIMARY KEY, label VARCHAR(10))');
    await db.query('CREATE TABLE dst (other INT PRIMARY KEY)');
  });
  afterAll(async () => db.drop());

  it('exits 0 when tables, key and columns exist and the user may read and write', async () => {
    await withTempDir(async (dir) => {
      const result = await check(dir, { source: { mysql: mysqlSection(db.name, 'src', { columns: ['id', 'label'] }) }, target: { mysql: mysqlSection(db.name, 'new_table', { load_method: 'insert' }) } });
      expect(result.stdout).toMatch(/source mysql: ok\ntarget mysql: ok\n/);
      expect(result.code).toBe(0);
      expect(await db.query("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME LIKE '\\_fastlane\\_check%'", [db.name])).toEqual([]);
    });
  });

  it('names a missing table, a missing column, a target table without the key, and a missing database', async () => {
    await withTempDir(async (dir) => {
      const missingTable = await check(dir, { source: { mysql: mysqlSection(db.name, 'nope') }, target: { mysql: mysqlSection(`${db.name}_none`, 't', { load_method: 'insert' }) } });
      expect(missingTable.stdout).toMatch(new RegExp(`source mysql: table ${db.name}\\.nope does not exist`));
      expect(missingTable.stdout).toMatch(new RegExp(`target mysql: database '${db.name}_none' does not exist`));
      expect(missingTable.code).toBe(1);
      const wrongColumns = await check(dir, { source: { mysql: mysqlSection(db.name, 'src', { columns: ['id', 'amount'] }) }, target: { mysql: mysqlSection(db.name, 'dst', { load_method: 'insert' }) } });
      expect(wrongColumns.stdout).toMatch(/source mysql: column 'amount' \(in columns\) is not in .*src; its columns: id, label/);
      expect(wrongColumns.stdout).toMatch(/target mysql: the key 'id' is not a column of .*dst; its columns: other/);
      expect(wrongColumns.code).toBe(1);
    });
  });

  it('names refused credentials and an unreachable server as problems (exit 1)', async () => {
    await withTempDir(async (dir) => {
      const result = await check(dir, {
        source: { mysql: mysqlSection(db.name, 'src', { username: 'fastlane_no_such_user', password: 'wrong' }) },
        target: { mysql: mysqlSection(db.name, 'dst', { port: 1 }) },
      });
      expect(result.stdout).toMatch(/source mysql: FL_CONNECT: MySQL refused fastlane_no_such_user@127\.0\.0\.1:3306: check source\.mysql\.username and source\.mysql\.password/);
      expect(result.stdout).toMatch(/target mysql: FL_CONNECT: cannot reach MySQL at 127\.0\.0\.1:1/);
      expect(result.code).toBe(1);
    });
  });
});
