import type { Table } from 'apache-arrow';
import { formatColumn, type FormattedColumn } from '../arrow/format.js';

export interface CsvWriteOptions {
  readonly delimiter: string;
  /** Written for NULL; an empty string is written "" so the two stay apart. */
  readonly nullValue: string;
}

function columnsOf(table: Table): { names: string[]; columns: FormattedColumn[] } {
  const fields = table.schema.fields;
  return {
    names: fields.map((f) => f.name),
    columns: fields.map((field, i) => formatColumn(table.getChildAt(i)!, field)),
  };
}

/** CSV with a header line; fields quoted when they hold the delimiter, a quote or a line break. */
export function encodeCsv(table: Table, options: CsvWriteOptions): Buffer {
  const { names, columns } = columnsOf(table);
  const needsQuotes = new RegExp(`[${escapeClass(options.delimiter)}"\\r\\n]`);
  const quote = (text: string): string =>
    needsQuotes.test(text) || text === options.nullValue ? `"${text.replace(/"/g, '""')}"` : text;
  const lines = [names.map(quote).join(options.delimiter)];
  for (let row = 0; row < table.numRows; row++) {
    lines.push(columns.map((c) => {
      const text = c.format(row);
      return text === null ? options.nullValue : quote(text);
    }).join(options.delimiter));
  }
  return Buffer.from(`${lines.join('\n')}\n`, 'utf8');
}

/**
 * One JSON object per line. Integers, decimals and floats are written as bare JSON numbers with
 * every digit (a reader that parses numbers as doubles rounds those beyond 2^53), JSON columns as
 * nested documents, binary as base64, timestamps as ISO 8601 text in UTC.
 */
export function encodeNdjson(table: Table): Buffer {
  const { names, columns } = columnsOf(table);
  const keys = names.map((name) => `${JSON.stringify(name)}:`);
  const lines: string[] = [];
  for (let row = 0; row < table.numRows; row++) {
    const parts: string[] = [];
    for (let i = 0; i < columns.length; i++) {
      parts.push(keys[i] + jsonValue(columns[i], row));
    }
    lines.push(`{${parts.join(',')}}`);
  }
  return Buffer.from(lines.length > 0 ? `${lines.join('\n')}\n` : '', 'utf8');
}

function jsonValue(column: FormattedColumn, row: number): string {
  const text = column.format(row);
  if (text === null) return 'null';
  if (!column.bare) return JSON.stringify(text);
  // NaN and infinities have no JSON number: write them as strings.
  return /^-?(?:inf|NaN)$/.test(text) ? JSON.stringify(text) : text;
}

function escapeClass(char: string): string {
  return char.replace(/[\\\]^-]/g, '\\$&');
}
