import { escape } from '@influxdata/influxdb-client';
import { Type, type Field, type Table } from 'apache-arrow';
import { formatColumn, type CellFormatter } from '../../arrow/format.js';
import { FastlaneError } from '../../errors.js';
import type { InfluxdbTargetConfig } from './config.js';
import { inPrecision, microsReader, type MicrosReader } from './time.js';

/** `key=value` text of a field, or null to leave the field out of the point. */
type FieldWriter = (row: number) => string | null;

interface Columns {
  readonly tags: { key: string; format: CellFormatter }[];
  readonly fields: { key: string; write: FieldWriter }[];
  readonly time: MicrosReader | null;
}

export interface Points {
  readonly lines: string[];
  /** Rows with every field NULL: a point needs a field, so they are left out. */
  readonly skipped: number;
}

/**
 * Line protocol for a load: one point per row, tags and field keys escaped as the client does.
 * Field types follow the column: integers `i` (unsigned 64-bit `u`), floats and decimals as
 * floats with their exact text, booleans, everything else as strings.
 */
export function rowsToPoints(batch: Table, config: InfluxdbTargetConfig, loadTime: bigint): Points {
  const columns = resolveColumns(batch, config);
  const measurement = escape.measurement(config.measurement);
  const lines: string[] = [];
  let skipped = 0;
  for (let row = 0; row < batch.numRows; row++) {
    const fields = columns.fields.map((f) => f.write(row)).filter((f): f is string => f !== null);
    if (fields.length === 0) {
      skipped++;
      continue;
    }
    let tags = '';
    for (const tag of columns.tags) {
      const value = tag.format(row);
      if (value !== null && value !== '') tags += `,${tag.key}=${escape.tag(value)}`;
    }
    lines.push(`${measurement}${tags} ${fields.join(',')} ${pointTime(columns.time, row, config, loadTime)}`);
  }
  return { lines, skipped };
}

function pointTime(time: MicrosReader | null, row: number, config: InfluxdbTargetConfig, loadTime: bigint): bigint {
  if (!time) return loadTime;
  const micros = time(row);
  if (micros === null) {
    throw new FastlaneError('FL_TARGET', `row ${row + 1} has no value in time_column '${config.time_column}': every point needs a time; fill it in a transform or use another column`);
  }
  return inPrecision(micros, config.precision);
}

function resolveColumns(batch: Table, config: InfluxdbTargetConfig): Columns {
  const fields = batch.schema.fields;
  const byName = new Map(fields.map((field, index) => [field.name, { field, index }]));
  const find = (name: string, role: string) => {
    const found = byName.get(name);
    if (!found) throw new FastlaneError('FL_TARGET', `target.influxdb.${role} names '${name}', which is not a column; columns: ${[...byName.keys()].join(', ')}`);
    return found;
  };
  const tagNames = new Set(config.tag_columns);
  const fieldNames = config.field_columns ?? fields.map((f) => f.name).filter((n) => !tagNames.has(n) && n !== config.time_column);
  const time = config.time_column ? find(config.time_column, 'time_column') : null;
  const timeReader = time ? microsReader(batch.getChildAt(time.index)!) : null;
  if (time && !timeReader) {
    throw new FastlaneError('FL_TARGET', `target.influxdb.time_column '${time.field.name}' is ${String(time.field.type)}; it must be a timestamp or date column`);
  }
  return {
    tags: config.tag_columns.map((name) => {
      const { field, index } = find(name, 'tag_columns');
      return { key: escape.tag(name), format: formatColumn(batch.getChildAt(index)!, field).format };
    }),
    fields: fieldNames.map((name) => {
      const { field, index } = find(name, 'field_columns');
      return { key: escape.tag(name), write: fieldWriter(escape.tag(name), formatColumn(batch.getChildAt(index)!, field).format, field) };
    }),
    time: timeReader,
  };
}

function fieldWriter(key: string, format: CellFormatter, field: Field): FieldWriter {
  const suffix = valueSuffix(field);
  if (suffix === null) {
    return (row) => {
      const text = format(row);
      return text === null ? null : `${key}=${escape.quoted(text)}`;
    };
  }
  return (row) => {
    const text = format(row);
    // Line protocol has no NaN or infinity: such a float is left out, like NULL.
    if (text === null || /^-?(?:inf|NaN)$/.test(text)) return null;
    return `${key}=${text}${suffix}`;
  };
}

/** The line protocol suffix of a column's values, or null for a string field. */
function valueSuffix(field: Field): string | null {
  const type = field.type as { typeId: Type; isSigned?: boolean; bitWidth?: number };
  switch (type.typeId) {
    case Type.Int:
      return type.isSigned === false && type.bitWidth === 64 ? 'u' : 'i';
    case Type.Float:
    case Type.Decimal:
    case Type.Bool:
      return '';
    default:
      return null;
  }
}
