import { Field } from 'apache-arrow';
import { FastlaneError } from '../../../errors.js';
import { JSON_METADATA_KEY } from '../../../arrow/column-types.js';
import type { RawField } from '../rest.js';
import {
  BoolDecoder, DateDecoder, DatetimeDecoder, DecimalDecoder, Float64Decoder, Int64Decoder, TimeDecoder, VariableDecoder,
  plainDecimal, timestampDecoder, type CellDecoder,
} from './cells.js';
import { jsonText } from './json-text.js';

/** Field metadata key carrying the BigQuery column type (e.g. `NUMERIC`, `RECORD`, `REPEATED INT64`). */
export const BIGQUERY_TYPE_METADATA_KEY = 'fastlane.bigquery.type';

/** How one column is read: its Arrow field and a decoder factory. */
export interface ColumnPlan {
  readonly name: string;
  /** The API's type name, as the schema gives it (legacy names such as INTEGER included). */
  readonly bigqueryType: string;
  readonly field: Field;
  createDecoder(): CellDecoder;
}

const SCALARS: Record<string, () => CellDecoder> = {
  INTEGER: () => new Int64Decoder(), INT64: () => new Int64Decoder(),
  FLOAT: () => new Float64Decoder(), FLOAT64: () => new Float64Decoder(),
  BOOLEAN: () => new BoolDecoder(), BOOL: () => new BoolDecoder(),
  STRING: () => new VariableDecoder('utf8'),
  BYTES: () => new VariableDecoder('base64'),
  DATE: () => new DateDecoder(),
  DATETIME: () => new DatetimeDecoder(),
  TIME: () => new TimeDecoder(),
  TIMESTAMP: timestampDecoder,
  NUMERIC: () => new DecimalDecoder(38, 9, 'NUMERIC'),
  BIGNUMERIC: () => new DecimalDecoder(76, 38, 'BIGNUMERIC'),
  // GEOGRAPHY arrives as WKT text, JSON as its text, INTERVAL and RANGE in their canonical text.
  GEOGRAPHY: () => new VariableDecoder('utf8'),
  JSON: () => new VariableDecoder('utf8'),
  INTERVAL: () => new VariableDecoder('utf8'),
  RANGE: () => new VariableDecoder('utf8'),
};

const ALIASES: Record<string, string> = { DECIMAL: 'NUMERIC', BIGDECIMAL: 'BIGNUMERIC', STRUCT: 'RECORD' };

/** The plan of each top-level column; `bignumericAsText` names BIGNUMERIC columns read as text. */
export function planColumns(fields: readonly RawField[], bignumericAsText: readonly string[] = []): ColumnPlan[] {
  const names = new Set(fields.map((f) => f.name));
  const unknown = bignumericAsText.filter((name) => !names.has(name));
  if (unknown.length > 0) {
    throw new FastlaneError('FL_SOURCE', `source.bigquery.bignumeric_as_text names ${unknown.join(', ')}, not columns of the input; its columns: ${[...names].join(', ')}`);
  }
  return fields.map((field) => planColumn(field, bignumericAsText.includes(field.name)));
}

function planColumn(raw: RawField, asText: boolean): ColumnPlan {
  const field: RawField = { ...raw, type: ALIASES[raw.type] ?? raw.type };
  const typeName = `${field.mode === 'REPEATED' ? 'REPEATED ' : ''}${field.type}`;
  const nested = field.mode === 'REPEATED' || field.type === 'RECORD';
  let createDecoder: () => CellDecoder;
  if (nested) createDecoder = () => new VariableDecoder('utf8', (value) => jsonText(field, value));
  else if (asText) {
    if (field.type !== 'BIGNUMERIC') throw new FastlaneError('FL_SOURCE', `source.bigquery.bignumeric_as_text names ${field.name}, a ${field.type} column: only BIGNUMERIC columns may be read as text`);
    createDecoder = () => new VariableDecoder('utf8', (value) => plainDecimal(value as string));
  } else {
    const make = SCALARS[field.type];
    if (!make) throw new FastlaneError('FL_SOURCE', `column ${field.name} has the BigQuery type ${field.type}, which Fastlane does not read: select it as another type in a query`);
    createDecoder = make;
  }
  const metadata = new Map([[BIGQUERY_TYPE_METADATA_KEY, asText ? 'BIGNUMERIC (text)' : typeName]]);
  if (nested || field.type === 'JSON') metadata.set(JSON_METADATA_KEY, 'json');
  const type = createDecoder().type;
  return { name: field.name, bigqueryType: field.type, field: new Field(field.name, type, true, metadata), createDecoder };
}
