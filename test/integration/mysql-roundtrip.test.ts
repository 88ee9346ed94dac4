import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import { FIXTURE_DATA, runConfig, withTempDir } from '../support/pipeline.js';
import { duckdbRows, hyparquetRows, parquetFiles } from '../support/parquet-readers.js';
import { columnTypes, createTestDatabase, exactRows, mysqlSection, rowCount, type TestDatabase } from '../support/mysql-db.js';
import { ALL_TYPES_COLUMNS, ALL_TYPES_ROWS, createAllTypesTable, createKeyedTable, createPlanetsTable } from '../support/mysql-fixtures.js';
import { rawDecimals, timeMicros, unscaled, utcMicros } from '../support/mysql-parquet.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('rt');
  await createAllTypesTable(db, 'all_types');
});

afterAll(async () => {
  await db?.drop();
});

describe('MySQL -> MySQL, every type', () => {
  test.each([
    [1, 'infile'],
    [4, 'infile'],
    [2, 'insert'],
  ])('copies every value and type exactly with target concurrency %i, loading by %s', async (concurrency, method) => {
    const copy = `copy_c${concurrency}_${method}`;
    const summary = await runConfig({
      source: { mysql: mysqlSection(db.name, 'all_types', { batch_size: 2 }) },
      transform: { add_op_fields: false },
      target: { mysql: mysqlSection(db.name, copy, { batch_size: 1, concurrency, load_method: method }) },
    });
    expect(summary.error).toBeUndefined();
    expect(summary.status).toBe('completed');
    expect(summary.rowsLoaded).toBe(ALL_TYPES_ROWS.length);
    expect(await columnTypes(db, db.name, copy)).toEqual(await columnTypes(db, db.name, 'all_types'));
    expect(await exactRows(db, db.name, copy)).toEqual(await exactRows(db, db.name, 'all_types'));
  });
});

/** What an independent Parquet reader must see for one inserted value of a column. */
function expectedParquetValue(column: string, value: unknown): unknown {
  if (value === null) return null;
  if (['id', 'bi', 'biu'].includes(column)) return BigInt(value as string);
  if (column === 'bt' || column === 'b1') return BigInt(`0x${(value as Buffer).toString('hex')}`);
  if (column === 'f') return Math.fround(value as number);
  if (column === 'dt') return Number(utcMicros(value as string) / 86_400_000_000n);
  if (column === 'dtm' || column === 'ts') return utcMicros(value as string);
  if (column === 'tm') return timeMicros(value as string);
  if (Buffer.isBuffer(value)) return value.toString('hex');
  return value;
}

describe('MySQL -> Parquet file, every type', () => {
  test('writes every value exactly, as independent readers see it', async () => {
    await withTempDir(async (dir) => {
      const folder = join(dir, 'out');
      const summary = await runConfig({
        source: { mysql: mysqlSection(db.name, 'all_types', { batch_size: 2 }) },
        transform: { add_op_fields: false },
        target: { file: { path: folder, format: 'parquet', concurrency: 2, batch_size: 2 } },
      });
      expect(summary.error).toBeUndefined();
      const rows = await duckdbRows(folder, 'id');
      const expected = ALL_TYPES_ROWS.map((row) => Object.fromEntries(ALL_TYPES_COLUMNS.map((c, i) => [c, expectedParquetValue(c, row[i])])))
        .sort((a, b) => ((a.id as bigint) < (b.id as bigint) ? -1 : 1));
      // DuckDB reads a 65-digit decimal as a double: that column is checked from its bytes below.
      const withoutWide = (r: Record<string, unknown>) => Object.fromEntries(Object.entries(r).filter(([c]) => c !== 'dec65'));
      expect(rows.map(withoutWide)).toEqual(expected.map(withoutWide));
      const wide: (bigint | null)[] = [];
      const keys: bigint[] = [];
      for (const file of await parquetFiles(folder)) {
        wide.push(...(await rawDecimals(file, 'dec65')));
        keys.push(...(await hyparquetRows(file)).map((r) => r.id as bigint));
      }
      const byKey = new Map(keys.map((k, i) => [k, wide[i]]));
      for (const row of ALL_TYPES_ROWS) {
        expect(byKey.get(BigInt(row[0] as string))).toEqual(row[11] === null ? null : unscaled(row[11] as string, 30));
      }
    });
  });
});

