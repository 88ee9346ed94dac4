import { Binary, Bool, Decimal, Float64, Int32, Int64, TimestampMicrosecond, Utf8, makeData, type Data, type DataType } from 'apache-arrow';
import { GrowableBytes } from '../../arrow/builders/growable.js';
import { BSON, dateMillis, int32At, objectIdHex } from './bson-bytes.js';
import { readDecimal128 } from './decimal128.js';
import { jsonText } from './json-text.js';
import { writeJson } from './json-bytes.js';

/** The column types a MongoDB field can be read as (config `columns` names them so). */
export type ColumnKind = 'string' | 'objectid' | 'int32' | 'int64' | 'double' | 'decimal' | 'bool' | 'date' | 'binary' | 'json';

/**
 * One column of one batch, written straight from a BSON value's bytes into Arrow storage sized
 * for the batch. `append` returns false for a value its type cannot hold exactly: the caller
 * stores NULL and counts it.
 */
export abstract class BsonColumn {
  nullCount = 0;
  protected readonly validity: Uint8Array;

  constructor(readonly type: DataType, protected readonly capacity: number) {
    this.validity = new Uint8Array((capacity + 7) >> 3);
  }

  abstract append(buf: Buffer, type: number, at: number, end: number, row: number): boolean;

  appendNull(row: number): void {
    this.nullCount++;
    this.nulled(row);
  }

  protected nulled(row: number): void {
    void row;
  }

  protected valid(row: number): void {
    this.validity[row >> 3] |= 1 << (row & 7);
  }

  finish(length: number): Data {
    const nullBitmap = this.nullCount === 0 ? new Uint8Array(0) : this.validity.subarray(0, (length + 7) >> 3);
    return makeData({ type: this.type as never, length, nullCount: this.nullCount, nullBitmap, ...this.buffers(length) } as never);
  }

  protected abstract buffers(length: number): Record<string, ArrayBufferView>;
}

/** Variable-width values (text, binary): offsets and bytes. */
abstract class VariableColumn extends BsonColumn {
  protected readonly offsets: Int32Array;
  protected readonly bytes = new GrowableBytes(1 << 16);

  constructor(type: DataType, capacity: number) {
    super(type, capacity);
    this.offsets = new Int32Array(capacity + 1);
  }

  protected copy(buf: Buffer, start: number, end: number, row: number): void {
    const length = end - start;
    this.bytes.reserve(length);
    buf.copy(this.bytes.buffer, this.bytes.length, start, end);
    this.bytes.length += length;
    this.offsets[row + 1] = this.bytes.length;
    this.valid(row);
  }

  protected text(text: string, row: number): void {
    this.bytes.reserve(text.length * 3);
    this.bytes.length += this.bytes.buffer.write(text, this.bytes.length, 'utf8');
    this.offsets[row + 1] = this.bytes.length;
    this.valid(row);
  }

  protected override nulled(row: number): void {
    this.offsets[row + 1] = this.bytes.length;
  }

  protected buffers(length: number): Record<string, ArrayBufferView> {
    return { valueOffsets: this.offsets.subarray(0, length + 1), data: this.bytes.buffer.subarray(0, this.bytes.length) };
  }
}

class StringColumn extends VariableColumn {
  constructor(capacity: number) {
    super(new Utf8(), capacity);
  }

  append(buf: Buffer, type: number, at: number, _end: number, row: number): boolean {
    if (type !== BSON.STRING && type !== BSON.SYMBOL) return false;
    this.copy(buf, at + 4, at + 3 + int32At(buf, at), row);
    return true;
  }
}

class ObjectIdColumn extends VariableColumn {
  constructor(capacity: number) {
    super(new Utf8(), capacity);
  }

  append(buf: Buffer, type: number, at: number, end: number, row: number): boolean {
    if (type === BSON.OBJECT_ID) this.text(objectIdHex(buf, at), row);
    else if (type === BSON.STRING) this.copy(buf, at + 4, at + 3 + int32At(buf, at), row);
    else this.text(jsonText(buf, type, at, end), row);
    return true;
  }
}

class JsonColumn extends VariableColumn {
  constructor(capacity: number) {
    super(new Utf8(), capacity);
  }

  append(buf: Buffer, type: number, at: number, end: number, row: number): boolean {
    writeJson(buf, type, at, end, this.bytes);
    this.offsets[row + 1] = this.bytes.length;
    this.valid(row);
    return true;
  }
}

class BinaryColumn extends VariableColumn {
  constructor(capacity: number) {
    super(new Binary(), capacity);
  }

