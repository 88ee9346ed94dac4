import { DataType, Type, type Field } from 'apache-arrow';
import { JSON_METADATA_KEY } from '../../arrow/column-types.js';
import { FastlaneError } from '../../errors.js';
import { MYSQL_TYPE_METADATA_KEY } from '../../arrow/column-types.js';

/** MySQL allows DECIMAL up to 65 digits with at most 30 after the point. */
const MAX_DECIMAL_PRECISION = 65;
const MAX_DECIMAL_SCALE = 30;
/** InnoDB indexes at most 3072 bytes: 768 utf8mb4 characters. */
const KEY_TEXT = 'VARCHAR(768)';
const KEY_BYTES = 'VARBINARY(3072)';

const SIMPLE_SOURCE_TYPE = new RegExp(
  '^(?:(?:tinyint|smallint|mediumint|int|bigint)(?:\\(\\d+\\))?(?: unsigned)?(?: zerofill)?'
  + '|(?:decimal|float|double)(?:\\(\\d+,\\d+\\))?(?: unsigned)?(?: zerofill)?'
  + '|(?:char|varchar|binary|varbinary|bit|year)(?:\\(\\d+\\))?'
  + '|(?:datetime|timestamp|time)(?:\\(\\d\\))?'
  + '|date|tinytext|text|mediumtext|longtext|tinyblob|blob|mediumblob|longblob|json|uuid|inet4|inet6)$',
);
/** ENUM and SET values as INFORMATION_SCHEMA prints them; a backslash is refused, whatever the sql_mode. */
const ENUM_SOURCE_TYPE = /^(?:enum|set)\('(?:[^'\\]|'')*'(?:,'(?:[^'\\]|'')*')*\)$/i;
const UNINDEXABLE = /^(?:tinytext|text|mediumtext|longtext|tinyblob|blob|mediumblob|longblob|json)$/;

/**
 * The MySQL column type for an Arrow field. A field read from MySQL carries its original type in
 * its metadata and gets it back (checked against a strict pattern first); any other field gets the
 * documented reverse mapping, which holds every value of the Arrow type exactly.
 */
export function mysqlColumnType(field: Field, isKey: boolean): string {
  const original = field.metadata.get(MYSQL_TYPE_METADATA_KEY) ?? '';
  const simple = original.toLowerCase();
  if (SIMPLE_SOURCE_TYPE.test(simple) && !(isKey && UNINDEXABLE.test(simple))) return simple.toUpperCase();
  // ENUM and SET values are kept exactly: their case is part of the value.
  if (ENUM_SOURCE_TYPE.test(original)) return original;
  return fromArrow(field, isKey);
}

function fromArrow(field: Field, isKey: boolean): string {
  const type = field.type as DataType;
  switch (type.typeId) {
    case Type.Int: {
      const { bitWidth, isSigned } = type as unknown as { bitWidth: number; isSigned: boolean };
      const name = { 8: 'TINYINT', 16: 'SMALLINT', 32: 'INT', 64: 'BIGINT' }[bitWidth];
      return isSigned ? `${name}` : `${name} UNSIGNED`;
    }
    case Type.Float:
      return (type as unknown as { precision: number }).precision === 2 ? 'DOUBLE' : 'FLOAT';
    case Type.Bool:
      return 'BOOLEAN';
    case Type.Decimal:
      return decimalType(field, type as unknown as { precision: number; scale: number });
    case Type.Date:
      return 'DATE';
    case Type.Timestamp:
      return 'DATETIME(6)';
    case Type.Duration:
      return 'TIME(6)';
    case Type.Utf8:
    case Type.LargeUtf8:
      if (field.metadata.get(JSON_METADATA_KEY) === 'json' && !isKey) return 'JSON';
      return isKey ? KEY_TEXT : 'LONGTEXT';
    case Type.Binary:
    case Type.LargeBinary:
      return isKey ? KEY_BYTES : 'LONGBLOB';
    default:
      throw new FastlaneError('FL_TARGET', `column '${field.name}' has Arrow type ${String(type)}, which has no MySQL column type here: leave it out or cast it in a transform`);
  }
}

function decimalType(field: Field, type: { precision: number; scale: number }): string {
  if (type.precision > MAX_DECIMAL_PRECISION || type.scale > MAX_DECIMAL_SCALE) {
    throw new FastlaneError('FL_TARGET', `column '${field.name}' is decimal(${type.precision},${type.scale}); MySQL holds at most decimal(65,30): round it in a transform`);
  }
  return `DECIMAL(${type.precision},${type.scale})`;
}