/** Copies `table` into `copy` FULL_TABLE and checks the copy equals the source row by row. */
async function copyAndCompare(table: string, copy: string, source: Record<string, unknown>, target: Record<string, unknown>, key = 'id'): Promise<number> {
  const summary = await runConfig({
    source: { mysql: mysqlSection(db.name, table, { key, ...source }) },
    transform: { add_op_fields: false },
    target: { mysql: mysqlSection(db.name, copy, { key, ...target }) },
  });
  expect(summary.error).toBeUndefined();
  expect(summary.status).toBe('completed');
  expect(await exactRows(db, db.name, copy, key)).toEqual(await exactRows(db, db.name, table, key));
  return summary.rowsLoaded;
}

describe('MySQL -> MySQL, the seed integration test', () => {
  test('copies the planets dataset exactly', async () => {
    const count = await createPlanetsTable(db, 'planets', join(FIXTURE_DATA, 'planets_dataset.csv'));
    expect(count).toBe(1035);
    const loaded = await copyAndCompare('planets', 'planets_copy', { batch_size: 200, offset: -1 }, { batch_size: 200, concurrency: 2 }, 'rowid');
    expect(loaded).toBe(count);
    expect(await rowCount(db, db.name, 'planets_copy')).toBe(count);
  });
});

describe('MySQL -> MySQL, keys and batch sizes', () => {
  const gappy = Array.from({ length: 50 }, (_, i) => i * i * 7 + (i % 3));

  test.each([
    ['numeric keys with gaps, batch size not dividing the rows', 'INT UNSIGNED', gappy, 7, 1],
    ['numeric keys, batch size dividing the rows', 'BIGINT', gappy.map((k) => k - 1000), 10, 4],
    ['text keys with gaps', 'VARCHAR(20)', gappy.map((k) => `k${String(k).padStart(6, '0')}${k % 2 ? '😀' : ''}`), 9, 4],
    ['one row', 'INT', [42], 5, 1],
  ] as const)('%s', async (_label, keyType, keys, batch, concurrency) => {
    const table = `keys_${keyType.replace(/\W/g, '')}_${batch}_${concurrency}`;
    await createKeyedTable(db, table, keys, keyType);
    const loaded = await copyAndCompare(table, `${table}_copy`, { batch_size: batch }, { batch_size: batch, concurrency });
    expect(loaded).toBe(keys.length);
  });

  test.each([2, 5])('partitions: %i connections read contiguous key ranges, every row once', async (partitions) => {
    const table = `parts_${partitions}`;
    await createKeyedTable(db, table, gappy, 'BIGINT');
    const loaded = await copyAndCompare(table, `${table}_copy`, { batch_size: 4, partitions }, { batch_size: 6, concurrency: 2 });
    expect(loaded).toBe(gappy.length);
  });

  test('partitions over the all-types table (keys up to uint64 max)', async () => {
    const loaded = await copyAndCompare('all_types', 'all_types_parts', { batch_size: 1, partitions: 3 }, { concurrency: 1 });
    expect(loaded).toBe(ALL_TYPES_ROWS.length);
  });

  test('an empty source table empties an existing target atomically', async () => {
    await createKeyedTable(db, 'empty_src', []);
    await createKeyedTable(db, 'empty_copy', [1, 2, 3]);
    const loaded = await copyAndCompare('empty_src', 'empty_copy', {}, { concurrency: 1 });
    expect(loaded).toBe(0);
    expect(await rowCount(db, db.name, 'empty_copy')).toBe(0);
  });
});

/** Finite doubles from random bit patterns (every exponent, denormals included), seeded. */
function randomDoubles(count: number, seed: number): number[] {
  const view = new DataView(new ArrayBuffer(8));
  const out: number[] = [];
  let state = seed;
  const next = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0);
  while (out.length < count) {
    view.setUint32(0, next());
    view.setUint32(4, next());
    const value = view.getFloat64(0);
    if (Number.isFinite(value)) out.push(value);
  }
  return out;
}

