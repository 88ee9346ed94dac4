import { makeData, Binary, Bool, DateDay, Decimal, Float64, Int64, Time, TimeUnit, TimestampMicrosecond, Utf8, type Data, type DataType } from 'apache-arrow';
import { ValueError } from '../../../arrow/builders/column-builder.js';
import { ValidityBits } from '../../../arrow/builders/growable.js';
import { daysFromCivil, validDate } from '../../../arrow/builders/temporal.js';
import { WordColumn } from './words.js';
import { VariableWidthBuilder } from '../../../arrow/builders/text.js';

/**
 * Turns the REST API's value of one column (a string, or null; arrays and objects for REPEATED and
 * RECORD) into Arrow storage. `add` throws a ValueError naming what was wrong; the page adds where.
 */
export interface CellDecoder {
  readonly type: DataType;
  add(value: unknown): void;
  /** The column of the values added so far; starts afresh. */
  finish(): Data;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const SAFE_DIGITS = 15;

/** The value of a decimal integer text, or a ValueError. */
function parseInteger(text: string): number | bigint {
  if (text.length <= SAFE_DIGITS) {
    const value = +text;
    if (Number.isInteger(value) && text.indexOf('e') < 0 && text.indexOf('E') < 0 && text.indexOf('.') < 0) return value;
  }
  if (!/^-?\d+$/.test(text)) throw new ValueError(`'${text}' is not an integer`);
  const value = BigInt(text);
  if (value < INT64_MIN || value > INT64_MAX) throw new ValueError(`${text} is out of the INT64 range`);
  return value;
}

/** Shared by the fixed-width decoders: validity, length and the Arrow column at the end. */
abstract class WordDecoder implements CellDecoder {
  protected length = 0;
  protected readonly validity = new ValidityBits();
  protected readonly column: WordColumn;

  constructor(readonly type: DataType, private readonly stride: number) {
    this.column = new WordColumn(stride);
  }

  add(value: unknown): void {
    const index = this.length;
    if (value === null || value === undefined) {
      this.column.setZero(index);
      this.validity.set(index, false);
    } else {
      this.store(index, value as string);
      this.validity.set(index, true);
    }
    this.length = index + 1;
  }

  protected abstract store(index: number, text: string): void;

  finish(): Data {
    const length = this.length;
    const nullCount = this.validity.nullCount;
    const nullBitmap = this.validity.take(length);
    const words = this.column.take(length);
    this.length = 0;
    const data = this.stride === 2 ? new BigInt64Array(words.buffer, 0, length) : this.stride === 1 ? new Int32Array(words.buffer, 0, length) : words;
    return makeData({ type: this.type as never, length, nullCount, nullBitmap, data } as never);
  }
}

/** INT64, and TIMESTAMP (int64 microseconds, as `formatOptions.useInt64Timestamp` asks for). */
export class Int64Decoder extends WordDecoder {
  constructor(type: DataType = new Int64()) {
    super(type, 2);
  }

  protected store(index: number, text: string): void {
    const value = parseInteger(text);
    if (typeof value === 'number') this.column.setNumber(index, value);
    else this.column.setBigInt(index, value);
  }
}

export const timestampDecoder = (): CellDecoder => new Int64Decoder(new TimestampMicrosecond('UTC'));

/** Two ASCII digits at `at`, or NaN. */
function two(text: string, at: number): number {
  const a = text.charCodeAt(at) - 48;
  const b = text.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : NaN;
}

/** Microseconds of `HH:MM:SS[.ffffff]` at `at`, or NaN. */
function clockMicros(text: string, at: number): number {
  const hour = two(text, at);
  const minute = two(text, at + 3);
  const second = two(text, at + 6);
  if (text.charCodeAt(at + 2) !== 58 || text.charCodeAt(at + 5) !== 58 || !(hour < 24 && minute < 60 && second < 60)) return NaN;
  let fraction = 0;
  const digits = text.length - at - 9;
  if (digits !== -1) {
    if (text.charCodeAt(at + 8) !== 46 || digits < 1 || digits > 6) return NaN;
    for (let i = 0; i < 6; i++) {
      const d = i < digits ? text.charCodeAt(at + 9 + i) - 48 : 0;
      if (d < 0 || d > 9) return NaN;
      fraction = fraction * 10 + d;
    }
  }
  return ((hour * 60 + minute) * 60 + second) * 1_000_000 + fraction;
}

/** Days since 1970-01-01 of `YYYY-MM-DD`, or NaN. */
function civilDays(text: string): number {
  const year = two(text, 0) * 100 + two(text, 2);
  const month = two(text, 5);
  const day = two(text, 8);
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || !validDate(year, month, day)) return NaN;
  return daysFromCivil(year, month, day);
}

