import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';

/** Rows of every Parquet file in a folder, read by DuckDB (an independent reader): exact decimals, micros, uint64. */
export async function duckdbRows(folder: string, orderBy: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(`SELECT * FROM read_parquet('${join(folder, '*.parquet')}') ORDER BY ${orderBy}`);
    return reader.getRowObjects().map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, plain(v)])));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** DuckDB value objects as comparable plain values: decimals as exact text, timestamps as micros. */
function plain(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  const v = value as { constructor: { name: string } } & Record<string, unknown>;
  switch (v.constructor.name) {
    case 'DuckDBDecimalValue': return scaled(v.value as bigint, v.scale as number);
    case 'DuckDBTimestampTZValue': case 'DuckDBTimestampValue': return v.micros as bigint;
    case 'DuckDBDateValue': return v.days as number;
    case 'DuckDBBlobValue': return Buffer.from(v.bytes as Uint8Array).toString('hex');
    default: return String(value);
  }
}

function scaled(value: bigint, scale: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

export async function parquetFiles(folder: string): Promise<string[]> {
  return (await readdir(folder)).filter((f) => f.endsWith('.parquet')).sort().map((f) => join(folder, f));
}

/** The Parquet schema elements (physical and logical types) of a file, read by hyparquet. */
export async function hyparquetSchema(file: string): Promise<Record<string, Record<string, unknown>>> {
  const bytes = await readFile(file);
  const metadata = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  return Object.fromEntries(metadata.schema.slice(1).map((element) => [element.name, element as unknown as Record<string, unknown>]));
}

/** Rows read by hyparquet with timestamps kept as bigint microseconds. */
export async function hyparquetRows(file: string): Promise<Record<string, unknown>[]> {
  const bytes = await readFile(file);
  return parquetReadObjects({
    file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
    compressors,
    utf8: true,
    parsers: { timestampFromMicroseconds: (micros: bigint) => micros, dateFromDays: (days: number) => days } as never,
  });
}