describe('FLOAT and DOUBLE, bit-exact', () => {
  test('random doubles and floats survive MySQL -> MySQL and MySQL -> Parquet', async () => {
    const doubles = randomDoubles(1000, 7);
    // MySQL has no negative zero (it stores -0 as 0): floats that underflow to -0 are taken as 0.
    const floats = randomDoubles(1000, 11).map((v) => Math.fround(v)).map((v) => (Number.isFinite(v) ? v + 0 : 0.5));
    await db.query('CREATE TABLE floats (id INT NOT NULL PRIMARY KEY, d DOUBLE, f FLOAT)');
    await db.query(`INSERT INTO floats VALUES ${doubles.map(() => '(?, ?, ?)').join(', ')}`, doubles.flatMap((d, i) => [i, d, floats[i]]));
    await copyAndCompare('floats', 'floats_copy', { batch_size: 300 }, { batch_size: 300, concurrency: 2 });
    const differing = await db.query('SELECT COUNT(*) AS n FROM floats s JOIN floats_copy c USING (id) WHERE NOT (s.d <=> c.d) OR NOT (s.f <=> c.f)');
    expect(Number((differing[0] as { n: string }).n)).toBe(0);
    await withTempDir(async (dir) => {
      const folder = join(dir, 'out');
      const summary = await runConfig({
        source: { mysql: mysqlSection(db.name, 'floats', { batch_size: 400 }) },
        target: { file: { path: folder, format: 'parquet', concurrency: 1 } },
      });
      expect(summary.error).toBeUndefined();
      const rows = (await Promise.all((await parquetFiles(folder)).map((file) => hyparquetRows(file)))).flat();
      const byId = new Map(rows.map((row) => [row.id as number, row]));
      expect(byId.size).toBe(doubles.length);
      doubles.forEach((d, i) => {
        expect(Object.is(byId.get(i)?.d, d)).toBe(true);
        expect(Object.is(byId.get(i)?.f, floats[i])).toBe(true);
      });
    });
  });
});

describe('zero dates and column subsets', () => {
  test('zero dates become NULL with a counted warning; only the listed columns are read', async () => {
    await db.query("SET SESSION sql_mode = ''");
    await db.query('CREATE TABLE zero_dates (id INT NOT NULL PRIMARY KEY, d DATE, dt DATETIME, note VARCHAR(10), skipped INT)');
    await db.query("INSERT INTO zero_dates VALUES (1, '0000-00-00', '0000-00-00 00:00:00', 'a', 1), (2, '2024-00-10', '2024-05-00 10:00:00', 'b', 2), (3, '2024-05-06', '2024-05-06 07:08:09', NULL, 3)");
    const summary = await runConfig({
      source: { mysql: mysqlSection(db.name, 'zero_dates', { columns: ['id', 'note', 'dt', 'd'] }) },
      transform: { add_op_fields: false },
      target: { mysql: mysqlSection(db.name, 'zero_dates_copy', { concurrency: 1 }) },
    });
    expect(summary.error).toBeUndefined();
    expect(summary.warnings).toEqual({ zero_dates_as_null: 4 });
    expect(await columnTypes(db, db.name, 'zero_dates_copy')).toEqual([
      { name: 'id', type: 'int(11)' }, { name: 'note', type: 'varchar(10)' }, { name: 'dt', type: 'datetime' }, { name: 'd', type: 'date' },
    ]);
    const copied = await db.query('SELECT id, note, dt, d FROM zero_dates_copy ORDER BY id');
    expect(copied).toEqual([
      { id: 1, note: 'a', dt: null, d: null },
      { id: 2, note: 'b', dt: null, d: null },
      { id: 3, note: null, dt: '2024-05-06 07:08:09', d: '2024-05-06' },
    ]);
  });
});

describe('the seed transform fields', () => {
  test('add_op_fields adds _op_type and _op_timestamp columns to a created table', async () => {
    await createKeyedTable(db, 'ops', [1, 2, 3]);
    const summary = await runConfig({
      source: { mysql: mysqlSection(db.name, 'ops') },
      transform: { add_op_fields: true },
      target: { mysql: mysqlSection(db.name, 'ops_copy', { concurrency: 1 }) },
    });
    expect(summary.error).toBeUndefined();
    expect(await columnTypes(db, db.name, 'ops_copy')).toEqual([
      ...(await columnTypes(db, db.name, 'ops')),
      { name: '_op_type', type: 'longtext' },
      { name: '_op_timestamp', type: 'bigint(20)' },
    ]);
    const copied = await db.query('SELECT id, label, amount, _op_type FROM ops_copy ORDER BY id');
    expect(copied).toEqual(await db.query("SELECT id, label, amount, 'i' AS _op_type FROM ops ORDER BY id"));
  });
});