  append(buf: Buffer, type: number, at: number, _end: number, row: number): boolean {
    if (type !== BSON.BINARY) return false;
    let start = at + 5;
    let length = int32At(buf, at);
    // Subtype 2 (the old binary form) repeats the length inside the value.
    if (buf[at + 4] === 2) {
      length = int32At(buf, start);
      start += 4;
    }
    this.copy(buf, start, start + length, row);
    return true;
  }
}

class Int32Column extends BsonColumn {
  private readonly values: Int32Array;

  constructor(capacity: number) {
    super(new Int32(), capacity);
    this.values = new Int32Array(capacity);
  }

  append(buf: Buffer, type: number, at: number, _end: number, row: number): boolean {
    if (type === BSON.INT32) this.values[row] = int32At(buf, at);
    else if (type === BSON.INT64 && int32At(buf, at + 4) === int32At(buf, at) >> 31) this.values[row] = int32At(buf, at);
    else return false;
    this.valid(row);
    return true;
  }

  protected buffers(length: number): Record<string, ArrayBufferView> {
    return { data: this.values.subarray(0, length) };
  }
}

/** 64-bit values kept as pairs of 32-bit words: no BigInt per value. */
abstract class WordPairColumn extends BsonColumn {
  protected readonly words: Int32Array;

  constructor(type: DataType, capacity: number) {
    super(type, capacity);
    this.words = new Int32Array(capacity * 2);
  }

  protected setNumber(row: number, value: number): void {
    const high = Math.floor(value / 4294967296);
    this.words[row * 2] = value - high * 4294967296;
    this.words[row * 2 + 1] = high;
    this.valid(row);
  }

  protected buffers(length: number): Record<string, ArrayBufferView> {
    return { data: new BigInt64Array(this.words.buffer, 0, length) };
  }
}

class Int64Column extends WordPairColumn {
  constructor(capacity: number) {
    super(new Int64(), capacity);
  }

  append(buf: Buffer, type: number, at: number, _end: number, row: number): boolean {
    if (type === BSON.INT64) {
      this.words[row * 2] = int32At(buf, at);
      this.words[row * 2 + 1] = int32At(buf, at + 4);
      this.valid(row);
    } else if (type === BSON.INT32) {
      this.setNumber(row, int32At(buf, at));
    } else if (type === BSON.DOUBLE) {
      const value = buf.readDoubleLE(at);
      if (!Number.isSafeInteger(value)) return false;
      this.setNumber(row, value);
    } else return false;
    return true;
  }
}

const MAX_EXACT_MICROS = Number.MAX_SAFE_INTEGER / 1000;

class DateColumn extends WordPairColumn {
  constructor(capacity: number) {
    super(new TimestampMicrosecond('UTC'), capacity);
  }

  append(buf: Buffer, type: number, at: number, _end: number, row: number): boolean {
    if (type !== BSON.DATE) return false;
    const ms = dateMillis(buf, at);
    if (Math.abs(ms) <= MAX_EXACT_MICROS) {
      this.setNumber(row, ms * 1000);
      return true;
    }
    // Past year 2255 the microseconds leave exact doubles; past ±294,000 years, 64 bits.
    const micros = BigInt(ms) * 1000n;
    if (BigInt.asIntN(64, micros) !== micros) return false;
    this.words[row * 2] = Number(BigInt.asIntN(32, micros));
    this.words[row * 2 + 1] = Number(micros >> 32n);
    this.valid(row);
    return true;
  }
}

class DoubleColumn extends BsonColumn {
  private readonly values: Float64Array;

  constructor(capacity: number) {
    super(new Float64(), capacity);
    this.values = new Float64Array(capacity);
  }

  append(buf: Buffer, type: number, at: number, _end: number, row: number): boolean {
    if (type === BSON.DOUBLE) this.values[row] = buf.readDoubleLE(at);
    else if (type === BSON.INT32) this.values[row] = int32At(buf, at);
    else if (type === BSON.INT64) {
      const value = int32At(buf, at + 4) * 4294967296 + (int32At(buf, at) >>> 0);
      if (!Number.isSafeInteger(value)) return false;
      this.values[row] = value;
    } else return false;
    this.valid(row);
    return true;
  }

  protected buffers(length: number): Record<string, ArrayBufferView> {
    return { data: this.values.subarray(0, length) };
  }
}

class BoolColumn extends BsonColumn {
  private readonly bits: Uint8Array;

  constructor(capacity: number) {
    super(new Bool(), capacity);
    this.bits = new Uint8Array((capacity + 7) >> 3);
  }

  append(buf: Buffer, type: number, at: number, _end: number, row: number): boolean {
    if (type !== BSON.BOOLEAN) return false;
    if (buf[at] !== 0) this.bits[row >> 3] |= 1 << (row & 7);
    this.valid(row);
    return true;
  }

  protected buffers(length: number): Record<string, ArrayBufferView> {
    return { data: this.bits.subarray(0, (length + 7) >> 3) };
  }
}

