import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { makeVector, Table, vectorFromArray, type Vector } from 'apache-arrow';
import { builtinRegistry } from '../../src/connectors/index.js';
import { parseConfig } from '../../src/config/load.js';
import { rowsToPoints } from '../../src/connectors/influxdb/lines.js';
import type { InfluxdbTargetConfig } from '../../src/connectors/influxdb/config.js';
import { runCli } from '../support/cli.js';
import { withTempDir } from '../support/pipeline.js';
import { createTestDatabase, mysqlSection, type TestDatabase } from '../support/mysql-db.js';
import { createKeyedTable } from '../support/mysql-fixtures.js';

/**
 * Names from configs with quotes, backquotes, semicolons, comments and Unicode, for every
 * connector: refused as config errors where they reach SQL or object keys, written literally
 * (escaped) where the target's protocol can carry them, and never a second statement.
 */
const HOSTILE = [
  'a`b', "a'b", 'a"b', 'a;b', 'a -- b', 'a/*c*/b', 'a#b', 'tablé', 'données😀', 'a\nb', 'a\\b', ' a',
  'src`; DROP TABLE canary; --', "src'; DROP TABLE canary; --", 'src/**/UNION/**/SELECT', 'src\u0000',
];

const MYSQL_SECTION = { host: '127.0.0.1', port: 3306, username: 'root', password: '', db: 'd', table: 't', key: 'id' };
const S3_SECTION = { bucket: 'my-bucket', table: 't', endpoint: 'http://127.0.0.1:9', force_path_style: true };

/** Where a name goes, and the config that puts it there. */
const PLACES: [string, (name: string) => Record<string, unknown>][] = [
  ['source.mysql.db', (name) => ({ source: { mysql: { ...MYSQL_SECTION, db: name } }, target: { mysql: MYSQL_SECTION } })],
  ['source.mysql.table', (name) => ({ source: { mysql: { ...MYSQL_SECTION, table: name } }, target: { mysql: MYSQL_SECTION } })],
  ['source.mysql.key', (name) => ({ source: { mysql: { ...MYSQL_SECTION, key: name } }, target: { mysql: MYSQL_SECTION } })],
  ['source.mysql.columns', (name) => ({ source: { mysql: { ...MYSQL_SECTION, columns: ['id', name] } }, target: { mysql: MYSQL_SECTION } })],
  ['target.mysql.db', (name) => ({ source: { mysql: MYSQL_SECTION }, target: { mysql: { ...MYSQL_SECTION, db: name } } })],
  ['target.mysql.table', (name) => ({ source: { mysql: MYSQL_SECTION }, target: { mysql: { ...MYSQL_SECTION, table: name } } })],
  ['target.mysql.key', (name) => ({ source: { mysql: MYSQL_SECTION }, target: { mysql: { ...MYSQL_SECTION, key: name } } })],
  ['target.s3.bucket', (name) => ({ source: { mysql: MYSQL_SECTION }, target: { s3: { ...S3_SECTION, bucket: name } } })],
  ['target.s3.table', (name) => ({ source: { mysql: MYSQL_SECTION }, target: { s3: { ...S3_SECTION, table: name } } })],
  ['target.s3.prefix', (name) => ({ source: { mysql: MYSQL_SECTION }, target: { s3: { ...S3_SECTION, prefix: name } } })],
  ['target.s3.partition_column', (name) => ({ source: { mysql: MYSQL_SECTION }, target: { s3: { ...S3_SECTION, partition_by: 'column', partition_column: name } } })],
  ['target.firehose.delivery_stream', (name) => ({ source: { mysql: MYSQL_SECTION }, target: { firehose: { delivery_stream: name, endpoint: 'http://127.0.0.1:9' } } })],
];

const registry = builtinRegistry();

function validate(config: Record<string, unknown>): void {
  parseConfig({ replication_mode: 'INCREMENTAL', ...config }, 'hostile.json', { registry, transformType: 'default', env: {} });
}

/** The code of the error a call throws and whether its message names `place`, or null when it does not throw. */
function refusalOf(call: () => void, place: string): { code: unknown; namesPlace: boolean } | null {
  try {
    call();
    return null;
  } catch (error) {
    const { code, message } = error as { code?: unknown; message: string };
    return { code, namesPlace: message.includes(place) };
  }
}

