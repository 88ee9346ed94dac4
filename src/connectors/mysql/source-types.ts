import { Field } from 'apache-arrow';
import { JSON_METADATA_KEY, MYSQL_TYPE_METADATA_KEY } from '../../arrow/column-types.js';
import { FastlaneError } from '../../errors.js';
import { quoteName } from './identifiers.js';
import type { ColumnDecoder, DecodeWarnings } from './wire/decoder.js';
import { BigIntDecoder, BitDecoder, SmallIntDecoder } from './wire/integers.js';
import { DecimalDecoder, FloatDecoder } from './wire/decimals.js';
import { DateDecoder, TimeDecoder, TimestampDecoder } from './wire/temporal.js';
import { BytesDecoder } from './wire/bytes.js';


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

/** Makes the decoder of a page of up to `capacity` rows. */
export type DecoderFactory = (capacity: number, warnings: DecodeWarnings) => ColumnDecoder;

export interface ColumnPlan {
  readonly name: string;
  readonly field: Field;
  /** The select-list expression: FLOAT is read through DOUBLE, as MariaDB prints FLOAT with 6 digits. */
  readonly select: string;
  readonly decoder: DecoderFactory;
}

type Mapping = { decoder: DecoderFactory; select?: (quoted: string) => string };

const INTEGER_BITS: Record<string, 8 | 16 | 32 | 64> = { tinyint: 8, smallint: 16, mediumint: 32, int: 32, integer: 32, bigint: 64 };

/** TINYINT..BIGINT: keys of these types are kept as exact bigint offsets. */
export function isIntegerType(dataType: string): boolean {
  return dataType in INTEGER_BITS;
}
const TEXT_TYPES = new Set(['char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext', 'enum', 'set', 'json', 'uuid', 'inet4', 'inet6']);
const BINARY_TYPES = new Set(['binary', 'varbinary', 'tinyblob', 'blob', 'mediumblob', 'longblob']);

function mapping(info: ColumnInfo): Mapping | null {
  const bits = INTEGER_BITS[info.dataType];
  if (bits) {
    const signed = !/\bunsigned\b/i.test(info.columnType);
    return { decoder: (n) => (bits === 64 ? new BigIntDecoder(signed, n) : new SmallIntDecoder(bits, signed, n)) };
  }
  if (TEXT_TYPES.has(info.dataType)) return { decoder: (n) => new BytesDecoder('text', n) };
  if (BINARY_TYPES.has(info.dataType)) return { decoder: (n) => new BytesDecoder('binary', n) };
  return OTHER_TYPES[info.dataType]?.(info) ?? null;
}

const OTHER_TYPES: Record<string, (info: ColumnInfo) => Mapping> = {
  decimal: (info) => ({ decoder: (n) => new DecimalDecoder(info.precision ?? 10, info.scale ?? 0, n) }),
  float: () => ({ decoder: (n) => new FloatDecoder(32, n), select: (q) => `CAST(${q} AS DOUBLE)` }),
  double: () => ({ decoder: (n) => new FloatDecoder(64, n) }),
  year: () => ({ decoder: (n) => new SmallIntDecoder(16, false, n) }),
  bit: () => ({ decoder: (n) => new BitDecoder(n) }),
  date: () => ({ decoder: (n, warnings) => new DateDecoder(n, warnings) }),
  datetime: () => ({ decoder: (n, warnings) => new TimestampDecoder(null, n, warnings) }),
  timestamp: () => ({ decoder: (n, warnings) => new TimestampDecoder('UTC', n, warnings) }),
  time: () => ({ decoder: (n) => new TimeDecoder(n) }),
};

/** The exact Arrow column for a MySQL column; an error names the column when its type has none. */
export function planColumn(info: ColumnInfo, where: string): ColumnPlan {
  const found = mapping(info);
  if (!found) {
    throw new FastlaneError('FL_SOURCE', `${where} column '${info.name}' has type ${info.columnType}, which Fastlane cannot read exactly: list the other columns in source.mysql.columns`);
  }
  const type = found.decoder(0, { count: () => undefined }).type;
  const metadata = new Map([[MYSQL_TYPE_METADATA_KEY, info.isJson ? 'json' : info.columnType]]);
  if (info.isJson) metadata.set(JSON_METADATA_KEY, 'json');
  const quoted = quoteName(info.name);
  return {
    name: info.name,
    field: new Field(info.name, type, true, metadata),
    select: found.select ? `${found.select(quoted)} AS ${quoted}` : quoted,
    decoder: found.decoder,
  };
}
