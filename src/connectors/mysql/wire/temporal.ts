import { DateDay, Duration, TimeUnit, TimestampMicrosecond } from 'apache-arrow';
import { daysFromCivil, validDate } from '../../../arrow/builders/temporal.js';
import { ColumnDecoder, notA, type DecodeWarnings, writeInt64Words } from './decoder.js';

/** `count` ASCII digits at `at` as a number, or -1 if one is not a digit. */
function digitsAt(buf: Buffer, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const digit = buf[i] - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** MySQL's zero dates ('0000-00-00', '2024-00-10', '2024-01-00') exist in no calendar: NULL, counted. */
const ZERO_DATE = 'zero_dates_as_null';

/**
 * Days since 1970-01-01 of the 'YYYY-MM-DD' at `start`; null for a zero date; throws for any other
 * text or a date that does not exist (a server with ALLOW_INVALID_DATES can hold 2024-02-31).
 */
function civilDays(buf: Buffer, start: number, end: number): number | null {
  const year = digitsAt(buf, start, 4);
  const month = digitsAt(buf, start + 5, 2);
  const day = digitsAt(buf, start + 8, 2);
  if (end - start < 10 || year < 0 || month < 0 || day < 0 || buf[start + 4] !== 45 || buf[start + 7] !== 45) throw notA('a date (YYYY-MM-DD)', buf, start, end);
  if (year === 0 || month === 0 || day === 0) return null;
  if (!validDate(year, month, day)) throw notA('a valid date', buf, start, end);
  return daysFromCivil(year, month, day);
}

/** DATE as Arrow date32 (days). */
export class DateDecoder extends ColumnDecoder {
  private readonly values: Int32Array;

  constructor(capacity: number, private readonly warnings: DecodeWarnings) {
    super(new DateDay(), capacity);
    this.values = new Int32Array(capacity);
  }

  append(buf: Buffer, start: number, end: number, index: number): void {
    if (end - start !== 10) throw notA('a date (YYYY-MM-DD)', buf, start, end);
    const days = civilDays(buf, start, end);
    if (days === null) {
      this.warnings.count(ZERO_DATE);
      this.appendNull(index);
      return;
    }
    this.values[index] = days;
    this.valid(index);
  }

  protected buffers(length: number): Record<string, ArrayBufferView> {
    return { data: this.values.subarray(0, length) };
  }
}

/** The microseconds of '.f' to '.ffffff' at `start` (the dot included), or -1. */
function fractionMicros(buf: Buffer, start: number, end: number): number {
  const count = end - start - 1;
  if (count === -1) return 0;
  if (buf[start] !== 46 || count < 1 || count > 6) return -1;
  const value = digitsAt(buf, start + 1, count);
  return value < 0 ? -1 : value * 10 ** (6 - count);
}

/**
 * DATETIME (timezone null: a wall-clock value) and TIMESTAMP (read in a UTC session: 'UTC') as
 * Arrow timestamp[us], from 'YYYY-MM-DD HH:MM:SS[.ffffff]'.
 */
export class TimestampDecoder extends ColumnDecoder {
  private readonly words: Uint32Array;

  constructor(timezone: string | null, capacity: number, private readonly warnings: DecodeWarnings) {
    super(new TimestampMicrosecond(timezone), capacity);
    this.words = new Uint32Array(capacity * 2);
  }

  append(buf: Buffer, start: number, end: number, index: number): void {
    if (end - start < 19 || buf[start + 10] !== 32 || buf[start + 13] !== 58 || buf[start + 16] !== 58) throw notA('a date and time', buf, start, end);
    const days = civilDays(buf, start, start + 10);
    if (days === null) {
      this.warnings.count(ZERO_DATE);
      this.appendNull(index);
      return;
    }
    const hour = digitsAt(buf, start + 11, 2);
    const minute = digitsAt(buf, start + 14, 2);
    const second = digitsAt(buf, start + 17, 2);
    const micros = fractionMicros(buf, start + 19, end);
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || micros < 0) throw notA('a date and time', buf, start, end);
    const seconds = days * 86400 + hour * 3600 + minute * 60 + second;
    // Exact as a double within 2^53 µs of 1970 (years 1685..2255); the rest through BigInt.
    const value = seconds * 1_000_000 + micros;
    if (Number.isSafeInteger(value)) writeInt64Words(this.words, index * 2, value);
    else new BigInt64Array(this.words.buffer, index * 8, 1)[0] = BigInt(seconds) * 1_000_000n + BigInt(micros);
    this.valid(index);
  }

  protected buffers(length: number): Record<string, ArrayBufferView> {
    return { data: new BigInt64Array(this.words.buffer, 0, length) };
  }
}

/** TIME, '[-]H:MM:SS[.ffffff]' with up to 838 hours, as Arrow duration[us]: it may be negative or over 24 h. */
export class TimeDecoder extends ColumnDecoder {
  private readonly words: Uint32Array;

  constructor(capacity: number) {
    super(new Duration(TimeUnit.MICROSECOND), capacity);
    this.words = new Uint32Array(capacity * 2);
  }

  append(buf: Buffer, start: number, end: number, index: number): void {
    const negative = buf[start] === 45;
    let i = negative ? start + 1 : start;
    let hours = 0;
    const hoursFrom = i;
    for (; i < end && buf[i] !== 58; i++) {
      const digit = buf[i] - 48;
      if (digit < 0 || digit > 9) throw notA('a time span ([-]H:MM:SS[.ffffff])', buf, start, end);
      hours = hours * 10 + digit;
    }
    const minute = digitsAt(buf, i + 1, 2);
    const second = digitsAt(buf, i + 4, 2);
    const micros = fractionMicros(buf, i + 6, end);
    if (i === hoursFrom || i - hoursFrom > 4 || end < i + 6 || buf[i + 3] !== 58 || minute < 0 || minute > 59 || second < 0 || second > 59 || micros < 0) {
      throw notA('a time span ([-]H:MM:SS[.ffffff])', buf, start, end);
    }
    const value = ((hours * 3600 + minute * 60 + second) * 1_000_000 + micros) * (negative ? -1 : 1);
    writeInt64Words(this.words, index * 2, value);
    this.valid(index);
  }

  protected buffers(length: number): Record<string, ArrayBufferView> {
    return { data: new BigInt64Array(this.words.buffer, 0, length) };
  }
}
