import { TimeUnit, Type, type Data, type DataType } from 'apache-arrow';
import type { ByteSink } from './byte-sink.js';

/**
 * Byte-level LOAD DATA writers for the common cases: digits go straight into the output, with
 * no string, Date or BigInt per value. Each returns false for a value it cannot write exactly
 * (beyond 2^53, a year outside 0..9999): the caller writes that one the slow, general way.
 */
export type FastCell = (sink: ByteSink, i: number) => boolean;

const TWO_32 = 4294967296;
/** |high word| below 2^21: the 64-bit value is below 2^53 and exact as a double. */
const SAFE_HIGH = 0x200000;
const MICROS_PER_DAY = 86_400_000_000;

/** Reads 64-bit slot `i` as a double, or NaN when it is not exact as one. */
function int64Reader(data: Data, signed: boolean): (i: number) => number {
  const values = data.values as BigInt64Array;
  const words = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
  return (i) => {
    const at = i * 2;
    const high = signed ? words[at + 1] | 0 : words[at + 1];
    return high >= -SAFE_HIGH && high < SAFE_HIGH ? high * TWO_32 + words[at] : NaN;
  };
}

/** Year, month, day of days since 1970-01-01 (H. Hinnant's civil_from_days). */
function writeDate(sink: ByteSink, days: number): boolean {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  if (year < 0 || year > 9999) return false;
  sink.padded(year, 4);
  sink.byte(0x2d);
  sink.padded(month, 2);
  sink.byte(0x2d);
  sink.padded(day, 2);
  return true;
}

/** HH:MM:SS.ffffff of a number of microseconds within one day (or a TIME's span, hours unbounded). */
function writeClock(sink: ByteSink, micros: number, padHours: boolean): void {
  const fraction = micros % 1_000_000;
  const seconds = (micros - fraction) / 1_000_000;
  const hours = Math.floor(seconds / 3600);
  // DATETIME hours take two digits; a TIME span's hours as many as they need, as the general writer.
  if (padHours) sink.padded(hours, 2);
  else sink.integer(hours);
  sink.byte(0x3a);
  sink.padded(Math.floor(seconds / 60) % 60, 2);
  sink.byte(0x3a);
  sink.padded(seconds % 60, 2);
  sink.byte(0x2e);
  sink.padded(fraction, 6);
}

type Factory = (data: Data, type: DataType) => FastCell | null;

const FACTORIES: Partial<Record<Type, Factory>> = {
  [Type.Int]: (data, type) => {
    const { bitWidth, isSigned } = type as unknown as { bitWidth: number; isSigned: boolean };
    if (bitWidth === 64) {
      const read = int64Reader(data, isSigned);
      return (sink, i) => {
        const value = read(i);
        if (value !== value) return false;
        sink.integer(value);
        return true;
      };
    }
    const values = data.values as Int32Array;
    return (sink, i) => {
      sink.integer(values[i]);
      return true;
    };
  },
  [Type.Decimal]: (data, type) => {
    const { scale, bitWidth } = type as unknown as { scale: number; bitWidth: number };
    if (scale > 15) return null;
    const stride = bitWidth / 32;
    const words = data.values as Uint32Array;
    const unit = 10 ** scale;
    return (sink, i) => {
      const at = i * stride;
      const high = words[at + 1] | 0;
      const fill = high < 0 ? 0xffffffff : 0;
      if (high < -SAFE_HIGH || high >= SAFE_HIGH) return false;
      for (let w = 2; w < stride; w++) if (words[at + w] !== fill) return false;
      let value = high * TWO_32 + words[at];
      if (value < 0) {
        sink.byte(0x2d);
        value = -value;
      }
      const fraction = value % unit;
      sink.integer((value - fraction) / unit);
      if (scale > 0) {
        sink.byte(0x2e);
        sink.padded(fraction, scale);
      }
      return true;
    };
  },
  [Type.Date]: (data, type) => {
    if ((type as unknown as { unit: number }).unit !== 0) return null;
    const values = data.values as Int32Array;
    return (sink, i) => writeDate(sink, values[i]);
  },
  [Type.Timestamp]: (data, type) => {
    if ((type as unknown as { unit: TimeUnit }).unit !== TimeUnit.MICROSECOND) return null;
    const read = int64Reader(data, true);
    return (sink, i) => {
      const micros = read(i);
      if (micros !== micros) return false;
      let rest = micros % MICROS_PER_DAY;
      if (rest < 0) rest += MICROS_PER_DAY;
      if (!writeDate(sink, (micros - rest) / MICROS_PER_DAY)) return false;
      sink.byte(0x20);
      writeClock(sink, rest, true);
      return true;
    };
  },
  [Type.Duration]: (data, type) => {
    if ((type as unknown as { unit: TimeUnit }).unit !== TimeUnit.MICROSECOND) return null;
    const read = int64Reader(data, true);
    return (sink, i) => {
      const micros = read(i);
      if (micros !== micros) return false;
      if (micros < 0) sink.byte(0x2d);
      writeClock(sink, Math.abs(micros), false);
      return true;
    };
  },
};

/** The fast writer of a column chunk, or null when its type has none. */
export function fastCell(data: Data): FastCell | null {
  return FACTORIES[data.type.typeId as Type]?.(data, data.type) ?? null;
}