/** DATETIME: `YYYY-MM-DDTHH:MM:SS[.ffffff]`, a wall-clock time as Timestamp(us) without a zone. */
export class DatetimeDecoder extends WordDecoder {
  constructor() {
    super(new TimestampMicrosecond(), 2);
  }

  protected store(index: number, text: string): void {
    const days = civilDays(text);
    const sep = text.charCodeAt(10);
    const clock = clockMicros(text, 11);
    if (Number.isNaN(days) || (sep !== 84 && sep !== 32) || Number.isNaN(clock)) throw new ValueError(`'${text}' is not a DATETIME (YYYY-MM-DDTHH:MM:SS[.ffffff])`);
    const micros = days * 86_400_000_000 + clock;
    // Exact as a double within 2^53 µs of 1970 (years 1685-2255); beyond, in BigInt.
    if (Number.isSafeInteger(micros)) this.column.setNumber(index, micros);
    else this.column.setBigInt(index, BigInt(days) * 86_400_000_000n + BigInt(clock));
  }
}

/** TIME: `HH:MM:SS[.ffffff]` as Time64(us). */
export class TimeDecoder extends WordDecoder {
  constructor() {
    super(new Time(TimeUnit.MICROSECOND, 64), 2);
  }

  protected store(index: number, text: string): void {
    const micros = text.length >= 8 ? clockMicros(text, 0) : NaN;
    if (Number.isNaN(micros)) throw new ValueError(`'${text}' is not a TIME (HH:MM:SS[.ffffff])`);
    this.column.setNumber(index, micros);
  }
}

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/**
 * NUMERIC as Decimal128(38,9) and BIGNUMERIC as Decimal256(76,38): the text's digits become the
 * scaled integer, never through a float; a double only carries values of at most 15 digits.
 */
export class DecimalDecoder extends WordDecoder {
  constructor(private readonly precision: number, private readonly scale: number, private readonly bigTypeName: string) {
    super(new Decimal(scale, precision, precision <= 38 ? 128 : 256), precision <= 38 ? 4 : 8);
  }

  protected store(index: number, text: string): void {
    const digits = scaledDigits(text, this.scale);
    const integerDigits = digits.replace(/^-/, '').length - this.scale;
    if (integerDigits > this.precision - this.scale) {
      throw new ValueError(`${text} has ${integerDigits} digits before the point, more than ${this.type} holds (${this.precision - this.scale})${this.bigTypeName === 'BIGNUMERIC' ? ': name the column in source.bigquery.bignumeric_as_text to read it as exact decimal text' : ''}`);
    }
    if (digits.length <= SAFE_DIGITS) this.column.setNumber(index, +digits);
    else this.column.setBigInt(index, BigInt(digits));
  }
}

/** The unscaled integer of a decimal text at `scale`, as text without leading zeros (`-1.5` at 2: `-150`). */
export function scaledDigits(text: string, scale: number): string {
  const m = DECIMAL.exec(text);
  if (!m) throw new ValueError(`'${text}' is not a decimal number`);
  let whole = m[2];
  let fraction = m[3] ?? '';
  const exponent = m[4] === undefined ? 0 : Number(m[4]);
  if (exponent > 0) {
    const moved = fraction.padEnd(exponent, '0');
    whole += moved.slice(0, exponent);
    fraction = moved.slice(exponent);
  } else if (exponent < 0) {
    const padded = whole.padStart(-exponent + 1, '0');
    fraction = padded.slice(exponent) + fraction;
    whole = padded.slice(0, exponent);
  }
  if (fraction.length > scale) {
    if (/[1-9]/.test(fraction.slice(scale))) throw new ValueError(`'${text}' has more than ${scale} digits after the point`);
    fraction = fraction.slice(0, scale);
  }
  const digits = `${whole}${fraction.padEnd(scale, '0')}`.replace(/^0+(?=\d)/, '');
  return m[1] === '-' && /[1-9]/.test(digits) ? `-${digits}` : digits;
}

