import { Type, TimeUnit, type Vector } from 'apache-arrow';
import type { Precision } from './config.js';
import { cellReader } from '../../arrow/format.js';
import { toMicros } from '../../arrow/time-units.js';

const MICROS_PER_DAY = 86_400_000_000n;

/** Microseconds since the epoch of row i of a timestamp or date column, or null. */
export type MicrosReader = (row: number) => bigint | null;

/** Reads raw Arrow values (never through a JS Date or number), chunk by chunk, so microseconds stay exact. */
export function microsReader(vector: Vector): MicrosReader | null {
  const type = vector.type as { typeId: Type; unit: TimeUnit };
  const toMicros = converter(type.typeId, type.unit);
  if (!toMicros) return null;
  return cellReader(vector, (data, i) => toMicros((data.values as BigInt64Array | Int32Array)[i]));
}

function converter(typeId: Type, unit: TimeUnit): ((raw: bigint | number) => bigint) | null {
  if (typeId === Type.Timestamp) return (raw) => toMicros(BigInt(raw), unit);
  if (typeId === Type.Date) {
    // Date32 holds days, Date64 milliseconds.
    return unit === 0 ? (raw) => BigInt(raw) * MICROS_PER_DAY : (raw) => BigInt(raw) * 1000n;
  }
  return null;
}

const PER_MICRO: Record<Precision, (micros: bigint) => bigint> = {
  ns: (micros) => micros * 1000n,
  us: (micros) => micros,
  ms: (micros) => floorDiv(micros, 1000n),
  s: (micros) => floorDiv(micros, 1_000_000n),
};

/** A time in the write's precision; coarser precisions drop the finer digits (toward the past). */
export function inPrecision(micros: bigint, precision: Precision): bigint {
  return PER_MICRO[precision](micros);
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b < 0n ? q - 1n : q;
}
