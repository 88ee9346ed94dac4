/**
 * Counts batches in flight between extraction and load. Extraction takes a slot per batch and
 * waits when none is free; a batch gives its slot back once it is loaded. This bounds memory by
 * max_buffered_batches, whatever the table's size.
 */
export class BatchSlots {
  private used = 0;
  private peak = 0;
  private readonly waiters: (() => void)[] = [];

  constructor(readonly capacity: number) {}

  get inFlight(): number {
    return this.used;
  }

  /** The most batches ever in flight at once. */
  get maxInFlight(): number {
    return this.peak;
  }

  private closed = false;

  /** Waits for a free slot and takes it; false when the run is ending (close was called). */
  async acquire(): Promise<boolean> {
    while (this.used >= this.capacity && !this.closed) await new Promise<void>((resolve) => this.waiters.push(resolve));
    if (this.closed) return false;
    this.used++;
    this.peak = Math.max(this.peak, this.used);
    return true;
  }

  release(count = 1): void {
    this.used -= count;
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** The run is ending: every waiting and later acquire answers false at once. */
  close(): void {
    this.closed = true;
    for (const wake of this.waiters.splice(0)) wake();
  }
}
