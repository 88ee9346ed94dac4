import type { ColumnBuilder } from './builders/column-builder.js';
import { BigIntBuilder, BoolBuilder, FloatBuilder, SmallIntBuilder } from './builders/numeric.js';
import { BinaryBuilder, Utf8Builder } from './builders/text.js';
import { DateBuilder, TimestampBuilder } from './builders/temporal.js';
import { DecimalBuilder } from './builders/decimal.js';

/**
 * The column types a config may declare, by name. Each makes a builder that turns text into the
 * exact Arrow type. `json` is UTF-8 text marked as JSON in the field's metadata.
 */
const SIMPLE_TYPES: Record<string, () => ColumnBuilder> = {
  int8: () => new SmallIntBuilder(8, true),
  int16: () => new SmallIntBuilder(16, true),
  int32: () => new SmallIntBuilder(32, true),
  int64: () => new BigIntBuilder(true),
  uint8: () => new SmallIntBuilder(8, false),
  uint16: () => new SmallIntBuilder(16, false),
  uint32: () => new SmallIntBuilder(32, false),
  uint64: () => new BigIntBuilder(false),
  float32: () => new FloatBuilder(32),
  float64: () => new FloatBuilder(64),
  bool: () => new BoolBuilder(),
  utf8: () => new Utf8Builder(),
  json: () => new Utf8Builder(),
  binary: () => new BinaryBuilder('base64'),
  'binary(hex)': () => new BinaryBuilder('hex'),
  date: () => new DateBuilder(),
  timestamp: () => new TimestampBuilder(),
};

const ALIASES: Record<string, string> = { string: 'utf8', text: 'utf8', boolean: 'bool', double: 'float64', float: 'float64', integer: 'int64', bigint: 'int64' };
const DECIMAL_SPEC = /^decimal\(\s*(\d{1,2})\s*(?:,\s*(\d{1,2})\s*)?\)$/;

/** Field metadata key that marks a UTF-8 column as JSON text. */
export const JSON_METADATA_KEY = 'fastlane.type';

/** Field metadata key carrying a MySQL source column's type, so a MySQL target can recreate it exactly. */
export const MYSQL_TYPE_METADATA_KEY = 'fastlane.mysql.type';

/** The allowed spellings, for error messages and the schema's pattern. */
export const COLUMN_TYPE_NAMES = [...Object.keys(SIMPLE_TYPES), ...Object.keys(ALIASES), 'decimal(P,S)'];
export const COLUMN_TYPE_PATTERN = `^(${[...Object.keys(SIMPLE_TYPES), ...Object.keys(ALIASES)].map((n) => n.replace(/[()]/g, '\\$&')).join('|')}|decimal\\(\\s*\\d{1,2}\\s*(,\\s*\\d{1,2}\\s*)?\\))$`;

export interface ColumnType {
  /** Canonical spelling, as the plan and inference print it. */
  readonly name: string;
  readonly isJson: boolean;
  createBuilder(): ColumnBuilder;
}

/** Parses a type name from a config; null when it is not one. */
export function parseColumnType(spec: string): ColumnType | null {
  const name = ALIASES[spec.trim().toLowerCase()] ?? spec.trim().toLowerCase();
  const simple = SIMPLE_TYPES[name];
  if (simple) return { name, isJson: name === 'json', createBuilder: simple };
  const m = DECIMAL_SPEC.exec(name);
  if (!m) return null;
  const precision = Number(m[1]);
  const scale = Number(m[2] ?? 0);
  if (precision < 1 || precision > 76 || scale > precision) return null;
  return { name: `decimal(${precision},${scale})`, isJson: false, createBuilder: () => new DecimalBuilder(precision, scale) };
}
