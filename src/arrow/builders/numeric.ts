import { makeData, type Data, type DataType, Bool, Float32, Float64, Int8, Int16, Int32, Int64, Uint8, Uint16, Uint32, Uint64 } from 'apache-arrow';
import { FixedColumn, ValueError, type TypedArray } from './column-builder.js';
import { SimpleFixedBuilder } from './simple-fixed.js';

const INTEGER = /^[+-]?\d+$/;
const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$|^[+-]?(?:inf|infinity|nan)$/i;

const SMALL_INT_RANGES = {
  8: [-128, 127, 0, 255],
  16: [-32768, 32767, 0, 65535],
  32: [-2147483648, 2147483647, 0, 4294967295],
} as const;

type SmallArray = Exclude<TypedArray, Float32Array | Float64Array | BigInt64Array | BigUint64Array>;

/** int8..int32 and uint8..uint32. */
export class SmallIntBuilder extends SimpleFixedBuilder<SmallArray> {
  private readonly min: number;
  private readonly max: number;

  constructor(bits: 8 | 16 | 32, signed: boolean) {
    const make = SMALL_ARRAYS[`${signed ? 'i' : 'u'}${bits}`];
    super(SMALL_TYPES[`${signed ? 'i' : 'u'}${bits}`](), new FixedColumn(make));
    const range = SMALL_INT_RANGES[bits];
    this.min = signed ? range[0] : range[2];
    this.max = signed ? range[1] : range[3];
  }

  protected store(values: SmallArray, index: number, text: string): void {
    const value = INTEGER.test(text) ? Number(text) : NaN;
    if (!(value >= this.min && value <= this.max)) {
      throw new ValueError(`'${text}' is not an integer from ${this.min} to ${this.max}`);
    }
    values[index] = value;
  }
}

const SMALL_ARRAYS: Record<string, (n: number) => SmallArray> = {
  i8: (n) => new Int8Array(n), i16: (n) => new Int16Array(n), i32: (n) => new Int32Array(n),
  u8: (n) => new Uint8Array(n), u16: (n) => new Uint16Array(n), u32: (n) => new Uint32Array(n),
};
const SMALL_TYPES: Record<string, () => DataType> = {
  i8: () => new Int8(), i16: () => new Int16(), i32: () => new Int32(),
  u8: () => new Uint8(), u16: () => new Uint16(), u32: () => new Uint32(),
};

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** int64 and uint64, exact over the whole range. */
export class BigIntBuilder extends SimpleFixedBuilder<BigInt64Array | BigUint64Array> {
  private readonly min: bigint;
  private readonly max: bigint;

  constructor(signed: boolean) {
    super(signed ? new Int64() : new Uint64(), new FixedColumn<BigInt64Array | BigUint64Array>((n) => (signed ? new BigInt64Array(n) : new BigUint64Array(n))));
    this.min = signed ? INT64_MIN : 0n;
    this.max = signed ? INT64_MAX : UINT64_MAX;
  }

  protected store(values: BigInt64Array | BigUint64Array, index: number, text: string): void {
    if (!INTEGER.test(text)) throw new ValueError(`'${text}' is not an integer`);
    const value = BigInt(text);
    if (value < this.min || value > this.max) {
      throw new ValueError(`${text} is out of range ${this.min}..${this.max}`);
    }
    values[index] = value;
  }
}

/** float32 and float64; accepts NaN and Infinity spelled out. */
export class FloatBuilder extends SimpleFixedBuilder<Float32Array | Float64Array> {
  constructor(bits: 32 | 64) {
    super(bits === 32 ? new Float32() : new Float64(), new FixedColumn<Float32Array | Float64Array>((n) => (bits === 32 ? new Float32Array(n) : new Float64Array(n))));
  }

  protected store(values: Float32Array | Float64Array, index: number, text: string): void {
    if (!FLOAT.test(text)) throw new ValueError(`'${text}' is not a number`);
    values[index] = parseNumber(text);
  }
}

function parseNumber(text: string): number {
  const lower = text.toLowerCase();
  if (lower.endsWith('inf') || lower.endsWith('infinity')) return lower.startsWith('-') ? -Infinity : Infinity;
  return Number(text);
}

const TRUE_WORDS = new Set(['true', 't', '1', 'yes', 'y']);
const FALSE_WORDS = new Set(['false', 'f', '0', 'no', 'n']);

/** Booleans, bit-packed as Arrow stores them. */
export class BoolBuilder extends SimpleFixedBuilder<Uint8Array> {
  constructor() {
    super(new Bool(), new FixedColumn((n) => new Uint8Array(n)));
  }

  protected store(values: Uint8Array, index: number, text: string): void {
    const word = text.toLowerCase();
    if (TRUE_WORDS.has(word)) values[index] = 1;
    else if (!FALSE_WORDS.has(word)) throw new ValueError(`'${text}' is not a boolean (true/false, 1/0, yes/no)`);
    else values[index] = 0;
  }

  override finish(): Data {
    const length = this.length;
    const bytes = this.column.values;
    const packed = new Uint8Array((length + 7) >> 3);
    for (let i = 0; i < length; i++) if (bytes[i]) packed[i >> 3] |= 1 << (i & 7);
    const { nullCount, nullBitmap } = this.takeValidity(length);
    this.column.take(0);
    return makeData({ type: this.type as Bool, length, nullCount, nullBitmap, data: packed });
  }
}
