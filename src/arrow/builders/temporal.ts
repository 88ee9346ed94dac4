import { DateDay, TimestampMicrosecond } from 'apache-arrow';
import { FixedColumn, ValueError } from './column-builder.js';
import { SimpleFixedBuilder } from './simple-fixed.js';

const DATE = /^(-?\d{4,6})-(\d{2})-(\d{2})$/;
const TIMESTAMP =
  /^(-?\d{4,6})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

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
    const [year, month, day] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
    if (!m || !validDate(year, month, day)) throw new ValueError(`'${text}' is not a date (YYYY-MM-DD)`);
    values[index] = daysFromCivil(year, month, day);
  }
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Whether a proleptic Gregorian date exists (month 1..12, day within the month, leap years). */
export function validDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = month === 2 && (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0));
  return day <= DAYS_IN_MONTH[month - 1] + (leap ? 1 : 0);
}

/** The value of `count` ASCII digits at `at`, or -1 if one is not a digit. */
function digits(text: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

/**
 * The common shape, `YYYY-MM-DD[T ]HH:MM:SS[.ffffff][Z]`, read by position without a regular
 * expression or a Date: most timestamps in files look like this. Null for any other shape.
 */
function fastTimestampMicros(text: string): bigint | null {
  const length = text.length;
  if (length < 19 || length > 27) return null;
  const separator = text.charCodeAt(10);
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || (separator !== 84 && separator !== 32)
    || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return null;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  if (year < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || !validDate(year, month, day)) return null;
  let end = length;
  if (text.charCodeAt(end - 1) === 90) end--;
  let fraction = 0;
  if (end > 19) {
    const fractionDigits = end - 20;
    if (text.charCodeAt(19) !== 46 || fractionDigits < 1 || fractionDigits > 6) return null;
    fraction = digits(text, 20, fractionDigits);
    if (fraction < 0) return null;
    fraction *= 10 ** (6 - fractionDigits);
  }
  const seconds = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
  // Exact as a double up to 2^53 µs (about year 2255); later values take the BigInt path.
  const micros = seconds * 1_000_000 + fraction;
  return Number.isSafeInteger(micros) ? BigInt(micros) : BigInt(seconds) * 1_000_000n + BigInt(fraction);
}

/** Microseconds since the epoch of an ISO 8601 timestamp; without a zone the text is taken as UTC. */
export function parseTimestampMicros(text: string): bigint {
  const fast = fastTimestampMicros(text);
  if (fast !== null) return fast;
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
