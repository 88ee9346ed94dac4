import { Int16, Int32, Int64, Int8, Uint16, Uint32, Uint64, Uint8, type DataType } from 'apache-arrow';
import { ValueError } from '../../../arrow/builders/column-builder.js';
import { ColumnDecoder, notA, smallInteger, text, writeInt64Words } from './decoder.js';

type SmallArray = Int8Array | Int16Array | Int32Array | Uint8Array | Uint16Array | Uint32Array;

const SMALL: Record<string, { type: () => DataType; array: (n: number) => SmallArray; min: number; max: number }> = {
  i8: { type: () => new Int8(), array: (n) => new Int8Array(n), min: -128, max: 127 },
  i16: { type: () => new Int16(), array: (n) => new Int16Array(n), min: -32768, max: 32767 },
  i32: { type: () => new Int32(), array: (n) => new Int32Array(n), min: -2147483648, max: 2147483647 },
  u8: { type: () => new Uint8(), array: (n) => new Uint8Array(n), min: 0, max: 255 },
  u16: { type: () => new Uint16(), array: (n) => new Uint16Array(n), min: 0, max: 65535 },
  u32: { type: () => new Uint32(), array: (n) => new Uint32Array(n), min: 0, max: 4294967295 },
};

/** TINYINT..INT and YEAR, signed or unsigned, into the Arrow integer of the same width. */
export class SmallIntDecoder extends ColumnDecoder {
  private readonly values: SmallArray;
  private readonly min: number;
  private readonly max: number;

  constructor(bits: 8 | 16 | 32, signed: boolean, capacity: number) {
    const kind = SMALL[`${signed ? 'i' : 'u'}${bits}`];
    super(kind.type(), capacity);
    this.values = kind.array(capacity);
    this.min = kind.min;
    this.max = kind.max;
  }

  append(buf: Buffer, start: number, end: number, index: number): void {
    const value = smallInteger(buf, start, end);
    if (!(value >= this.min && value <= this.max)) throw new ValueError(`'${text(buf, start, end)}' is not an integer from ${this.min} to ${this.max}`);
    this.values[index] = value;
    this.valid(index);
  }

  protected buffers(length: number): Record<string, ArrayBufferView> {
    return { data: this.values.subarray(0, length) };
  }
}

const DIGITS = /^-?\d+$/;

/**
 * BIGINT signed and unsigned, exact over the whole range: up to 15 digits through a double
 * (exact below 2^53), longer ones through BigInt.
 */
export class BigIntDecoder extends ColumnDecoder {
  private readonly words: Uint32Array;
  private readonly big: BigInt64Array | BigUint64Array;
  private readonly min: bigint;
  private readonly max: bigint;

  constructor(private readonly signed: boolean, capacity: number) {
    super(signed ? new Int64() : new Uint64(), capacity);
    this.words = new Uint32Array(capacity * 2);
    this.big = signed ? new BigInt64Array(this.words.buffer) : new BigUint64Array(this.words.buffer);
    this.min = signed ? -(2n ** 63n) : 0n;
    this.max = signed ? 2n ** 63n - 1n : 2n ** 64n - 1n;
  }

  append(buf: Buffer, start: number, end: number, index: number): void {
    const value = smallInteger(buf, start, end);
    if (value === value && (this.signed || value >= 0)) writeInt64Words(this.words, index * 2, value);
    else this.big[index] = this.long(buf, start, end);
    this.valid(index);
  }

  private long(buf: Buffer, start: number, end: number): bigint {
    const digits = text(buf, start, end);
    if (!DIGITS.test(digits)) throw notA('an integer', buf, start, end);
    const value = BigInt(digits);
    if (value < this.min || value > this.max) throw new ValueError(`${digits} is out of range ${this.min}..${this.max}`);
    return value;
  }

  protected buffers(length: number): Record<string, ArrayBufferView> {
    return { data: this.big.subarray(0, length) };
  }
}

/** BIT(n): big-endian bytes, as an unsigned 64-bit integer. */
export class BitDecoder extends ColumnDecoder {
  private readonly words: Uint32Array;

  constructor(capacity: number) {
    super(new Uint64(), capacity);
    this.words = new Uint32Array(capacity * 2);
  }

  append(buf: Buffer, start: number, end: number, index: number): void {
    if (end - start > 8) throw new ValueError(`a BIT value of ${end - start} bytes does not fit 64 bits`);
    let low = 0;
    let high = 0;
    for (let i = start; i < end; i++) {
      high = ((high << 8) | (low >>> 24)) >>> 0;
      low = ((low << 8) | buf[i]) >>> 0;
    }
    this.words[index * 2] = low;
    this.words[index * 2 + 1] = high;
    this.valid(index);
  }

  protected buffers(length: number): Record<string, ArrayBufferView> {
    return { data: new BigUint64Array(this.words.buffer, 0, length) };
  }
}
