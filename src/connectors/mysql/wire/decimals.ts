import { Decimal, Float32, Float64 } from 'apache-arrow';
import { DecimalBuilder, writeWords } from '../../../arrow/builders/decimal.js';
import { ValueError } from '../../../arrow/builders/column-builder.js';
import { ColumnDecoder, notA, text } from './decoder.js';

const POWERS_OF_TEN = Array.from({ length: 16 }, (_, i) => 10 ** i);

/**
 * DECIMAL(p,s) as Arrow decimal128 (p <= 38) or decimal256: the digits become the scaled integer,
 * never a float. Values of up to 15 digits are read with doubles (exact); longer ones through
 * BigInt, with the same checks as the file sources' decimal parser.
 */
export class DecimalDecoder extends ColumnDecoder {
  private readonly words: Uint32Array;
  private readonly stride: number;
  private readonly slow: DecimalBuilder;
  private readonly integerDigits: number;

  constructor(precision: number, private readonly scale: number, capacity: number) {
    const bits = precision <= 38 ? 128 : 256;
    super(new Decimal(scale, precision, bits), capacity);
    this.stride = bits / 32;
    this.words = new Uint32Array(capacity * this.stride);
    this.slow = new DecimalBuilder(precision, scale);
    this.integerDigits = precision - scale;
  }

  append(buf: Buffer, start: number, end: number, index: number): void {
    const value = this.fast(buf, start, end);
    const at = index * this.stride;
    if (value === value) {
      this.words[at] = value >>> 0;
      this.words[at + 1] = Math.floor(value / 4294967296) >>> 0;
      const fill = value < 0 ? 0xffffffff : 0;
      for (let i = 2; i < this.stride; i++) this.words[at + i] = fill;
    } else {
      try {
        writeWords(this.slow.parse(text(buf, start, end)), this.words, at, this.stride);
      } catch (error) {
        if (error instanceof ValueError) throw error;
        throw notA('a decimal number', buf, start, end);
      }
    }
    this.valid(index);
  }

  /** The scaled integer of `[-]digits[.digits]` with exactly `scale` fraction digits and at most 15 digits in all; NaN for anything else. */
  private fast(buf: Buffer, start: number, end: number): number {
    let i = start;
    const negative = buf[i] === 45;
    if (negative) i++;
    let value = 0;
    let digits = 0;
    let integerDigits = 0;
    let fractionDigits = -1;
    let anyDigit = false;
    for (; i < end; i++) {
      const c = buf[i];
      if (c === 46 && fractionDigits < 0) {
        fractionDigits = 0;
        continue;
      }
      const digit = c - 48;
      if (digit < 0 || digit > 9) return NaN;
      anyDigit = true;
      if (value !== 0 || digit !== 0) digits++;
      if (fractionDigits < 0) integerDigits += value !== 0 || digit !== 0 ? 1 : 0;
      else fractionDigits++;
      value = value * 10 + digit;
    }
    if (fractionDigits < 0) fractionDigits = 0;
    if (digits > 15 || fractionDigits > this.scale || integerDigits > this.integerDigits || !anyDigit) return NaN;
    const scaled = value * POWERS_OF_TEN[this.scale - fractionDigits];
    if (!Number.isSafeInteger(scaled)) return NaN;
    return negative ? -scaled : scaled;
  }

  protected buffers(length: number): Record<string, ArrayBufferView> {
    return { data: this.words.subarray(0, length * this.stride) };
  }
}

/**
 * DOUBLE, and FLOAT read through CAST(... AS DOUBLE) (MariaDB prints FLOAT with 6 digits), parsed
 * by Number(): exact, unlike mysql2's own digit loop.
 */
export class FloatDecoder extends ColumnDecoder {
  private readonly values: Float32Array | Float64Array;

  constructor(bits: 32 | 64, capacity: number) {
    super(bits === 32 ? new Float32() : new Float64(), capacity);
    this.values = bits === 32 ? new Float32Array(capacity) : new Float64Array(capacity);
  }

  append(buf: Buffer, start: number, end: number, index: number): void {
    const value = Number(text(buf, start, end));
    if (value !== value && text(buf, start, end).toLowerCase() !== 'nan') throw notA('a number', buf, start, end);
    this.values[index] = value;
    this.valid(index);
  }

  protected buffers(length: number): Record<string, ArrayBufferView> {
    return { data: this.values.subarray(0, length) };
  }
}
