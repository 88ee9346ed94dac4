import { DataType, Type, TimeUnit, type Data, type Field, type Vector } from 'apache-arrow';
import { readWords } from './builders/decimal.js';
import { toMicros } from './time-units.js';
import { JSON_METADATA_KEY } from './column-types.js';

/** Text of row i of a column, or null. Exact for every type: no value goes through a float it was not. */
export type CellFormatter = (index: number) => string | null;

/** How a value is written: `json` writes numbers and nested JSON bare, strings quoted. */
export type TextFlavor = 'csv' | 'json';

export interface FormattedColumn {
  readonly format: CellFormatter;
  /** JSON: true when the text is written bare (numbers, booleans, JSON documents). */
  readonly bare: boolean;
}

type Factory = (vector: Vector, field: Field) => FormattedColumn;

/**
 * Reads row i of a column from its raw chunk data, or null. A table gathered from several batches
 * has one chunk per batch: the row's chunk is found, so every chunk reads like a single one.
 */
export function cellReader<T>(vector: Vector, read: (data: Data, i: number) => T): (row: number) => T | null {
  const chunks = vector.data;
  if (chunks.length === 1) {
    const data = chunks[0];
    return (i) => (data.getValid(i) ? read(data, i) : null);
  }
  const starts: number[] = [];
  let total = 0;
  for (const data of chunks) {
    starts.push(total);
    total += data.length;
  }
  // Rows are read in order: start from the chunk of the last row read, not from the end.
  let chunk = 0;
  return (i) => {
    if (i < starts[chunk]) chunk = 0;
    while (chunk + 1 < starts.length && starts[chunk + 1] <= i) chunk++;
    const data = chunks[chunk];
    const local = i - starts[chunk];
    return data.getValid(local) ? read(data, local) : null;
  };
}

function nullable(vector: Vector, format: (data: Data, i: number) => string): CellFormatter {
  return cellReader(vector, format);
}

const plain: Factory = (vector) => ({
  format: (i) => {
    const v = vector.get(i);
    return v === null || v === undefined ? null : String(v);
  },
  bare: true,
});

const floats: Factory = (vector) => ({
  format: (i) => {
    const v = vector.get(i) as number | null;
    return v === null ? null : Number.isFinite(v) ? String(v) : String(v).replace('Infinity', 'inf');
  },
  bare: true,
});

const bools: Factory = (vector) => ({
  format: (i) => {
    const v = vector.get(i) as boolean | null;
    return v === null ? null : v ? 'true' : 'false';
  },
  bare: true,
});

const decimals: Factory = (vector) => {
  const type = vector.type as DataType<Type.Decimal> & { scale: number; bitWidth: number };
  const words = type.bitWidth / 32;
  return {
    format: nullable(vector, (data, i) => formatScaled(readWords(data.values as Uint32Array, i * words, words), type.scale)),
    bare: true,
  };
};

/** A scaled integer as decimal text: 12345 with scale 2 is "123.45". */
export function formatScaled(value: bigint, scale: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

const dates: Factory = (vector) => ({
  format: nullable(vector, (data, i) => {
    const days = (data.values as Int32Array)[i];
    return isoDate(new Date(days * 86_400_000));
  }),
  bare: false,
});

/**
 * A timestamp with a zone (an instant) is written in UTC with its `Z`; one without (a wall-clock
 * value, MySQL DATETIME) without a zone, as Parquet keeps it: text output must not turn a local
 * time into a UTC instant.
 */
const timestamps: Factory = (vector) => {
  const { unit, timezone } = vector.type as { unit: TimeUnit; timezone?: string | null };
  const zoned = timezone !== null && timezone !== undefined && timezone !== '';
  return {
    format: nullable(vector, (data, i) => formatMicros(toMicros((data.values as BigInt64Array)[i], unit), zoned)),
    bare: false,
  };
};

/** A duration (MySQL TIME) as MySQL writes it: `[-]H:MM:SS.ffffff`, hours unbounded. */
const durations: Factory = (vector) => {
  const unit = (vector.type as { unit: TimeUnit }).unit;
  return {
    format: nullable(vector, (data, i) => formatTimeSpan(toMicros((data.values as BigInt64Array)[i], unit))),
    bare: false,
  };
};

/** '[-]H:MM:SS.ffffff', MySQL TIME's text: 45296789012 µs is '12:34:56.789012'. */
export function formatTimeSpan(micros: bigint): string {
  const negative = micros < 0n;
  const magnitude = negative ? -micros : micros;
  const seconds = Number(magnitude / 1_000_000n);
  const rest = Number(magnitude % 1_000_000n);
  const text = `${Math.floor(seconds / 3600)}:${pad2(Math.floor(seconds / 60) % 60)}:${pad2(seconds % 60)}.${String(rest).padStart(6, '0')}`;
  return negative ? `-${text}` : text;
}

/**
 * ISO 8601 with six fractional digits: 2024-01-02T03:04:05.123456Z for an instant (in UTC), the
 * same without `Z` for a wall-clock value.
 */
export function formatMicros(micros: bigint, zoned = true): string {
  let ms = micros / 1000n;
  let rest = micros % 1000n;
  if (rest < 0n) {
    rest += 1000n;
    ms -= 1n;
  }
  const date = new Date(Number(ms));
  const fraction = `${String(date.getUTCMilliseconds()).padStart(3, '0')}${String(rest).padStart(3, '0')}`;
  return `${isoDate(date)}T${pad2(date.getUTCHours())}:${pad2(date.getUTCMinutes())}:${pad2(date.getUTCSeconds())}.${fraction}${zoned ? 'Z' : ''}`;
}

function isoDate(date: Date): string {
  const year = date.getUTCFullYear();
  const y = year < 0 ? `-${String(-year).padStart(6, '0')}` : year > 9999 ? `+${year}` : String(year).padStart(4, '0');
  return `${y}-${pad2(date.getUTCMonth() + 1)}-${pad2(date.getUTCDate())}`;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

const strings: Factory = (vector, field) => ({
  format: (i) => vector.get(i) as string | null,
  bare: field.metadata.get(JSON_METADATA_KEY) === 'json',
});

const binaries: Factory = (vector) => ({
  format: (i) => {
    const v = vector.get(i) as Uint8Array | null;
    return v === null ? null : Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
  },
  bare: false,
});

/** One formatter factory per Arrow type id: adding a type is adding a line. */
const FACTORIES: Partial<Record<Type, Factory>> = {
  [Type.Int]: plain,
  [Type.Float]: floats,
  [Type.Bool]: bools,
  [Type.Decimal]: decimals,
  [Type.Date]: dates,
  [Type.Timestamp]: timestamps,
  [Type.Duration]: durations,
  [Type.Utf8]: strings,
  [Type.LargeUtf8]: strings,
  [Type.Binary]: binaries,
  [Type.LargeBinary]: binaries,
  [Type.FixedSizeBinary]: binaries,
};

export function formatColumn(vector: Vector, field: Field): FormattedColumn {
  const factory = FACTORIES[vector.type.typeId as Type] ?? plain;
  return factory(vector, field);
}
