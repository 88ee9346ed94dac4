import { ValueError } from '../../../arrow/builders/column-builder.js';
import type { RawField } from '../rest.js';

/**
 * RECORD and REPEATED values as JSON text, exact: INT64, NUMERIC and BIGNUMERIC digits are
 * written as JSON numbers straight from the API's text (never through a double), FLOAT64 as its
 * text (NaN and ±Infinity, which JSON lacks, as strings), BOOL as true/false, JSON values
 * embedded as they are, TIMESTAMP as ISO 8601 UTC with microseconds, everything else as a string.
 */
export function jsonText(field: RawField, value: unknown): string {
  if (field.mode === 'REPEATED') {
    if (!Array.isArray(value)) throw new ValueError(`${JSON.stringify(value)} is not a REPEATED value`);
    return `[${value.map((item: { v: unknown }) => elementText(field, item.v)).join(',')}]`;
  }
  return elementText(field, value);
}

function elementText(field: RawField, value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (field.type === 'RECORD' || field.type === 'STRUCT') {
    const cells = (value as { f?: { v: unknown }[] }).f;
    const fields = field.fields ?? [];
    if (!Array.isArray(cells) || cells.length !== fields.length) throw new ValueError(`${JSON.stringify(value)} is not a RECORD of ${fields.length} fields`);
    return `{${fields.map((child, i) => `${JSON.stringify(child.name)}:${jsonText(child, cells[i].v)}`).join(',')}}`;
  }
  const text = value as string;
  switch (field.type) {
    case 'INTEGER': case 'INT64': case 'NUMERIC': case 'BIGNUMERIC': case 'BIGDECIMAL': case 'DECIMAL':
      if (!/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(text)) throw new ValueError(`'${text}' is not a ${field.type}`);
      return text;
    case 'FLOAT': case 'FLOAT64':
      return Number.isFinite(+text) ? text : JSON.stringify(text);
    case 'BOOLEAN': case 'BOOL':
      return text === 'true' ? 'true' : 'false';
    case 'JSON':
      return text;
    case 'TIMESTAMP':
      return JSON.stringify(isoFromMicros(BigInt(text)));
    default:
      return JSON.stringify(text);
  }
}

/** `YYYY-MM-DDTHH:MM:SS.ffffffZ` of microseconds since the epoch, also before 1970. */
export function isoFromMicros(micros: bigint): string {
  const millis = micros / 1000n - (micros % 1000n < 0n ? 1n : 0n);
  const rest = micros - millis * 1000n;
  const iso = new Date(Number(millis)).toISOString();
  return `${iso.slice(0, 23)}${rest.toString().padStart(3, '0')}Z`;
}
