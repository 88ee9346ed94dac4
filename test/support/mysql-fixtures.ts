import { readFile } from 'node:fs/promises';
import { expect } from '@jest/globals';
import type { TestDatabase } from './mysql-db.js';

/** A column of every MySQL type the connectors map, with the edge values each must keep. */
export const ALL_TYPES_DDL = `(
  id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  ti TINYINT, tiu TINYINT UNSIGNED, si SMALLINT, siu SMALLINT UNSIGNED, mi MEDIUMINT, miu MEDIUMINT UNSIGNED,
  i INT, iu INT UNSIGNED, bi BIGINT, biu BIGINT UNSIGNED,
  dec65 DECIMAL(65,30), dec12 DECIMAL(12,2), f FLOAT, dbl DOUBLE,
  dt DATE, dtm DATETIME(6), ts TIMESTAMP(6) NULL, tm TIME(6), yr YEAR,
  c CHAR(10), vc VARCHAR(100), tx TEXT, en ENUM('a','B','it''s'), st SET('x','y','z'), js JSON,
  bn BINARY(4), vb VARBINARY(50), bl BLOB, bt BIT(64), b1 BIT(1)
)`;

export const ALL_TYPES_COLUMNS_SQL = 'id, ti, tiu, si, siu, mi, miu, i, iu, bi, biu, dec65, dec12, f, dbl, dt, dtm, ts, tm, yr, c, vc, tx, en, st, js, bn, vb, bl, bt, b1';

/** Four rows: extremes, all NULL, the other extremes (the key is uint64 max), and times around zero. */
export const ALL_TYPES_ROWS: unknown[][] = [
  [
    '1', -128, 255, -32768, 65535, -8388608, 16777215, -2147483648, 4294967295, '-9223372036854775808', '18446744073709551615',
    '99999999999999999999999999999999999.999999999999999999999999999999', '-1234567890.12', 16777216, 1.7976931348623157e308,
    '1000-01-01', '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07.999999', '-838:59:59.000000', 2155,
    'NULL', '\\N', 'tab\there\nnew line \\ back\\slash\r\u0000nul 😀 𝄞', "it's", 'x,z', '{"big": 12345678901234567890, "s": "é\\u0000"}',
    Buffer.from([0x00, 0x5c, 0x00, 0x41]), Buffer.from([0x00, 0x5c, 0x0a, 0x09, 0x4e]), Buffer.from([0x00, 0xff, 0x5c, 0x4e, 0x0d]),
    Buffer.from('ffffffffffffffff', 'hex'), Buffer.from([1]),
  ],
  ['2', ...Array<null>(30).fill(null)],
  [
    '18446744073709551615', 127, 0, 32767, 0, 8388607, 0, 2147483647, 0, '9223372036854775807', '0',
    '-0.000000000000000000000000000001', '0.00', 1 / 7, 0.1,
    '2024-02-29', '1970-01-01 00:00:00.000001', '1970-01-01 00:00:01.000000', '838:59:59.999999', 1901,
    '', 'NULL', '\\N', 'B', '', '[1, 2.5, "x", null, -0.0]',
    Buffer.from([0, 0, 0, 0]), Buffer.alloc(0), Buffer.from('\\N'), Buffer.from('0000000000000000', 'hex'), Buffer.from([0]),
  ],
  [
    '3', 0, null, null, null, null, null, null, null, '-1', null, '0', '-0.01', -0.5, -1e-300,
    '1969-12-31', '1969-12-31 23:59:59.999999', '1970-01-01 00:00:01.000001', '-00:00:00.500000', 1970,
    ' lead', ' trailing ', '', null, 'x,y,z', '"just a string"', null, null, null, null, null,
  ],
];

export async function createAllTypesTable(db: TestDatabase, table: string): Promise<void> {
  await db.query(`CREATE TABLE \`${table}\` ${ALL_TYPES_DDL}`);
  for (const row of ALL_TYPES_ROWS) {
    await db.query(`INSERT INTO \`${table}\` (${ALL_TYPES_COLUMNS_SQL}) VALUES (${row.map(() => '?').join(', ')})`, row);
  }
}

/** A table `id` + text of `rows` rows with the given keys. */
export async function createKeyedTable(db: TestDatabase, table: string, keys: readonly (number | string)[], keyType = 'INT UNSIGNED'): Promise<void> {
  await db.query(`CREATE TABLE \`${table}\` (id ${keyType} NOT NULL PRIMARY KEY, label VARCHAR(40), amount DECIMAL(10,3))`);
  for (let at = 0; at < keys.length; at += 500) {
    const chunk = keys.slice(at, at + 500);
    await db.query(`INSERT INTO \`${table}\` (id, label, amount) VALUES ${chunk.map(() => '(?, ?, ?)').join(', ')}`,
      chunk.flatMap((key, i) => [key, `row ${String(key)}`, ((at + i) * 1.5).toFixed(3)]));
  }
}

export const ALL_TYPES_COLUMNS = ALL_TYPES_COLUMNS_SQL.split(', ');

/** The seed's planets dataset loaded into `table` (empty CSV fields as NULL). */
export async function createPlanetsTable(db: TestDatabase, table: string, csvPath: string): Promise<number> {
  const [header, ...lines] = (await readFile(csvPath, 'utf8')).split(/\r?\n/).filter((line) => line.length > 0);
  expect(header).toBe('rowid,pl_discmethod,pl_pnum,pl_orbper,pl_msinij,st_dist,pl_disc');
  await db.query(`CREATE TABLE \`${table}\` (rowid INT NOT NULL PRIMARY KEY, pl_discmethod VARCHAR(64), pl_pnum INT,
    pl_orbper DECIMAL(20,8), pl_msinij DECIMAL(16,5), st_dist DECIMAL(10,2), pl_disc INT)`);
  const rows = lines.map((line) => line.split(',').map((field) => (field === '' ? null : field)));
  await db.query(`INSERT INTO \`${table}\` VALUES ${rows.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`, rows.flat());
  return rows.length;
}
