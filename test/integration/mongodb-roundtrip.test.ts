import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { Binary, Decimal128, Double, Int32, Long, ObjectId } from 'bson';
import { runCli } from '../support/cli.js';
import { SEED_EXAMPLES, runConfig, withTempDir } from '../support/pipeline.js';
import { createTestDatabase, MYSQL, type TestDatabase } from '../support/mysql-db.js';
import { duckdbRows } from '../support/parquet-readers.js';
import { startTestMongo, type TestMongo } from '../support/mongodb.js';
import { normalizedNumber, planetDocuments, planetsCsv } from '../support/mongodb-planets.js';

let mongo: TestMongo;
let db: TestDatabase;

beforeAll(async () => {
  mongo = await startTestMongo('rt');
  db = await createTestDatabase('mongo');
});

afterAll(async () => {
  await mongo?.stop();
  await db?.drop();
});

describe('MongoDB -> MySQL, the seed integration test', () => {
  test("the seed's integration_mongodb_mysql.json, pointed at the local servers, copies the planets exactly", async () => {
    await mongo.db.collection('planets').insertMany(await planetDocuments());
    await withTempDir(async (dir) => {
      const seed = JSON.parse(await readFile(join(SEED_EXAMPLES, 'integration_mongodb_mysql.json'), 'utf8'));
      const { database: _database, collection: _collection, ...connection } = mongo.section('planets');
      void _database; void _collection;
      delete seed.source.mongodb.host; delete seed.source.mongodb.port; delete seed.source.mongodb.user; delete seed.source.mongodb.password;
      Object.assign(seed.source.mongodb, connection, { database: mongo.dbName });
      Object.assign(seed.target.mysql, { host: MYSQL.host, port: MYSQL.port, username: MYSQL.username, password: MYSQL.password, db: db.name });
      seed.logs.log_file = join(dir, 'log.txt');
      const config = join(dir, 'config.json');
      await writeFile(config, JSON.stringify(seed));
      const result = await runCli(['run', '--source=mongodb', '--target=mysql', `--config=${config}`, `--state-dir=${dir}`]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
    });
    const { header, rows } = await planetsCsv();
    const loaded = (await db.query(`SELECT ${header.join(', ')} FROM planets ORDER BY rowid`)) as Record<string, unknown>[];
    expect(loaded).toHaveLength(1035);
    const asText = loaded.map((row) => header.map((name) => (row[name] === null ? null : normalizedNumber(String(row[name])))));
    expect(asText).toEqual(rows.map((row) => row.map(normalizedNumber)));
    const types = (await db.query('SELECT COLUMN_NAME AS name, COLUMN_TYPE AS type FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION', [db.name, 'planets'])) as { name: string; type: string }[];
    expect(types.map((t) => t.name)).toEqual(header);
    expect(types.find((t) => t.name === 'pl_orbper')!.type).toBe('decimal(38,8)');
  }, 120_000);
});

describe('MongoDB -> Parquet file', () => {
  test('every value and type, read back by an independent reader', async () => {
    await mongo.db.collection('typed').insertMany([
      { _id: new ObjectId('0000000000000000000000a1'), i32: new Int32(-7), i64: Long.fromString('-9223372036854775808'), dbl: new Double(0.1), dec: Decimal128.fromString('-98765432109876543210.000000001'), flag: true, when: new Date('1901-12-13T20:45:51.001Z'), text: 'ünïcode 😀', bytes: new Binary(Buffer.from([0, 0, 7])), sub: { x: [1, { y: null }] } },
      { _id: new ObjectId('0000000000000000000000a2'), i32: new Int32(2147483647), i64: Long.fromString('18014398509481985'), dbl: new Double(-1e-300), dec: Decimal128.fromString('0.5'), flag: false, when: new Date('2262-04-11T23:47:16.854Z'), text: '', bytes: new Binary(Buffer.alloc(0)), sub: {} },
      { _id: new ObjectId('0000000000000000000000a3') },
    ]);
    await withTempDir(async (dir) => {
      const summary = await runConfig({
        source: { mongodb: mongo.section('typed', { include_id: true, batch_size: 2 }) },
        transform: { add_op_fields: false },
        target: { file: { path: dir, format: 'parquet', concurrency: 1 } },
      });
      expect(summary.error).toBeUndefined();
      expect(summary.rowsLoaded).toBe(3);
      expect(await duckdbRows(dir, '_id')).toEqual([
        { _id: '0000000000000000000000a1', i32: -7, i64: -9223372036854775808n, dbl: 0.1, dec: '-98765432109876543210.000000001', flag: true, when: BigInt(Date.parse('1901-12-13T20:45:51.001Z')) * 1000n, text: 'ünïcode 😀', bytes: '000007', sub: '{"x":[1,{"y":null}]}' },
        { _id: '0000000000000000000000a2', i32: 2147483647, i64: 18014398509481985n, dbl: -1e-300, dec: '0.500000000', flag: false, when: BigInt(Date.parse('2262-04-11T23:47:16.854Z')) * 1000n, text: '', bytes: '', sub: '{}' },
        { _id: '0000000000000000000000a3', i32: null, i64: null, dbl: null, dec: null, flag: null, when: null, text: null, bytes: null, sub: null },
      ]);
    });
  }, 60_000);
});

describe('MongoDB INCREMENTAL runs', () => {
  async function recordedOffset(table: string): Promise<unknown> {
    const rows = (await db.query('SELECT offset_json FROM _fastlane_offsets WHERE target_table = ?', [table])) as { offset_json: string }[];
    return rows.length === 0 ? null : JSON.parse(rows[0].offset_json);
  }

  test('MongoDB -> MySQL on a non-unique key: each run loads only the new documents, ties included', async () => {
    const events = mongo.db.collection('events');
    const id = (n: number) => new ObjectId(n.toString(16).padStart(24, '0'));
    await events.insertMany(Array.from({ length: 20 }, (_, i) => ({ _id: id(1000 - i), day: new Date(Date.UTC(2020, 0, 1 + Math.floor(i / 4))), n: new Int32(i) })));
    const config = {
      replication_mode: 'INCREMENTAL',
      source: { mongodb: mongo.section('events', { replication_key: 'day', batch_size: 3, include_id: true }) },
      transform: { add_op_fields: false },
      target: { mysql: { ...MYSQL, db: db.name, table: 'events', key: 'n', batch_size: 3, concurrency: 2 } },
    };
    const first = await runConfig(config);
    expect(first.error).toBeUndefined();
    expect(first.rowsLoaded).toBe(20);
    const lastDay = Date.UTC(2020, 0, 5);
    expect(await recordedOffset('events')).toEqual({ $parts: [{ kind: 'date', value: lastDay }, { kind: 'objectId', value: id(1000 - 16).toHexString() }] });
    // Same day as the recorded offset, with a greater _id: a key-only offset would skip it.
    await events.insertMany([{ _id: id(5000), day: new Date(lastDay), n: new Int32(100) }, { _id: id(1), day: new Date(lastDay + 1), n: new Int32(101) }]);
    const second = await runConfig(config);
    expect(second.error).toBeUndefined();
    expect(second.rowsExtracted).toBe(2);
    expect(second.startOffset).toBe(`(date ${lastDay}, objectId ${id(1000 - 16).toHexString()})`);
    const third = await runConfig(config);
    expect(third.rowsExtracted).toBe(0);
    const loaded = (await db.query('SELECT n FROM events ORDER BY n')) as { n: number }[];
    expect(loaded.map((r) => r.n)).toEqual([...Array.from({ length: 20 }, (_, i) => i), 100, 101]);
  }, 120_000);

  test('MongoDB -> Parquet file by _id: the second run writes only the new documents', async () => {
    const items = mongo.db.collection('items');
    await items.insertMany(Array.from({ length: 7 }, (_, i) => ({ n: new Int32(i) })));
    await withTempDir(async (dir) => {
      const config = {
        replication_mode: 'INCREMENTAL',
        source: { mongodb: mongo.section('items', { batch_size: 2 }) },
        transform: { add_op_fields: false },
        target: { file: { path: dir, format: 'parquet', concurrency: 1 } },
      };
      expect((await runConfig(config)).rowsLoaded).toBe(7);
      await items.insertMany([{ n: new Int32(7) }, { n: new Int32(8) }]);
      const second = await runConfig(config);
      expect(second.error).toBeUndefined();
      expect(second.rowsExtracted).toBe(2);
      expect((await duckdbRows(dir, 'n')).map((r) => r.n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    });
  }, 60_000);
});
