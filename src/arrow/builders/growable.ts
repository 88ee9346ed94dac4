/** Typed-array storage that doubles when full; `view()` is the filled part, no copy. */
export class GrowableBytes {
  /** A Buffer, so text can be encoded into it in place (Buffer#write). */
  buffer: Buffer;
  length = 0;

  constructor(capacity = 1024) {
    this.buffer = Buffer.alloc(capacity);
  }

  reserve(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.buffer.length) return;
    let capacity = this.buffer.length * 2;
    while (capacity < needed) capacity *= 2;
    const next = Buffer.alloc(capacity);
    this.buffer.copy(next, 0, 0, this.length);
    this.buffer = next;
  }

  /** A copy of the filled part, in an ArrayBuffer of its own. */
  copy(): Uint8Array {
    return new Uint8Array(this.buffer.subarray(0, this.length));
  }
}

/** A validity bitmap (1 = value present) built one bit at a time. */
export class ValidityBits {
  private bits = new Uint8Array(128);
  nullCount = 0;

  set(index: number, valid: boolean): void {
    const byte = index >> 3;
    if (byte >= this.bits.length) {
      const next = new Uint8Array(Math.max(this.bits.length * 2, byte + 1));
      next.set(this.bits);
      this.bits = next;
    }
    if (valid) this.bits[byte] |= 1 << (index & 7);
    else {
      this.bits[byte] &= ~(1 << (index & 7));
      this.nullCount++;
    }
  }

  /** The bitmap for `length` values, or an empty one when nothing is null (Arrow allows that). */
  take(length: number): Uint8Array {
    const out = this.nullCount === 0 ? new Uint8Array(0) : this.bits.slice(0, (length + 7) >> 3);
    this.bits = new Uint8Array(128);
    this.nullCount = 0;
    return out;
  }
}
