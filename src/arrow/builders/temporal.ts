import { DateDay, TimestampMicrosecond } from 'apache-arrow';
import { FixedColumn, ValueError } from './column-builder.js';
import { SimpleFixedBuilder } from './simple-fixed.js';

const DATE = /^(-?\d{4,6})-(\d{2})-(\d{2})$/;
const TIMESTAMP =
  /^(-?\d{4,6})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;
const MS_PER_DAY = 86_400_000;

/** Milliseconds since the epoch of a calendar date and time in UTC; NaN when it does not exist. */
function utcMillis(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  const ok = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
    && hour < 24 && minute < 60 && second < 60;
  return ok ? date.getTime() : NaN;
}

/** Dates as days since 1970-01-01 (Arrow date32). Text: YYYY-MM-DD. */
export class DateBuilder extends SimpleFixedBuilder<Int32Array> {
  constructor() {
    super(new DateDay(), new FixedColumn((n) => new Int32Array(n)));
  }

  protected store(values: Int32Array, index: number, text: string): void {
    const m = DATE.exec(text);
    const ms = m ? utcMillis(Number(m[1]), Number(m[2]), Number(m[3])) : NaN;
    if (Number.isNaN(ms)) throw new ValueError(`'${text}' is not a date (YYYY-MM-DD)`);
    values[index] = ms / MS_PER_DAY;
  }
}

/** Microseconds since the epoch of an ISO 8601 timestamp; without a zone the text is taken as UTC. */
export function parseTimestampMicros(text: string): bigint {
  const m = TIMESTAMP.exec(text);
  if (!m) throw new ValueError(`'${text}' is not a timestamp (YYYY-MM-DD[ HH:MM[:SS[.ffffff]]][Z|+HH:MM])`);
  const ms = utcMillis(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0));
  if (Number.isNaN(ms)) throw new ValueError(`'${text}' is not a valid date and time`);
  const fraction = (m[7] ?? '').padEnd(9, '0');
  if (fraction.slice(6) !== '000') throw new ValueError(`'${text}' has digits below a microsecond, which Fastlane does not keep`);
  return (BigInt(ms) - BigInt(zoneOffsetMinutes(m[8])) * 60_000n) * 1000n + BigInt(fraction.slice(0, 6));
}

function zoneOffsetMinutes(zone: string | undefined): number {
  if (!zone || zone === 'Z' || zone === 'z') return 0;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || 0));
}

/** Timestamps in microseconds, UTC (what Athena and Parquet readers expect). */
export class TimestampBuilder extends SimpleFixedBuilder<BigInt64Array> {
  constructor() {
    super(new TimestampMicrosecond('UTC'), new FixedColumn((n) => new BigInt64Array(n)));
  }

  protected store(values: BigInt64Array, index: number, text: string): void {
    values[index] = parseTimestampMicros(text);
  }
}
