import type { Offset } from '../stages/offset.js';

/** A transformed batch waiting to be loaded. */
export interface ReadyBatch {
  readonly sequence: number;
  readonly buffer: ArrayBuffer;
  /** Bytes of the batch at the start of `buffer`. */
  readonly byteLength: number;
  readonly rows: number;
  readonly lastKey?: Offset;
  /** The key of the batch before it (exclusive lower bound of its rows). */
  readonly afterKey?: Offset | null;
}

/** Batches gathered into one load: a contiguous run of the source's batches. */
export interface Load {
  readonly batches: ReadyBatch[];
  readonly rows: number;
}

/**
 * Puts transformed batches back in extraction order and gathers them into loads of up to
 * `loadRows` rows, so each load covers one contiguous key range. A load also goes out when it
 * holds `maxBatches` batches: those count against max_buffered_batches, and waiting for more
 * would wait for slots they hold.
 */
export class Gatherer {
  private readonly waiting = new Map<number, ReadyBatch>();
  private next = 1;
  private current: ReadyBatch[] = [];
  private rows = 0;

  constructor(private readonly loadRows: number, private readonly maxBatches: number) {}

  /** Adds a batch; returns the loads that are now full. */
  add(batch: ReadyBatch): Load[] {
    this.waiting.set(batch.sequence, batch);
    const loads: Load[] = [];
    for (let ready = this.waiting.get(this.next); ready; ready = this.waiting.get(this.next)) {
      this.waiting.delete(this.next);
      this.next++;
      this.current.push(ready);
      this.rows += ready.rows;
      if (this.rows >= this.loadRows || this.current.length >= this.maxBatches) loads.push(this.take());
    }
    return loads;
  }

  /** The partial load left at the end of the run, if any. */
  flush(): Load | null {
    return this.current.length > 0 ? this.take() : null;
  }

  private take(): Load {
    const load = { batches: this.current, rows: this.rows };
    this.current = [];
    this.rows = 0;
    return load;
  }
}
