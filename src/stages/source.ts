import type { Table } from 'apache-arrow';
import type { Offset } from './offset.js';

/** One page of extracted rows, and the key of its last row when the source reads in key order. */
export interface SourceBatch {
  readonly table: Table;
  readonly lastKey?: Offset;
  /**
   * Called once the consumer is done with `table` (the pipeline: once it has serialized it), so
   * the source may reuse the table's memory for a later batch. A consumer that never calls it
   * only costs the source fresh memory.
   */
  readonly release?: () => void;
}

/**
 * A Source runs on the main thread. Lifecycle: open, batches (once), close; close is called
 * whatever happened, also after a failed open.
 */
export interface Source {
  open(): Promise<void>;
  /**
   * Yields record batches of at most `batch_size` rows, in key order when the source has a key.
   * `startAfter` is the offset to resume from (INCREMENTAL), or null to read everything.
   * Breaking out of the loop must stop the extraction promptly.
   */
  batches(startAfter: Offset | null): AsyncIterable<SourceBatch>;
  close(): Promise<void>;
  /**
   * Rows this run will read, roughly, when the source can tell cheaply after open (MySQL's
   * table statistics): the progress line then shows a percentage and an ETA. Null when unknown.
   */
  estimatedRows?(): Promise<number | null>;
  /** Counted warnings (values replaced by NULL and the like), reported in the summary. */
  warnings?(): Record<string, number>;
}
