import type { Offset } from '../stages/offset.js';

/**
 * The highest key below which every row is loaded. Batches finish loading out of order across
 * target threads; the watermark only moves over the unbroken prefix of finished batches, so a
 * crash never records a key whose earlier rows were still in flight.
 */
export class Watermark {
  private readonly done = new Map<number, Offset | undefined>();
  private next = 1;
  private current: Offset | null;

  constructor(start: Offset | null) {
    this.current = start;
  }

  get offset(): Offset | null {
    return this.current;
  }

  /** Marks batch `sequence` (1-based, in extraction order) loaded; returns true when the watermark moved. */
  loaded(sequence: number, lastKey: Offset | undefined): boolean {
    this.done.set(sequence, lastKey);
    let moved = false;
    while (this.done.has(this.next)) {
      const key = this.done.get(this.next);
      this.done.delete(this.next);
      this.next++;
      if (key !== undefined) {
        this.current = key;
        moved = true;
      }
    }
    return moved;
  }
}
