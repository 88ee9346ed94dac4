import { writeWords } from '../../../arrow/builders/decimal.js';

const TWO_32 = 4294967296;

/**
 * Fixed-width storage in 32-bit words (little-endian), grown by doubling: int64, timestamps and
 * decimals are written as words, from a double where the value is a safe integer (no BigInt made
 * per value) and from a BigInt beyond.
 */
export class WordColumn {
  private words: Uint32Array;

  constructor(private readonly stride: number) {
    this.words = new Uint32Array(1024 * stride);
  }

  private reserve(index: number): Uint32Array {
    const needed = (index + 1) * this.stride;
    if (needed > this.words.length) {
      const next = new Uint32Array(Math.max(this.words.length * 2, needed));
      next.set(this.words);
      this.words = next;
    }
    return this.words;
  }

  /** A safe integer, sign-extended over the stride. */
  setNumber(index: number, value: number): void {
    const words = this.reserve(index);
    const high = Math.floor(value / TWO_32);
    const at = index * this.stride;
    words[at] = value - high * TWO_32;
    if (this.stride === 1) return;
    words[at + 1] = high;
    const fill = value < 0 ? 0xffffffff : 0;
    for (let i = 2; i < this.stride; i++) words[at + i] = fill;
  }

  setBigInt(index: number, value: bigint): void {
    writeWords(value, this.reserve(index), index * this.stride, this.stride);
  }

  setZero(index: number): void {
    this.reserve(index).fill(0, index * this.stride, (index + 1) * this.stride);
  }

  /** The first `length` values, copied into a buffer of their own; the storage is kept for reuse. */
  take(length: number): Uint32Array {
    return this.words.slice(0, length * this.stride);
  }
}
