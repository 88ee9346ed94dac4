import type { Connection } from './connection.js';
import type { ColumnInfo } from './source-types.js';

interface ColumnRow {
  COLUMN_NAME: string;
  DATA_TYPE: string;
  COLUMN_TYPE: string;
  NUMERIC_PRECISION: string | number | null;
  NUMERIC_SCALE: string | number | null;
}

const JSON_CHECK = /^json_valid\(`((?:[^`]|``)+)`\)$/i;

/** The table's columns in order, from INFORMATION_SCHEMA; empty when the table does not exist. */
export async function readColumns(connection: Connection, db: string, table: string): Promise<ColumnInfo[]> {
  const [rows] = await connection.query(
    `SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, NUMERIC_PRECISION, NUMERIC_SCALE
       FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`,
    [db, table],
  );
  const jsonColumns = await readJsonColumns(connection, db, table);
  return (rows as ColumnRow[]).map((row) => ({
    name: row.COLUMN_NAME,
    dataType: row.DATA_TYPE.toLowerCase(),
    columnType: row.COLUMN_TYPE,
    precision: row.NUMERIC_PRECISION === null ? null : Number(row.NUMERIC_PRECISION),
    scale: row.NUMERIC_SCALE === null ? null : Number(row.NUMERIC_SCALE),
    isJson: row.DATA_TYPE.toLowerCase() === 'json' || jsonColumns.has(row.COLUMN_NAME),
  }));
}

/** MariaDB's JSON columns: LONGTEXT guarded by CHECK (json_valid(`col`)). */
async function readJsonColumns(connection: Connection, db: string, table: string): Promise<Set<string>> {
  try {
    const [rows] = await connection.query(
      'SELECT CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ?',
      [db, table],
    );
    const names = (rows as { CHECK_CLAUSE: string }[]).map((row) => JSON_CHECK.exec(row.CHECK_CLAUSE)?.[1]);
    return new Set(names.filter((n): n is string => n !== undefined).map((n) => n.replace(/``/g, '`')));
  } catch {
    // Servers without CHECK_CONSTRAINTS (MySQL before 8.0.16) report JSON columns as json.
    return new Set();
  }
}

/** True when the database (schema) exists. */
export async function databaseExists(connection: Connection, db: string): Promise<boolean> {
  const [rows] = await connection.query('SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [db]);
  return (rows as unknown[]).length > 0;
}

/** True when the table exists. */
export async function tableExists(connection: Connection, db: string, table: string): Promise<boolean> {
  const [rows] = await connection.query('SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?', [db, table]);
  return (rows as unknown[]).length > 0;
}
