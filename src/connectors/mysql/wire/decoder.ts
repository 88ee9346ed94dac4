import { makeData, type Data, type DataType } from 'apache-arrow';
import { ValueError } from '../../../arrow/builders/column-builder.js';

/** What a decoder reports while it reads: values MySQL holds that no Arrow type can (zero dates). */
export interface DecodeWarnings {
  count(name: string): void;
}

/**
 * Reads one column of one page straight from the bytes of text-protocol row packets into Arrow
 * storage sized for the page: no Buffer, string or builder call per value. `append` gets the
 * value's bytes as `buf[start, end)` and the row's index; a value the type cannot hold throws a
 * ValueError (the caller names column and row).
 */
export abstract class ColumnDecoder {
  nullCount = 0;
  /** Validity, one bit per row, 1 = a value; dropped at finish when nothing is null. */
  protected readonly validity: Uint8Array;

  constructor(readonly type: DataType, capacity: number) {
    this.validity = new Uint8Array((capacity + 7) >> 3);
  }

  abstract append(buf: Buffer, start: number, end: number, index: number): void;

  appendNull(index: number): void {
    this.nullCount++;
    this.nulled(index);
  }

  /** A fixed-width slot left as zero; variable-width columns record an empty value. */
  protected nulled(index: number): void {
    void index;
  }

  /** Empties the decoder for the next page; its storage is kept and overwritten. */
  reset(): void {
    this.nullCount = 0;
    this.validity.fill(0);
  }

  protected valid(index: number): void {
    this.validity[index >> 3] |= 1 << (index & 7);
  }

  /** The page's `length` rows as Arrow data over this decoder's storage (no copy). */
  finish(length: number): Data {
    const nullBitmap = this.nullCount === 0 ? new Uint8Array(0) : this.validity.subarray(0, (length + 7) >> 3);
    return makeData({ type: this.type as never, length, nullCount: this.nullCount, nullBitmap, ...this.buffers(length) } as never);
  }

  protected abstract buffers(length: number): Record<string, ArrayBufferView>;
}

/** The value's bytes as text, for error messages and rare slow paths. */
export function text(buf: Buffer, start: number, end: number): string {
  // Buffer#latin1Slice: toString('latin1', ...) without its argument checks, in the hot path of doubles.
  return (buf as unknown as { latin1Slice(start: number, end: number): string }).latin1Slice(start, end);
}

export function abbreviated(buf: Buffer, start: number, end: number): string {
  const value = buf.toString('utf8', start, Math.min(end, start + 40));
  return end - start > 40 ? `${value}...` : value;
}

/**
 * The value of plain ASCII digits with an optional leading '-', or NaN when the text is anything
 * else or too long to be exact as a double (over 15 digits: the caller takes its BigInt path).
 */
export function smallInteger(buf: Buffer, start: number, end: number): number {
  let i = start;
  const negative = buf[i] === 45;
  if (negative) i++;
  if (i === end || end - i > 15) return NaN;
  let value = 0;
  for (; i < end; i++) {
    const digit = buf[i] - 48;
    if (digit < 0 || digit > 9) return NaN;
    value = value * 10 + digit;
  }
  return negative ? -value : value;
}

/** Writes an exact integer (|value| < 2^53) as two little-endian 32-bit words of two's complement. */
export function writeInt64Words(words: Uint32Array, at: number, value: number): void {
  words[at] = value >>> 0;
  words[at + 1] = Math.floor(value / 4294967296) >>> 0;
}

export function notA(what: string, buf: Buffer, start: number, end: number): ValueError {
  return new ValueError(`'${abbreviated(buf, start, end)}' is not ${what}`);
}