const POWERS_OF_TEN = Array.from({ length: 16 }, (_, i) => 10 ** i);
/** Below 10^15 every product above is exact, and 15 digits fit any precision from 15 up. */
const MAX_SMALL_DECIMAL = 999_999_999_999_999;

/** Decimal128 values rescaled exactly to Decimal(precision, scale); a value that does not fit is refused. */
class DecimalColumn extends BsonColumn {
  private readonly words: Uint32Array;
  private readonly limit: bigint;
  private readonly smallLimit: number;

  constructor(capacity: number, private readonly precision: number, private readonly scale: number) {
    super(new Decimal(scale, precision, 128), capacity);
    this.words = new Uint32Array(capacity * 4);
    this.limit = 10n ** BigInt(precision);
    this.smallLimit = Math.min(10 ** precision, MAX_SMALL_DECIMAL + 1);
  }

  append(buf: Buffer, type: number, at: number, _end: number, row: number): boolean {
    if (type === BSON.DECIMAL128 && this.appendSmall(buf, at, row)) return true;
    let scaled: bigint | null;
    if (type === BSON.DECIMAL128) scaled = this.rescale(buf, at);
    else if (type === BSON.INT32) scaled = BigInt(int32At(buf, at)) * 10n ** BigInt(this.scale);
    else if (type === BSON.INT64) scaled = ((BigInt(int32At(buf, at + 4)) << 32n) | BigInt(int32At(buf, at) >>> 0)) * 10n ** BigInt(this.scale);
    else return false;
    if (scaled === null || scaled >= this.limit || scaled <= -this.limit) return false;
    let rest = BigInt.asUintN(128, scaled);
    for (let i = 0; i < 4; i++) {
      this.words[row * 4 + i] = Number(rest & 0xffffffffn);
      rest >>= 32n;
    }
    this.valid(row);
    return true;
  }

  /**
   * The common case without BigInt: a coefficient below 2^53 whose rescaled value stays below
   * 2^53. False when the value needs the exact BigInt path.
   */
  private appendSmall(buf: Buffer, at: number, row: number): boolean {
    const top = int32At(buf, at + 12);
    const low = int32At(buf, at) >>> 0;
    const middle = int32At(buf, at + 4) >>> 0;
    if (int32At(buf, at + 8) !== 0 || (top & 0x1ffff) !== 0 || ((top >>> 29) & 3) === 3 || middle >= 0x200000) return false;
    const shift = ((top >>> 17) & 0x3fff) - 6176 + this.scale;
    if (shift < -15 || shift > 15) return false;
    let value = middle * 4294967296 + low;
    if (shift >= 0) value *= POWERS_OF_TEN[shift];
    else if (value % POWERS_OF_TEN[-shift] === 0) value /= POWERS_OF_TEN[-shift];
    else return false;
    if (!(value < this.smallLimit)) return false;
    if (top < 0) value = -value;
    const high = Math.floor(value / 4294967296);
    const base = row * 4;
    this.words[base] = value - high * 4294967296;
    this.words[base + 1] = high;
    this.words[base + 2] = value < 0 ? 0xffffffff : 0;
    this.words[base + 3] = value < 0 ? 0xffffffff : 0;
    this.valid(row);
    return true;
  }

  private rescale(buf: Buffer, at: number): bigint | null {
    const parts = readDecimal128(buf, at);
    if (parts === null) return null;
    const shift = parts.exponent + this.scale;
    if (shift >= 0) return parts.coefficient * 10n ** BigInt(shift);
    const divisor = 10n ** BigInt(-shift);
    // Digits below the scale are kept only when they are zeros: never round.
    return parts.coefficient % divisor === 0n ? parts.coefficient / divisor : null;
  }

  protected buffers(length: number): Record<string, ArrayBufferView> {
    return { data: this.words.subarray(0, length * 4) };
  }
}

/** A column's type as planned: its kind, and precision and scale for decimals. */
export interface ColumnType {
  readonly kind: ColumnKind;
  readonly precision?: number;
  readonly scale?: number;
}

export function createColumn(type: ColumnType, capacity: number): BsonColumn {
  switch (type.kind) {
    case 'string': return new StringColumn(capacity);
    case 'objectid': return new ObjectIdColumn(capacity);
    case 'json': return new JsonColumn(capacity);
    case 'binary': return new BinaryColumn(capacity);
    case 'int32': return new Int32Column(capacity);
    case 'int64': return new Int64Column(capacity);
    case 'double': return new DoubleColumn(capacity);
    case 'bool': return new BoolColumn(capacity);
    case 'date': return new DateColumn(capacity);
    case 'decimal': return new DecimalColumn(capacity, type.precision ?? 38, type.scale ?? 0);
  }
}
