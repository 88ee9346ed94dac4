import { Field } from 'apache-arrow';
import type { ColumnBuilder } from '../../arrow/builders/column-builder.js';
import { BigIntBuilder, FloatBuilder, SmallIntBuilder } from '../../arrow/builders/numeric.js';
import { DecimalBuilder } from '../../arrow/builders/decimal.js';
import { BinaryBuilder, Utf8Builder } from '../../arrow/builders/text.js';
import { DateBuilder } from '../../arrow/builders/temporal.js';
import { DurationBuilder } from '../../arrow/builders/duration.js';
import { ZonedTimestampBuilder } from '../../arrow/builders/zoned-timestamp.js';
import { JSON_METADATA_KEY } from '../../arrow/column-types.js';
import { FastlaneError } from '../../errors.js';
import { quoteName } from './identifiers.js';

/** Field metadata key carrying the source column's MySQL type, so a MySQL target can recreate it exactly. */
export const MYSQL_TYPE_METADATA_KEY = 'fastlane.mysql.type';

/** One column as INFORMATION_SCHEMA.COLUMNS describes it. */
export interface ColumnInfo {
  readonly name: string;
  /** DATA_TYPE, lower case: int, varchar, decimal... */
  readonly dataType: string;
  /** COLUMN_TYPE as the server prints it (ENUM and SET values keep their case): int(10) unsigned, enum('a','B')... */
  readonly columnType: string;
  readonly precision: number | null;
  readonly scale: number | null;
  /** MariaDB stores JSON as LONGTEXT with a json_valid() check; MySQL says json. */
  readonly isJson: boolean;
}

/** How raw values of the text protocol (Buffers, typeCast off) enter a builder. */
export type ValueKind = 'ascii' | 'bytes' | 'bit' | 'date';

export interface ColumnPlan {
  readonly name: string;
  readonly field: Field;
  /** The select-list expression: FLOAT is read through DOUBLE, as MariaDB prints FLOAT with 6 digits. */
  readonly select: string;
  readonly kind: ValueKind;
  createBuilder(): ColumnBuilder;
}

type Mapping = { kind: ValueKind; builder: () => ColumnBuilder; select?: (quoted: string) => string };

const INTEGER_BITS: Record<string, 8 | 16 | 32 | 64> = { tinyint: 8, smallint: 16, mediumint: 32, int: 32, integer: 32, bigint: 64 };
const TEXT_TYPES = new Set(['char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext', 'enum', 'set', 'json', 'uuid', 'inet4', 'inet6']);
const BINARY_TYPES = new Set(['binary', 'varbinary', 'tinyblob', 'blob', 'mediumblob', 'longblob']);

function mapping(info: ColumnInfo): Mapping | null {
  const bits = INTEGER_BITS[info.dataType];
  if (bits) {
    const signed = !/\bunsigned\b/i.test(info.columnType);
    return { kind: 'ascii', builder: () => (bits === 64 ? new BigIntBuilder(signed) : new SmallIntBuilder(bits, signed)) };
  }
  if (TEXT_TYPES.has(info.dataType)) return { kind: 'bytes', builder: () => new Utf8Builder() };
  if (BINARY_TYPES.has(info.dataType)) return { kind: 'bytes', builder: () => new BinaryBuilder() };
  return OTHER_TYPES[info.dataType]?.(info) ?? null;
}

const OTHER_TYPES: Record<string, (info: ColumnInfo) => Mapping> = {
  decimal: (info) => ({ kind: 'ascii', builder: () => new DecimalBuilder(info.precision ?? 10, info.scale ?? 0) }),
  float: () => ({ kind: 'ascii', builder: () => new FloatBuilder(32), select: (q) => `CAST(${q} AS DOUBLE)` }),
  double: () => ({ kind: 'ascii', builder: () => new FloatBuilder(64) }),
  year: () => ({ kind: 'ascii', builder: () => new SmallIntBuilder(16, false) }),
  bit: () => ({ kind: 'bit', builder: () => new BigIntBuilder(false) }),
  date: () => ({ kind: 'date', builder: () => new DateBuilder() }),
  datetime: () => ({ kind: 'date', builder: () => new ZonedTimestampBuilder(null) }),
  timestamp: () => ({ kind: 'date', builder: () => new ZonedTimestampBuilder('UTC') }),
  time: () => ({ kind: 'ascii', builder: () => new DurationBuilder() }),
};

/** The exact Arrow column for a MySQL column; an error names the column when its type has none. */
export function planColumn(info: ColumnInfo, where: string): ColumnPlan {
  const found = mapping(info);
  if (!found) {
    throw new FastlaneError('FL_SOURCE', `${where} column '${info.name}' has type ${info.columnType}, which Fastlane cannot read exactly: list the other columns in source.mysql.columns`);
  }
  const type = found.builder().type;
  const metadata = new Map([[MYSQL_TYPE_METADATA_KEY, info.isJson ? 'json' : info.columnType]]);
  if (info.isJson) metadata.set(JSON_METADATA_KEY, 'json');
  const quoted = quoteName(info.name);
  return {
    name: info.name,
    field: new Field(info.name, type, true, metadata),
    select: found.select ? `${found.select(quoted)} AS ${quoted}` : quoted,
    kind: found.kind,
    createBuilder: found.builder,
  };
}
