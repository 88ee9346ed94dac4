import { FastlaneError } from '../../errors.js';
import { formatOffset, isCompositeOffset, type Offset } from '../../stages/offset.js';
import { isoFromMicros } from './decode/json-text.js';

/** The key types pages can be ordered and resumed by, with their query-parameter type. */
const KEY_TYPES: Record<string, string> = { INTEGER: 'INT64', INT64: 'INT64', STRING: 'STRING', DATE: 'DATE', DATETIME: 'DATETIME', TIMESTAMP: 'TIMESTAMP' };

/** The parameter type of a key column, or an error naming what is allowed. */
export function keyParameterType(column: string, bigqueryType: string | undefined): string {
  if (bigqueryType === undefined) throw new FastlaneError('FL_SOURCE', `source.bigquery.key '${column}' is not a column of the input`);
  const type = KEY_TYPES[bigqueryType];
  if (!type) throw new FastlaneError('FL_SOURCE', `source.bigquery.key '${column}' is a ${bigqueryType} column: use an INT64, STRING, DATE, DATETIME or TIMESTAMP column`);
  return type;
}

/** The offset of a row's key value as the API gives it: INT64 as bigint, TIMESTAMP as ISO 8601 text. */
export function keyOffset(value: unknown, parameterType: string): Offset | undefined {
  if (typeof value !== 'string') return undefined;
  if (parameterType === 'INT64') return BigInt(value);
  if (parameterType === 'TIMESTAMP') return isoFromMicros(BigInt(value));
  return value;
}

/**
 * The value bound to `key > @start`, or null to read from the start: the seed's offset -1 on a
 * non-integer key means "from the start", as it does on a non-negative integer key.
 */
export function startParameter(offset: Offset | null, parameterType: string): string | null {
  if (offset === null) return null;
  if (isCompositeOffset(offset)) {
    throw new FastlaneError('FL_CONFIG_INVALID', `the recorded offset ${formatOffset(offset)} was written by another kind of source: a BigQuery key takes one value; clear the target's offset or set source.bigquery.offset`);
  }
  if (parameterType === 'INT64') {
    const text = typeof offset === 'number' ? String(Math.floor(offset)) : String(offset);
    if (!/^-?\d+$/.test(text)) throw new FastlaneError('FL_CONFIG_INVALID', `offset '${text}' is not an integer, but the key column is INT64: fix source.bigquery.offset or the recorded offset`);
    return text;
  }
  if (typeof offset !== 'string') return offset < 0 ? null : String(offset);
  return offset;
}
