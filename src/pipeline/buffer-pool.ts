/**
 * ArrayBuffers that carried batches between threads and came back: the next batches are
 * written into them instead of into new memory. Holds at most `limit`; a buffer too small for
 * a batch is dropped for a bigger one.
 */
export class BufferPool {
  private readonly free: ArrayBuffer[] = [];

  constructor(private readonly limit: number) {}

  /** A buffer of at least `size` bytes: a returned one when one fits, else a new one with room to grow. */
  take(size: number): ArrayBuffer {
    let best = -1;
    for (let i = 0; i < this.free.length; i++) {
      const length = this.free[i].byteLength;
      if (length >= size && (best < 0 || length < this.free[best].byteLength)) best = i;
    }
    if (best >= 0) return this.free.splice(best, 1)[0];
    if (this.free.length > 0) this.free.pop();
    return new ArrayBuffer(size + (size >> 3));
  }

  give(buffer: ArrayBuffer): void {
    if (buffer.byteLength === 0 || this.free.length >= this.limit) return;
    this.free.push(buffer);
  }
}
