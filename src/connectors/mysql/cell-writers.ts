import { DataType, TimeUnit, Type, type Data } from 'apache-arrow';
import { readWords } from '../../arrow/builders/decimal.js';
import { formatScaled, formatTimeSpan } from '../../arrow/format.js';
import { toMicros } from '../../arrow/time-units.js';
import { FastlaneError } from '../../errors.js';
import type { ByteSink } from './byte-sink.js';
import { fastCell } from './fast-cells.js';

/** Writes row `i` of one column chunk (never null: the caller writes \N) as LOAD DATA text. */
export type CellWriter = (sink: ByteSink, i: number) => unknown;


function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** YYYY-MM-DD of a UTC date. */
function dateText(date: Date): string {
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}`;
}

/** Whole seconds and the microseconds after them (0..999999), also before 1970. */
function splitMicros(micros: bigint): [number, number] {
  let seconds = micros / 1_000_000n;
  let rest = micros % 1_000_000n;
  if (rest < 0n) {
    rest += 1_000_000n;
    seconds -= 1n;
  }
  return [Number(seconds), Number(rest)];
}

/** 'YYYY-MM-DD HH:MM:SS.ffffff', read by MySQL in the session's UTC. */
export function timestampText(micros: bigint): string {
  const [seconds, rest] = splitMicros(micros);
  const date = new Date(seconds * 1000);
  return `${dateText(date)} ${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:${pad(date.getUTCSeconds(), 2)}.${pad(rest, 6)}`;
}

function writeFloat(sink: ByteSink, value: number): void {
  if (!Number.isFinite(value)) throw new FastlaneError('FL_TARGET', `${value} cannot be stored in MySQL, which has no NaN or Infinity`);
  sink.ascii(String(value));
}

type Factory = (data: Data, type: DataType) => CellWriter;

const FACTORIES: Partial<Record<Type, Factory>> = {
  [Type.Int]: (data) => {
    const values = data.values as ArrayLike<number | bigint>;
    return (sink, i) => sink.ascii(String(values[i]));
  },
  [Type.Float]: (data) => {
    const values = data.values as Float32Array | Float64Array;
    return (sink, i) => writeFloat(sink, values[i]);
  },
  [Type.Bool]: (data) => {
    const bits = data.values as Uint8Array;
    return (sink, i) => sink.byte((bits[(data.offset + i) >> 3] >> ((data.offset + i) & 7)) & 1 ? 0x31 : 0x30);
  },
  [Type.Decimal]: (data, type) => {
    const { scale, bitWidth } = type as unknown as { scale: number; bitWidth: number };
    const words = bitWidth / 32;
    const values = data.values as Uint32Array;
    return (sink, i) => sink.ascii(formatScaled(readWords(values, i * words, words), scale));
  },
  [Type.Date]: (data, type) => {
    const values = data.values as Int32Array | BigInt64Array;
    const perUnit = (type as unknown as { unit: number }).unit === 0 ? 86_400_000 : 1;
    return (sink, i) => sink.ascii(dateText(new Date(Number(values[i]) * perUnit)));
  },
  [Type.Timestamp]: (data, type) => {
    const values = data.values as BigInt64Array;
    const unit = (type as unknown as { unit: TimeUnit }).unit;
    return (sink, i) => sink.ascii(timestampText(toMicros(values[i], unit)));
  },
  [Type.Duration]: (data, type) => {
    const values = data.values as BigInt64Array;
    const unit = (type as unknown as { unit: TimeUnit }).unit;
    return (sink, i) => sink.ascii(formatTimeSpan(toMicros(values[i], unit)));
  },
};

function variableWidth(data: Data): CellWriter {
  const offsets = data.valueOffsets as Int32Array | BigInt64Array;
  const bytes = data.values as Uint8Array;
  return (sink, i) => sink.escaped(bytes, Number(offsets[i]), Number(offsets[i + 1]));
}

for (const id of [Type.Utf8, Type.LargeUtf8, Type.Binary, Type.LargeBinary]) FACTORIES[id] = variableWidth;

/** The writer of one column chunk; an Arrow type without a MySQL text form is an error. */
export function cellWriter(data: Data, name: string): CellWriter {
  const factory = FACTORIES[data.type.typeId as Type];
  if (!factory) throw new FastlaneError('FL_TARGET', `column '${name}' has Arrow type ${String(data.type)}, which cannot be loaded into MySQL`);
  const general = factory(data, data.type);
  const fast = fastCell(data);
  return fast ? (sink, i) => fast(sink, i) || general(sink, i) : general;
}
