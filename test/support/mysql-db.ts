import mysql from 'mysql2/promise';
import type { Connection } from 'mysql2/promise';

export const MYSQL = { host: '127.0.0.1', port: 3306, username: 'root', password: '' } as const;

/** A database of its own for one test file, dropped at the end. */
export interface TestDatabase {
  readonly name: string;
  readonly connection: Connection;
  query(sql: string, values?: unknown[]): Promise<unknown[]>;
  drop(): Promise<void>;
}

let counter = 0;

export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const name = `fl_${label}_${process.pid}_${Date.now() % 1_000_000}_${counter++}`;
  const connection = await mysql.createConnection({ host: MYSQL.host, port: MYSQL.port, user: MYSQL.username, password: MYSQL.password, supportBigNumbers: true, bigNumberStrings: true, dateStrings: true, timezone: 'Z' });
  await connection.query("SET time_zone = '+00:00'");
  await connection.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
  await connection.query(`USE \`${name}\``);
  return {
    name,
    connection,
    async query(sql, values) {
      const [rows] = await connection.query(sql, values);
      return rows as unknown[];
    },
    async drop() {
      await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await connection.end();
    },
  };
}

/** A MySQL config section for the local server. */
export function mysqlSection(db: string, table: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...MYSQL, db, table, key: 'id', ...extra };
}

interface ColumnRow { name: string; type: string }

/** Column names and COLUMN_TYPE of a table, in order. */
export async function columnTypes(db: TestDatabase, schema: string, table: string): Promise<ColumnRow[]> {
  return (await db.query(
    'SELECT COLUMN_NAME AS name, COLUMN_TYPE AS type FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION',
    [schema, table],
  )) as ColumnRow[];
}

/**
 * Every row of a table in key order, each value as the hex of the exact bytes the server sends
 * (FLOAT through DOUBLE, which MariaDB prints with 6 digits otherwise), or null.
 */
export async function exactRows(db: TestDatabase, schema: string, table: string, key = 'id'): Promise<(string | null)[][]> {
  const columns = (await db.query(
    'SELECT COLUMN_NAME AS name, DATA_TYPE AS type FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION',
    [schema, table],
  )) as ColumnRow[];
  const list = columns.map((c) => (c.type === 'float' ? `CAST(\`${c.name}\` AS DOUBLE)` : `\`${c.name.replace(/`/g, '``')}\``)).join(', ');
  const [rows] = await db.connection.query({ sql: `SELECT ${list} FROM \`${schema}\`.\`${table}\` ORDER BY \`${key}\``, rowsAsArray: true, typeCast: false });
  return (rows as (Buffer | null)[][]).map((row) => row.map((v) => (v === null ? null : v.toString('hex'))));
}

export async function rowCount(db: TestDatabase, schema: string, table: string): Promise<number> {
  const rows = (await db.query(`SELECT COUNT(*) AS n FROM \`${schema}\`.\`${table}\``)) as { n: string | number }[];
  return Number(rows[0].n);
}