describe('hostile names in configs', () => {
  test.each(PLACES)('%s: every hostile name is a config error naming the field', (place, build) => {
    const field = place.split('.').pop() as string;
    for (const name of HOSTILE) {
      expect({ name, refusal: refusalOf(() => validate(build(name)), place) }).toEqual({ name, refusal: { code: 'FL_CONFIG_INVALID', namesPlace: true } });
    }
    // The same place takes a plain name: the refusals above are about the name alone.
    expect(() => validate(build(field === 'bucket' || field === 'prefix' ? 'plain-name' : 'plain_name'))).not.toThrow();
  });

  test('InfluxDB: a hostile measurement, tag names and tag values are escaped: one point per row, never a second line', () => {
    const names = ['tag ,=x', 'tag\nmeasurement2 f=1 1', 'tàg😀"', "t'`;--"];
    const values = ['v ,=1', 'v\nevil f=666 1', 'é😀', "'; DROP --"];
    const columns: Record<string, Vector> = {};
    names.forEach((name, i) => (columns[name] = vectorFromArray([values[i], values[(i + 1) % values.length]])));
    const batch = new Table({ ...columns, 'field\n,= "x"': makeVector(new Float64Array([1.5, 2.5])) });
    const config = { measurement: 'cpu,host=evil load=1 1\nmem', tag_columns: names, precision: 'ns' } as unknown as InfluxdbTargetConfig;
    const { lines } = rowsToPoints(batch, config, 1000n);
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line).not.toMatch(/[\n\r]/);
      // Measurement, then tags, then the one field, then the time: three unescaped spaces.
      expect(line.split(/(?<!\\) /)).toHaveLength(3);
      // A measurement escapes commas, spaces and line breaks (an = is plain text there).
      expect(line.startsWith('cpu\\,host=evil\\ load=1\\ 1\\nmem,tag\\ \\,\\=x=')).toBe(true);
      expect(line.endsWith(' 1000')).toBe(true);
    }
  });
});

describe('hostile names against a real MariaDB: no second statement ever runs', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('names');
    await createKeyedTable(db, 'src', [1, 2, 3]);
    await db.query('CREATE TABLE canary (id INT PRIMARY KEY)');
    await db.query('INSERT INTO canary VALUES (42)');
  });

  afterAll(async () => {
    await db?.drop();
  });

  test.each([
    ['source db', { db: 'x`; DROP TABLE canary; --' }, {}],
    ['source table with a comment', { table: 'src/*`*/; DROP TABLE canary' }, {}],
    ['source key with #', { key: 'id` # ; DROP TABLE canary' }, {}],
    ['source Unicode column', { columns: ['id', 'labél'] }, {}],
    ['target db', {}, { db: "x'; DROP TABLE canary; --" }],
    ['target key', {}, { key: 'id`); DROP TABLE canary; --' }],
    ['target Unicode table', {}, { table: 'dst😀' }],
  ])('%s: exit 2 before connecting; the canary table and its row are still there', async (_label, source, target) => {
    await withTempDir(async (dir) => {
      const config = join(dir, 'config.json');
      await writeFile(config, JSON.stringify({
        replication_mode: 'FULL_TABLE',
        source: { mysql: mysqlSection(db.name, 'src', source) },
        transform: { add_op_fields: false },
        target: { mysql: mysqlSection(db.name, 'dst', { concurrency: 1, ...target }) },
      }));
      const result = await runCli(['run', `--config=${config}`, `--state-dir=${dir}`, '--progress=off']);
      expect(result.code).toBe(2);
      expect(`${result.stderr}${result.stdout}`).toMatch(/FL_CONFIG_INVALID/);
    });
    expect(await db.query('SELECT id FROM canary')).toEqual([{ id: 42 }]);
    const tables = (await db.query('SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY 1', [db.name])) as { name: string }[];
    expect(tables.map((t) => t.name)).toEqual(['canary', 'src']);
  });
});

describe('hostile file paths', () => {
  test('quotes, backquotes, $(...), ; and Unicode in paths are file names, never commands', async () => {
    await withTempDir(async (dir) => {
      // Were the path ever given to a shell, these would create files in the working folder.
      const hostile = "ré😀 'q' \"d\" `touch fl-pwned1` $(touch fl-pwned2); touch fl-pwned3 #";
      const source = join(dir, `${hostile}.csv`);
      await writeFile(source, 'id,label\n1,a\n2,b\n');
      const config = join(dir, 'config.json');
      await writeFile(config, JSON.stringify({
        replication_mode: 'INCREMENTAL',
        source: { file: { path: source, key: 'id' } },
        transform: { add_op_fields: false },
        target: { file: { path: join(dir, hostile), format: 'ndjson', concurrency: 1 } },
      }));
      const result = await runCli(['run', `--config=${config}`, `--state-dir=${dir}`, '--progress=off']);
      expect(result.code).toBe(0);
      const written = (await readdir(join(dir, hostile))).filter((name) => name.endsWith('.ndjson'));
      expect(written).toHaveLength(1);
      expect(await readFile(join(dir, hostile, written[0]), 'utf8')).toBe('{"id":1,"label":"a"}\n{"id":2,"label":"b"}\n');
      for (const marker of ['fl-pwned1', 'fl-pwned2', 'fl-pwned3']) {
        expect(existsSync(join(dir, marker))).toBe(false);
        expect(existsSync(join(process.cwd(), marker))).toBe(false);
      }
    });
  });
});