/** The same value as plain decimal text (no exponent, no leading zeros), for BIGNUMERIC read as text. */
export function plainDecimal(text: string): string {
  const m = DECIMAL.exec(text);
  if (!m) throw new ValueError(`'${text}' is not a decimal number`);
  const scale = Math.max(0, (m[3] ?? '').length - (m[4] === undefined ? 0 : Number(m[4])));
  const digits = scaledDigits(text, scale);
  const negative = digits.startsWith('-');
  const body = (negative ? digits.slice(1) : digits).padStart(scale + 1, '0');
  const plain = scale === 0 ? body : `${body.slice(0, -scale)}.${body.slice(-scale)}`.replace(/\.?0+$/, '');
  return negative ? `-${plain}` : plain;
}

/** DATE as Date32 (days). */
export class DateDecoder extends WordDecoder {
  constructor() {
    super(new DateDay(), 1);
  }

  protected store(index: number, text: string): void {
    const days = text.length === 10 ? civilDays(text) : NaN;
    if (Number.isNaN(days)) throw new ValueError(`'${text}' is not a DATE (YYYY-MM-DD)`);
    this.column.setNumber(index, days);
  }
}

/** FLOAT64: the API's shortest round-trip text through Number() (exact), NaN and ±Infinity spelled out. */
export class Float64Decoder implements CellDecoder {
  readonly type = new Float64();
  private values = new Float64Array(1024);
  private length = 0;
  private readonly validity = new ValidityBits();

  add(value: unknown): void {
    const index = this.length;
    if (index >= this.values.length) {
      const next = new Float64Array(this.values.length * 2);
      next.set(this.values);
      this.values = next;
    }
    if (value === null || value === undefined) {
      this.values[index] = 0;
      this.validity.set(index, false);
    } else {
      const number = +(value as string);
      if (Number.isNaN(number) && value !== 'NaN') throw new ValueError(`'${String(value)}' is not a FLOAT64`);
      this.values[index] = number;
      this.validity.set(index, true);
    }
    this.length = index + 1;
  }

  finish(): Data {
    const length = this.length;
    const nullCount = this.validity.nullCount;
    this.length = 0;
    return makeData({ type: this.type, length, nullCount, nullBitmap: this.validity.take(length), data: this.values.slice(0, length) });
  }
}

/** BOOL, bit-packed. */
export class BoolDecoder implements CellDecoder {
  readonly type = new Bool();
  private bits = new Uint8Array(128);
  private length = 0;
  private readonly validity = new ValidityBits();

  add(value: unknown): void {
    const index = this.length;
    if (index >> 3 >= this.bits.length) {
      const next = new Uint8Array(this.bits.length * 2);
      next.set(this.bits);
      this.bits = next;
    }
    if (value === 'true') this.bits[index >> 3] |= 1 << (index & 7);
    else if (value !== 'false' && value !== null && value !== undefined) throw new ValueError(`'${String(value)}' is not a BOOL`);
    this.validity.set(index, value === 'true' || value === 'false');
    this.length = index + 1;
  }

  finish(): Data {
    const length = this.length;
    const nullCount = this.validity.nullCount;
    const data = this.bits.slice(0, (length + 7) >> 3);
    this.bits = new Uint8Array(this.bits.length);
    this.length = 0;
    return makeData({ type: this.type, length, nullCount, nullBitmap: this.validity.take(length), data });
  }
}

/**
 * Variable-width values: UTF-8 text (STRING, JSON, GEOGRAPHY...) or bytes decoded from base64,
 * stored by the engine's own variable-width builder.
 */
export class VariableDecoder extends VariableWidthBuilder implements CellDecoder {
  /** `toText` turns a non-null value into the text to store (RECORD and REPEATED values into JSON). */
  constructor(private readonly encoding: 'utf8' | 'base64', private readonly toText?: (value: unknown) => string) {
    super(encoding === 'utf8' ? new Utf8() : new Binary());
  }

  add(value: unknown): void {
    if (value === null || value === undefined) return this.append(null);
    const text = this.toText ? this.toText(value) : (value as string);
    if (typeof text !== 'string') throw new ValueError(`${JSON.stringify(value)} is not text`);
    this.append(text);
  }

  protected write(text: string): void {
    // A UTF-16 code unit takes at most 3 UTF-8 bytes; base64 decodes to fewer bytes than characters.
    this.bytes.reserve(this.encoding === 'utf8' ? text.length * 3 : text.length);
    this.bytes.length += this.bytes.buffer.write(text, this.bytes.length, this.encoding);
  }
}
